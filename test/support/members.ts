import type { GraphQLClient } from './graphql-client';

let sequence = 0;

/** A distinct valid registration each call; phone numbers are valid Chinese mobiles. */
export function newMemberInput(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const unique = `${process.pid % 1000}${String(Date.now() % 100000).padStart(5, '0')}${sequence}`.slice(-8).padStart(8, '0');
  return {
    memberName: `member_${unique}`,
    password: 'Correct-Horse-9',
    phone: `139${unique}`,
    contactName: 'Li Lei',
    contactAddress: 'No. 1 Nanjing Road, Huangpu District, Shanghai',
    birthDate: '1990-05-17',
    consents: ['MEMBERSHIP'],
    ...overrides,
  };
}

export const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken expiresIn member { id memberName phone contactName contactAddress birthDate isMinor createdAt } }
}`;

export const LOGIN = `mutation Login($identifier: String!, $password: String!) {
  login(identifier: $identifier, password: $password) { accessToken refreshToken expiresIn member { id memberName } }
}`;

export const ME = `query Me { me { id memberName phone contactName contactAddress birthDate isMinor createdAt consents { purpose granted method changedAt } } }`;

/** Registers a member and returns what a client holds afterwards. */
export async function registerMember(client: GraphQLClient, overrides: Record<string, unknown> = {}) {
  const input = newMemberInput(overrides);
  const response = await client.request(REGISTER, { input });
  if (!response.data?.register) throw new Error(`registration failed: ${JSON.stringify(response.errors)}`);
  const { accessToken, refreshToken, member } = response.data.register;
  return { input, accessToken: accessToken as string, refreshToken: refreshToken as string, member: member as { id: string } };
}
