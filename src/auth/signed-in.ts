import type { GatewayContext } from '../context';
import type { AuthPayload } from './auth-payload.types';

/** The payload's member is read as the member who just signed in (the request came in anonymous). */
export async function signedIn(context: GatewayContext, payload: Promise<AuthPayload>): Promise<AuthPayload> {
  const issued = await payload;
  context.privacy.signedIn(issued.signedIn);
  // The member row was just read to sign in: the policy's owner facts need not load it again.
  const { birthDate } = issued.member;
  context.privacy.knowOwner(issued.signedIn.memberId, () => ({ birthDate }));
  return issued;
}
