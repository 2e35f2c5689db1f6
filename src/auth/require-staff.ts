import type { GatewayContext } from '../context';
import { forbidden, unauthenticated } from '../errors';
import { tokenRejected } from './token-rejected';
import type { StaffRole, Viewer } from './viewer';

/** The staff viewer if it holds one of `roles`; UNAUTHENTICATED when anonymous, else FORBIDDEN. */
export function requireStaff(context: GatewayContext, roles: readonly StaffRole[]): Extract<Viewer, { kind: StaffRole }> {
  const { viewer } = context;
  if (viewer.kind === 'ANONYMOUS') throw viewer.rejectedToken ? tokenRejected(viewer.rejectedToken) : unauthenticated('Sign in first.');
  if (viewer.kind === 'MEMBER' || !roles.includes(viewer.kind)) throw forbidden(`Only ${roles.join(', ')} can do this.`);
  return viewer;
}
