import { useGateway } from '../support/use-gateway';
import { memberDataHooks } from '../../src/services';
import { BiometricEnrollmentEntity } from '../../src/biometrics/biometric-enrollment.entity';
import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { ConsentEventEntity } from '../../src/consent/consent-event.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { residentId, signedInAgo, SUBMIT, vector, ENROL } from '../support/identity';
import { registerMember } from '../support/members';
import { browse, placeOrders } from '../support/storefront';

const EXPORT = `mutation { exportMyData { formatVersion generatedAt document } }`;

/** Each table owning member data directly, and the first export section its hook names (null: nothing to export). */
const EXPORT_SECTIONS: Record<string, string | null> = Object.fromEntries(
  memberDataHooks
    .flatMap((hook) => hook.tables)
    .filter((table) => table.owner)
    .map((table) => [
      table.table,
      Object.values(table.columns)
        .map((fate) => fate.export)
        .find((section) => !section.startsWith('none:')) ?? null,
    ]),
);

describe('exportMyData', () => {
  const { t } = useGateway();

  it('needs a recent sign-in', async () => {
    const m = await registerMember(t.client);
    const stale = await t.client.request(EXPORT, {}, { token: await signedInAgo(t, m.accessToken, 3600) });
    expect(stale.errors![0]!.extensions!.code).toBe('STEP_UP_REQUIRED');
  });

  it('leaves out no table that holds personal data', () => {
    const tables = t.dataSource.entityMetadatas
      .filter((entity) => entity.tableName === 'member' || entity.columns.some((column) => ['member_id', 'owner_member_id'].includes(column.databaseName)))
      .map((entity) => entity.tableName)
      .sort();
    expect(tables).toEqual(Object.keys(EXPORT_SECTIONS).sort());
  });

  it('holds every category the database holds for the member, decrypted, and never a template', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH', 'BIOMETRIC', 'LOCATION'] });
    await t.client.request(
      SUBMIT,
      { input: { legalName: '李雷', documentType: 'ID_CARD', documentNumber: residentId('19900517', '440305', '246') } },
      { token: m.accessToken },
    );
    await t.client.request(
      SUBMIT,
      { input: { legalName: '李雷雷', documentType: 'ID_CARD', documentNumber: residentId('19900517', '440305', '246') } },
      { token: m.accessToken },
    );
    await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(7) }, { token: m.accessToken });
    await placeOrders(t.client, m.accessToken, 2);
    await browse(t.client, m.accessToken, 5);

    const response = await t.client.request(EXPORT, {}, { token: m.accessToken });
    expect(response.errors).toBeUndefined();
    const { formatVersion, document } = response.data!.exportMyData;
    expect(formatVersion).toBe('1');
    for (const section of Object.values(EXPORT_SECTIONS).filter(Boolean)) expect(document).toHaveProperty(section as string);

    expect(document.profile).toMatchObject({ id: m.member.id, memberName: m.input.memberName, phone: `+86${m.input.phone}` });
    expect(document.realName).toMatchObject({ legalName: '李雷雷', status: 'PENDING' });
    expect(document.realNameHistory).toEqual([]);
    expect(document.verifications).toHaveLength(2);
    expect(document.orders).toHaveLength(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: m.member.id }));
    expect(document.orders[0].items).toHaveLength(3);
    expect(document.orders[0].payment.cardNumber).toBe('4111111111111111');
    expect(document.browsingHistory).toHaveLength(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id }));
    expect(document.consents).toHaveLength(await t.dataSource.getRepository(ConsentEventEntity).countBy({ memberId: m.member.id }));
    expect(document.devices[0].lastLocation).toBe('22.543096,114.057865');
    expect(document.biometricEnrollments).toEqual([{ kind: 'VOICEPRINT', enrolledAt: expect.any(String) }]);
    const template = (await t.dataSource.getRepository(BiometricEnrollmentEntity).findOneByOrFail({ memberId: m.member.id })).templateSealed;
    const text = JSON.stringify(document);
    expect(text).not.toContain(template.split('.')[2]!.slice(0, 12));
    expect(text).not.toMatch(/template/i);
  });
});

describe('exportMyData bounded by section', () => {
  const { t } = useGateway({ env: { EXPORT_SECTION_ROWS: '2' } });
  const SECTION = `mutation($section: String, $after: String) { exportMyData(section: $section, after: $after) { document } }`;

  it('holds at most EXPORT_SECTION_ROWS rows per section and hands out the rest section by section', async () => {
    const m = await registerMember(t.client);
    await browse(t.client, m.accessToken, 5);
    const whole = (await t.client.request(EXPORT, {}, { token: m.accessToken })).data!.exportMyData.document;
    expect(whole.browsingHistory).toHaveLength(2);
    expect(Object.keys(whole.more)).toContain('browsingHistory');
    expect(whole.profile.id).toBe(m.member.id);

    const rows: unknown[] = [...whole.browsingHistory];
    let after: string | undefined = whole.more.browsingHistory;
    for (let round = 0; after && round < 10; round += 1) {
      const page = (await t.client.request(SECTION, { section: 'browsingHistory', after }, { token: m.accessToken })).data!.exportMyData.document;
      expect(Object.keys(page).sort()).toEqual(['browsingHistory', 'formatVersion', 'generatedAt', 'more', 'section']);
      expect(page.browsingHistory.length).toBeLessThanOrEqual(2);
      rows.push(...page.browsingHistory);
      after = page.more.browsingHistory;
    }
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((row) => JSON.stringify(row))).size).toBe(5);

    const unknown = await t.client.request(SECTION, { section: 'passwords' }, { token: m.accessToken });
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'section' });
  });
});
