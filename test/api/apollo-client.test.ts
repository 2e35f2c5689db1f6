import { gql } from '@apollo/client';
import { createGatewayClient } from '../../examples/apollo/create-client';
import { registerMember } from '../support/members';
import { residentId, signedInAgo, SUBMIT } from '../support/identity';
import { useGateway } from '../support/use-gateway';

const REAL_NAME = gql`
  query RealName {
    me {
      id
      realName {
        documentNumber
        status
      }
    }
  }
`;
const STEP_UP = gql`
  mutation StepUp($password: String!) {
    stepUp(password: $password) {
      accessToken
      refreshToken
      recentAuthUntil
    }
  }
`;
const WITH_DENIAL = gql`
  query WithDenial($id: ID!) {
    me {
      id
      phone
      realName {
        documentNumber
      }
    }
    member(id: $id, purpose: "curiosity") {
      id
    }
  }
`;

describe('the gateway through Apollo Client 4 (the example client setup)', () => {
  // The policy's clock: moved past the step-up window instead of waiting five minutes.
  let offset = 0;
  const clock = () => Date.now() + offset;
  const { t } = useGateway({ gateway: { clock } });

  let sequence = 100;
  async function memberWithIdentity() {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH'] });
    const documentNumber = residentId(m.input.birthDate as string, '440305', String((sequence += 1)));
    const submitted = await t.client.request(SUBMIT, { input: { legalName: '李雷', documentType: 'ID_CARD', documentNumber } }, { token: m.accessToken });
    expect(submitted.errors).toBeUndefined();
    return { ...m, documentNumber };
  }

  it('shows the full ID number after stepUp with no cache reset, and the masked one again after the window', async () => {
    offset = 0;
    const m = await memberWithIdentity();
    // Signed in ten minutes ago: the ID number comes back masked.
    let token = await signedInAgo(t, m.accessToken, 600);
    const { client, privacy } = createGatewayClient({ uri: t.gateway.url, token: () => token, channel: 'storefront', now: clock });

    const masked: any = await client.query({ query: REAL_NAME });
    expect(masked.data!.me.realName.documentNumber).toBe(`${m.documentNumber.slice(0, 4)}**********${m.documentNumber.slice(-4)}`);
    expect(privacy.maskedPaths.get('RealName')).toEqual(['me.realName.documentNumber']);

    const stepped: any = await client.mutate({ mutation: STEP_UP, variables: { password: m.input.password } });
    token = stepped.data!.stepUp.accessToken;
    expect(Date.parse(stepped.data!.stepUp.recentAuthUntil)).toBeGreaterThan(Date.now());

    // cache-first (the default): the masked value cached earlier does not stand in for the full one.
    const full: any = await client.query({ query: REAL_NAME });
    expect(full.data!.me.realName.documentNumber).toBe(m.documentNumber);
    expect(privacy.maskedPaths.get('RealName')).toEqual([]);

    // The window ends (both the gateway's and the client's clocks move): masked again, from the gateway.
    offset = 301_000;
    const again: any = await client.query({ query: REAL_NAME });
    expect(again.data!.me.realName.documentNumber).toBe(`${m.documentNumber.slice(0, 4)}**********${m.documentNumber.slice(-4)}`);
    offset = 0;
  });

  it('keeps the rest of a result when one field is refused, with the error and the masked paths exposed', async () => {
    offset = 0;
    const m = await memberWithIdentity();
    const token = await signedInAgo(t, m.accessToken, 600);
    const { client, privacy } = createGatewayClient({ uri: t.gateway.url, token: () => token, channel: 'mobile', now: clock });
    const result: any = await client.query({ query: WITH_DENIAL, variables: { id: m.member.id } });
    // errorPolicy all: the refused root field is null with its error; the member's own data stays.
    expect(result.data!.member).toBeNull();
    expect(result.error.errors[0]).toMatchObject({ path: ['member'], extensions: { code: 'FORBIDDEN' } });
    expect(result.data!.me.id).toBe(m.member.id);
    expect(result.data!.me.phone).toBe(`+86${m.input.phone}`);
    expect(result.data!.me.realName.documentNumber).toContain('****');
    expect(privacy.maskedPaths.get('WithDenial')).toContain('me.realName.documentNumber');
  });
});
