import type { GatewayContext } from '../context';
import { forbidden, unauthenticated } from '../errors';
import { tokenRejected } from './token-rejected';
import type { MemberViewer } from './viewer';

/** The signed-in member, or UNAUTHENTICATED (anonymous) / FORBIDDEN (staff and partners). */
export function requireMember(context: GatewayContext): MemberViewer {
  const { viewer } = context;
  if (viewer.kind === 'MEMBER') return viewer;
  if (viewer.kind === 'ANONYMOUS') throw viewer.rejectedToken ? tokenRejected(viewer.rejectedToken) : unauthenticated('Sign in as a member first.');
  throw forbidden('Only members can do this.');
}
