import type { EntityMetadata } from 'typeorm';
import type { MemberDataTable } from '../../src/privacy/member-data-hook';
import { memberDataHooks } from '../../src/services';
import { ENROL, residentId, REVIEW, SUBMIT, vector } from '../support/identity';
import { registerMember } from '../support/members';
import { browse, placeOrders } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

/** Tables that hold no member data at all, each with why. Any other table must be declared by a feature's hook. */
const NO_MEMBER_DATA: Record<string, string> = {
  audit_chain_head: 'the head of the audit chain: a sequence number and hashes',
  audit_checkpoint: 'signed checkpoints of the audit chain: counts, hashes and signatures',
  privacy_policy: 'published policy texts, the same for everyone',
  job_lease: 'which gateway instance runs a background job, and until when',
  throttle_counter: 'sign-in and register counts under keyed digests (no identifier, member id or address), deleted after their window',
  incident: 'breach records: descriptions and a count of affected members, no member ids (members are told by notification)',
};
const MEMBER_COLUMNS = ['member_id', 'owner_member_id'];
const ERASURES = ['delete', 'clear', 'shred', 'tombstone', 'destroy'];
const EXPORT = `mutation { exportMyData { document } }`;
const CANCEL = `mutation($password: String!) { cancelAccount(password: $password) }`;

const declared: MemberDataTable[] = memberDataHooks.flatMap((hook) => hook.tables);
const declaredByTable = new Map(declared.map((table) => [table.table, table]));

