import type { DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import * as documents from '../../examples/client/graphql';
import { residentId, vector } from '../support/identity';
import { newMemberInput } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { orderInput } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

/**
 * Every example operation (examples/storefront, examples/mobile) run through Apollo Client 4 and
 * the examples' trusted-document link against a gateway that enforces trusted documents: the
 * operations work as published, and the client never has to send a document's text.
 */
describe('the example operations through Apollo Client 4 under TRUSTED_DOCUMENTS=enforce', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway({ ...idp.env(), TRUSTED_DOCUMENTS: 'enforce' });
  });
  afterAll(async () => {
    await t?.stop();
    await idp?.stop();
  });

  it('runs a storefront and mobile journey with every example operation, sending only manifest ids', async () => {
    const { createGatewayClient } = await import('../../examples/apollo/create-client');
    const sentTexts: unknown[] = [];
    const ran = new Set<string>();
    let token: string | undefined;
    const recordingFetch: typeof fetch = async (url, init) => {
      sentTexts.push((JSON.parse(String(init!.body)) as { query?: unknown }).query);
      return fetch(url, init);
    };
    // The examples' own client setup: trusted-document link, privacy link, errorPolicy all.
    const { client } = createGatewayClient({ uri: t.gateway.url, token: () => token, channel: 'storefront', fetch: recordingFetch });
    const nameOf = (document: DocumentNode) =>
      (document.definitions.find((definition) => definition.kind === 'OperationDefinition') as { name: { value: string } }).name.value;
    async function run<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
      ran.add(nameOf(document));
      const isQuery = document.definitions.some((definition) => definition.kind === 'OperationDefinition' && definition.operation === 'query');
      const result = isQuery
        ? await client.query({ query: document as DocumentNode, variables, fetchPolicy: 'no-cache' })
        : await client.mutate({ mutation: document as DocumentNode, variables });
      expect(result.error).toBeUndefined();
      return result.data as R;
    }

    // A privacy officer publishes a material policy version (staff may send free-form operations).
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] });
    const published = await t.client.request(
      `mutation { publishPrivacyPolicy(input: { version: "3.0", material: true, summary: "New partners", text: "Full text." }) { version } }`,
      {},
      { token: officer },
    );
    expect(published.errors).toBeUndefined();

    // Anonymous: the policy and its archive.
    expect((await run(documents.PrivacyPolicyDocument, {})).privacyPolicy).toMatchObject({ version: '3.0', material: true });
    expect((await run(documents.PrivacyPolicyArchiveDocument)).privacyPolicies.map((policy) => policy.version)).toContain('3.0');
    expect((await run(documents.RecommendationsDocument, { first: 3 })).recommendations).toEqual(expect.any(Array));

    // Sign-up, sign-in by name and by phone, refresh.
    const input = newMemberInput();
    const signedUp = (await run(documents.SignUpDocument, { input: input as never })).register;
    expect(signedUp.member.memberName).toBe(input.memberName);
    token = signedUp.accessToken;
    const byName = (await run(documents.SignInWithNameDocument, { memberName: input.memberName, password: input.password })).login;
    const byPhone = (await run(documents.SignInWithPhoneDocument, { phone: input.phone, password: input.password })).login;
    expect(byPhone.member.id).toBe(byName.member.id);
    const refreshed = (await run(documents.RefreshSessionDocument, { refreshToken: byName.refreshToken })).refreshToken;
    token = refreshed.accessToken;
    expect(await run(documents.SignOutDocument, { refreshToken: refreshed.refreshToken })).toEqual({ logout: true });
    token = undefined; // that session's access token stops working with it
    const session = (await run(documents.SignInWithNameDocument, { memberName: input.memberName, password: input.password })).login;
    token = session.accessToken;

    // The policy, accepted; the account page and its edits.
    expect((await run(documents.AcceptPrivacyPolicyDocument, { version: '3.0' })).acceptPrivacyPolicy.mustAcceptPolicyVersion).toBeNull();
    const account = (await run(documents.AccountPageDocument)).me!;
    expect(account).toMatchObject({ memberName: input.memberName, contactName: input.contactName, isMinor: false });
    expect((await run(documents.UpdateProfileDocument, { input: { contactName: 'Han Meimei' } })).updateProfile.contactName).toBe('Han Meimei');

    // Consents.
    for (const purpose of ['PERSONALIZATION', 'LOCATION', 'REAL_NAME_AUTH', 'BIOMETRIC', 'MARKETING'] as const) {
      expect((await run(documents.GrantConsentDocument, { purpose })).grantConsent).toMatchObject({ purpose, granted: true, channel: 'storefront' });
    }
    expect((await run(documents.WithdrawConsentDocument, { purpose: 'MARKETING' })).withdrawConsent).toMatchObject({ purpose: 'MARKETING', granted: false });
    const consents = (await run(documents.ConsentsDocument)).me!.consents;
    expect(consents.find((consent) => consent.purpose === 'BIOMETRIC')!.granted).toBe(true);

    // Orders: place three, page through them two at a time, open one, hide one.
    const placed = [];
    for (let i = 0; i < 3; i += 1) placed.push((await run(documents.PlaceOrderDocument, { input: orderInput() as never })).placeOrder);
    expect(placed[0]).toMatchObject({ status: expect.any(String), items: expect.arrayContaining([expect.objectContaining({ productId: 'sku-1' })]) });
    const page1 = (await run(documents.OrdersPageDocument, { first: 2 })).me!.orders;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await run(documents.OrdersPageDocument, { first: 2, after: page1.pageInfo.endCursor })).me!.orders;
    expect(page2.edges).toHaveLength(1);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const detail = (await run(documents.OrderDetailDocument, { after: page1.edges[0]!.cursor })).me!.orders.edges[0]!.node;
    expect(detail.id).toBe(page1.edges[1]!.node.id);
    expect(detail).toMatchObject({ consignee: 'Wang Xiaoming', items: expect.any(Array), payment: { method: 'CARD' } });
    expect((await run(documents.HideOrdersDocument, { orderIds: [detail.id] })).hideOrders).toBe(1);

    // Browsing history: record, read, clear; the app reports its device.
    expect((await run(documents.RecordBrowsingDocument, { input: { kind: 'SEARCH', query: 'running shoes' } })).recordBrowsing).toBe(true);
    const device = { deviceIdentifier: 'app-device-1', model: 'Pixel 9', osVersion: 'Android 16', location: { latitude: 22.54, longitude: 114.05 } };
    expect((await run(documents.RecordAppEventDocument, { input: { kind: 'PAGE_VIEW', url: '/products/sku-1', device } })).recordBrowsing).toBe(true);
    const history = (await run(documents.BrowsingHistoryDocument, { first: 10 })).me!.browsingHistory;
    expect(history.edges.map((edge) => edge.node.kind).sort()).toEqual(['PAGE_VIEW', 'SEARCH']);
    const devices = (await run(documents.DevicesDocument)).me!.devices;
    expect(devices).toEqual([expect.objectContaining({ deviceIdentifier: 'app-device-1', model: 'Pixel 9' })]);
    expect((await run(documents.ClearBrowsingHistoryDocument, { kind: 'SEARCH' })).clearBrowsingHistory).toBe(1);

    // Real name: submit and read its status (a fresh sign-in counts as recent).
    const documentNumber = residentId('1990-05-17');
    const submitted = (await run(documents.SubmitRealNameDocument, { input: { legalName: '李雷', documentType: 'ID_CARD', documentNumber } })).submitRealName;
    expect(submitted.identity.status).toBe('PENDING');
    expect((await run(documents.RealNameStatusDocument)).me!.realName).toMatchObject({ status: 'PENDING', documentType: 'ID_CARD', documentNumber });

    // Mobile: voiceprint enrolment, listing, sign-in with a sample, removal.
    const template = vector(5);
    expect((await run(documents.EnrollBiometricDocument, { kind: 'VOICEPRINT', template })).enrollBiometric.kind).toBe('VOICEPRINT');
    expect((await run(documents.BiometricsDocument)).me!.biometrics).toEqual([expect.objectContaining({ kind: 'VOICEPRINT' })]);
    const biometricSession = (await run(documents.SignInWithBiometricDocument, { identifier: input.memberName, kind: 'VOICEPRINT', sample: template }))
      .loginWithBiometric;
    expect(biometricSession.member.id).toBe(session.member.id);
    expect((await run(documents.DeleteBiometricDocument, { kind: 'VOICEPRINT' })).deleteBiometric).toBe(true);

    // Rights: step-up, export, privacy requests, disclosures.
    token = (await run(documents.StepUpDocument, { password: input.password })).stepUp.accessToken;
    const exported = (await run(documents.ExportMyDataDocument)).exportMyData;
    expect(exported.formatVersion).toEqual(expect.any(String));
    expect(JSON.stringify(exported.document)).toContain(input.memberName);
    const request = (await run(documents.RequestPrivacyDocument, { input: { type: 'DECISION_EXPLANATION', details: 'Why these shoes?' } })).requestPrivacy;
    expect(request).toMatchObject({ type: 'DECISION_EXPLANATION', status: 'RECEIVED', overdue: false });
    expect((await run(documents.MyPrivacyRequestsDocument)).me!.privacyRequests.map((item) => item.id)).toContain(request.id);
    expect((await run(documents.DisclosuresDocument)).me!.disclosures.length).toBeGreaterThan(0);

    // Password change ends every session; sign in again, then cancel the account.
    expect((await run(documents.ChangePasswordDocument, { currentPassword: input.password, newPassword: 'Another-Horse-7' })).changePassword).toBe(true);
    token = undefined;
    token = (await run(documents.SignInWithNameDocument, { memberName: input.memberName, password: 'Another-Horse-7' })).login.accessToken;
    expect((await run(documents.CancelAccountDocument, { password: 'Another-Horse-7' })).cancelAccount).toBe(true);

    const everyOperation = Object.entries(documents)
      .filter(([name]) => name.endsWith('Document'))
      .map(([, document]) => nameOf(document as DocumentNode));
    expect([...ran].sort()).toEqual(everyOperation.sort());
    expect(sentTexts.filter((text) => text !== undefined)).toEqual([]);
  });
});
