import { type MiddlewareFn, UseMiddleware } from 'type-graphql';
import type { GatewayContext } from '../context';
import { requireStaff } from './require-staff';
import type { StaffRole } from './viewer';

/**
 * Marks a query or mutation as staff-only. type-graphql runs resolver middleware before it
 * converts and validates the arguments (validateFn), so the caller is checked first: a member
 * or an anonymous visitor learns FORBIDDEN / UNAUTHENTICATED, never which input would have been
 * accepted. The resolver body may still call `requireStaff` to get the typed staff viewer.
 */
export function StaffOnly(...roles: [StaffRole, ...StaffRole[]]): MethodDecorator {
  const check: MiddlewareFn<GatewayContext> = ({ context }, next) => {
    requireStaff(context, roles);
    return next();
  };
  return UseMiddleware(check);
}