describe('member data hooks', () => {
  const { t, idp } = useGateway({ staff: true });

  const metadataOf = (table: string): EntityMetadata => t.dataSource.entityMetadatas.find((entity) => entity.tableName === table)!;

  it('map every column of every table holding member data, directly or through a parent, to an export section and an erasure', () => {
    const problems: string[] = [];
    expect(declared.length).toBe(declaredByTable.size); // each table declared once
    for (const entity of t.dataSource.entityMetadatas) {
      const table = entity.tableName;
      const columns = entity.columns.map((column) => column.databaseName);
      const direct = table === 'member' || columns.some((column) => MEMBER_COLUMNS.includes(column));
      const hook = declaredByTable.get(table);
      if (!hook) {
        if (direct || !NO_MEMBER_DATA[table]) problems.push(`${table}: no feature declares it (and it is not on the no-member-data list)`);
        continue;
      }
      if (direct && !(hook.owner && columns.includes(hook.owner))) problems.push(`${table}: holds a member id but declares no owner column that exists`);
      if (!direct) {
        const parent = hook.parent && declaredByTable.get(hook.parent.table);
        if (!hook.parent || !parent || !columns.includes(hook.parent.column))
          problems.push(`${table}: has no member id, so it must name a declared parent and an existing link column`);
      }
      const unmapped = columns.filter((column) => !(column in hook.columns));
      const stale = Object.keys(hook.columns).filter((column) => !columns.includes(column));
      if (unmapped.length > 0) problems.push(`${table}: columns without an export/erasure fate: ${unmapped.join(', ')}`);
      if (stale.length > 0) problems.push(`${table}: declared columns that do not exist: ${stale.join(', ')}`);
      for (const [column, fate] of Object.entries(hook.columns)) {
        if (fate.export.startsWith('none:') ? fate.export.length < 12 : !/^[a-z][A-Za-z]+$/.test(fate.export))
          problems.push(`${table}.${column}: export must be a section name or "none: <why>"`);
        if (!ERASURES.includes(fate.erasure) && !(fate.erasure.startsWith('retain: ') && fate.erasure.length > 16))
          problems.push(`${table}.${column}: erasure must be one of ${ERASURES.join('/')} or "retain: <why>"`);
      }
    }
    for (const table of declaredByTable.keys()) if (!metadataOf(table)) problems.push(`${table}: declared but no such table`);
    for (const table of Object.keys(NO_MEMBER_DATA))
      if (declaredByTable.has(table)) problems.push(`${table}: both declared and listed as holding no member data`);
    expect(problems).toEqual([]);
  });

  it('export every section they name and erase every column as declared when the account is cancelled', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH', 'BIOMETRIC', 'LOCATION', 'PERSONALIZATION'] });
    const documentNumber = residentId('19900517', '440305', '357');
    const submitted = await t.client.request(SUBMIT, { input: { legalName: '韩梅梅', documentType: 'ID_CARD', documentNumber } }, { token: m.accessToken });
    const verifier = await idp.sign({ roles: ['VERIFIER'] });
    await t.client.request(REVIEW, { id: submitted.data!.submitRealName.verification.id, approve: true }, { token: verifier });
    await t.client.request(SUBMIT, { input: { legalName: '韩美美', documentType: 'ID_CARD', documentNumber } }, { token: m.accessToken });
    await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(3) }, { token: m.accessToken });
    const [orderId] = await placeOrders(t.client, m.accessToken, 2);
    await t.client.request(
      `mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF2222") { id } }`,
      { id: orderId },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    await browse(t.client, m.accessToken, 4);
    await t.client.request(`{ recommendations(first: 3) { id } }`, {}, { token: m.accessToken });
    await t.client.request(
      `mutation { requestPrivacy(input: { type: CORRECTION, details: "my contact name is misspelt" }) { id } }`,
      {},
      { token: m.accessToken },
    );

    const exported = await t.client.request(EXPORT, {}, { token: m.accessToken });
    expect(exported.errors).toBeUndefined();
    const sections = new Set(
      declared.flatMap((table) => Object.values(table.columns).map((fate) => fate.export)).filter((section) => !section.startsWith('none:')),
    );
    for (const section of sections) expect(exported.data!.exportMyData.document).toHaveProperty(section);

    const before = new Map(await Promise.all(declared.map(async (table) => [table.table, await rowsOf(table, m.member.id)] as const)));
    // Every erasure claim below is exercised on real rows (what stays empty holds only retained columns).
    const empty = [...before].filter(([, rows]) => rows.length === 0).map(([table]) => table);
    expect(empty.sort()).toEqual(['erasure_notice', 'notification', 'policy_acceptance']);
    expect((await t.client.request(CANCEL, { password: m.input.password }, { token: m.accessToken })).data!.cancelAccount).toBe(true);

    const problems: string[] = [];
    for (const table of declared) {
      const was = before.get(table.table)!;
      const now = new Map((await rowsOf(table, m.member.id, was)).map((row) => [keyOf(table.table, row), row]));
      const fates = Object.values(table.columns).map((fate) => fate.erasure);
      if (fates.includes('delete') || fates.includes('destroy')) {
        if (now.size > 0) problems.push(`${table.table}: ${now.size} row(s) left, declared deleted`);
        continue;
      }
      for (const row of was) {
        const after = now.get(keyOf(table.table, row));
        if (!after) {
          problems.push(`${table.table}: a row declared kept is gone`);
          continue;
        }
        for (const [column, fate] of Object.entries(table.columns)) {
          const changed = JSON.stringify(after[column]) !== JSON.stringify(row[column]);
          if ((fate.erasure === 'clear' || fate.erasure === 'tombstone') && row[column] !== null && !changed)
            problems.push(`${table.table}.${column}: declared ${fate.erasure}, unchanged`);
          if (fate.erasure === 'shred' && changed) problems.push(`${table.table}.${column}: declared shred (kept sealed), but changed`);
        }
      }
    }
    expect(problems).toEqual([]);
    // What "shred" relies on: the key that sealed those columns is gone.
    expect(await t.dataSource.query(`SELECT member_id FROM member_key WHERE member_id = ?`, [m.member.id])).toEqual([]);
  });

  /** The member's rows of a declared table, straight from the database (children through their parent). */
  async function rowsOf(table: MemberDataTable, memberId: string, earlier: Array<Record<string, unknown>> = []): Promise<Array<Record<string, unknown>>> {
    if (table.owner) return t.dataSource.query(`SELECT * FROM \`${table.table}\` WHERE \`${table.owner}\` = ?`, [memberId]);
    const parent = declaredByTable.get(table.parent!.table)!;
    const parentKey = metadataOf(parent.table).primaryColumns[0]!.databaseName;
    const rows: Array<Record<string, unknown>> = await t.dataSource.query(
      `SELECT * FROM \`${table.table}\` WHERE \`${table.parent!.column}\` IN (SELECT \`${parentKey}\` FROM \`${parent.table}\` WHERE \`${parent.owner}\` = ?)`,
      [memberId],
    );
    // Rows that pointed at the member's parents before erasure still count as theirs afterwards.
    const key = metadataOf(table.table).primaryColumns[0]!.databaseName;
    const ids = earlier.map((row) => row[key]);
    if (ids.length === 0) return rows;
    const stillThere: Array<Record<string, unknown>> = await t.dataSource.query(
      `SELECT * FROM \`${table.table}\` WHERE \`${key}\` IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    const seen = new Set(rows.map((row) => keyOf(table.table, row)));
    return [...rows, ...stillThere.filter((row) => !seen.has(keyOf(table.table, row)))];
  }

  function keyOf(table: string, row: Record<string, unknown>): string {
    return metadataOf(table)
      .primaryColumns.map((column) => String(row[column.databaseName]))
      .join('|');
  }
});
