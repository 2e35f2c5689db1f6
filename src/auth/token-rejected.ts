import { ErrorCode, GatewayError } from '../errors';
import type { TokenRejection } from './viewer';

/**
 * The answer to an operation that needs the viewer when the request's bearer token was refused:
 * UNAUTHENTICATED with the reason, HTTP 401 and a Bearer challenge, so clients refresh or sign in.
 */
export function tokenRejected(reason: TokenRejection): GatewayError {
  const message = reason === 'TOKEN_EXPIRED' ? 'The access token has expired; refresh it.' : 'The access token is not valid.';
  return new GatewayError(ErrorCode.UNAUTHENTICATED, message, {
    reason,
    http: { status: 401, headers: new Map([['www-authenticate', 'Bearer error="invalid_token"']]) },
  });
}
