import { ErrorCode } from '../errors';

/**
 * An HTTP-level failure (body-parser's: too large, malformed JSON; or any other) as its status and
 * a body in the GraphQL error shape with a contract code. The message names the failure's kind,
 * never the request's content.
 */
export function httpErrorBody(error: { status?: number; type?: string }): {
  status: number;
  body: { errors: Array<{ message: string; extensions: { code: ErrorCode } }> };
} {
  const status = error.status ?? 500;
  const message =
    error.type === 'entity.too.large' ? 'The request body is too large.' : status < 500 ? 'The request body is not valid JSON.' : 'Internal server error.';
  return { status, body: { errors: [{ message, extensions: { code: status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR } }] } };
}
