import type { ServerResponse } from 'node:http';
import { runInRequestScope } from '../common/request-scope';
import { ErrorCode, serviceUnavailable } from '../errors';
import type { Logger } from '../logger';
import { sendJson } from './send-json';

export const UNAVAILABLE_BODY = { errors: [{ message: serviceUnavailable().message, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] };

/**
 * Runs a GraphQL request under its deadline. When the deadline passes first the client gets
 * SERVICE_UNAVAILABLE (503) at once, one log line says so, and the request's remaining work is
 * abandoned: the database layer sends none of its statements any more (an open transaction rolls
 * back) and whatever it would have answered is dropped. Rejects with the work's failure, unless
 * the deadline has answered already.
 */
export async function runUnderDeadline(timeoutMs: number, requestId: string, logger: Logger, res: ServerResponse, work: () => Promise<void>): Promise<void> {
  const scope = { requestId, deadline: Date.now() + timeoutMs, failureLogged: false };
  let answered = false;
  const timer = setTimeout(() => {
    if (res.headersSent) return;
    answered = true;
    if (!scope.failureLogged) {
      scope.failureLogged = true;
      logger.warn({ requestId, timeoutMs }, 'request deadline passed; answered SERVICE_UNAVAILABLE');
    }
    sendJson(res, 503, UNAVAILABLE_BODY);
  }, timeoutMs);
  try {
    await runInRequestScope(scope, work);
  } catch (error) {
    // Apollo's late attempt to answer a request already answered: nothing left to do.
    if (!answered) throw error;
  } finally {
    clearTimeout(timer);
  }
}
