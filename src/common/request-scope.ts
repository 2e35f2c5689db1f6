import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What work started by one HTTP request needs to know about that request wherever it runs (the
 * database layer included), without threading it through every call: its id, its deadline, and
 * whether its failure has been logged yet. Background jobs run outside any scope.
 */
export interface RequestScope {
  requestId: string;
  /** Epoch ms. Past it the client has had SERVICE_UNAVAILABLE and the request's work is abandoned. */
  deadline: number;
  /** Set by the first log line about this request's failure: each failure is logged once. */
  failureLogged: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** True inside a request whose deadline has passed. */
export function pastRequestDeadline(now = Date.now()): boolean {
  const scope = storage.getStore();
  return scope !== undefined && now >= scope.deadline;
}

/**
 * Claims the one log line of the current request's failure: true the first time per request
 * (and always outside a request), false afterwards.
 */
export function claimFailureLog(): boolean {
  const scope = storage.getStore();
  if (!scope) return true;
  if (scope.failureLogged) return false;
  scope.failureLogged = true;
  return true;
}
