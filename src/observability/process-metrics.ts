import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event-loop lag, GC, handles), in one registry per
 * process: they describe the process, and collecting them installs observers that are never
 * removed, so several gateways in one process (the tests) share them instead of adding more.
 */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
