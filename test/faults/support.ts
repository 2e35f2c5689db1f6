import type { GraphQLClient, GraphQLResponse } from '../support/graphql-client';

/** Log lines the gateway wrote, parsed, so a test can count them per request id. */
export class CapturedLog {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly destination = { write: (line: string) => void this.lines.push(JSON.parse(line) as Record<string, unknown>) };

  /** Lines at warn level or above that carry this request id. */
  failuresOf(requestId: string | null): Array<Record<string, unknown>> {
    return this.lines.filter((line) => line.requestId === requestId && Number(line.level) >= 40);
  }
}

/** A request and how long its answer took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

export function timedRequest(
  client: GraphQLClient,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ result: GraphQLResponse; ms: number }> {
  return timed(() => client.request(query, variables, token ? { token } : {}));
}

/** GET an endpoint of the gateway; status and time taken. */
export function timedGet(url: string): Promise<{ result: number; ms: number }> {
  return timed(async () => (await fetch(url)).status);
}

/** Polls until `check` is true, failing after `ms` (no fixed sleeps). */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Measured figures, printed at the end when FAULT_TIMINGS=1 (for the operator's notes). */
export const timings: Record<string, number> = {};
export function record(name: string, ms: number): void {
  timings[name] = Math.round(ms);
}
export function printTimings(title: string): void {
  if (process.env.FAULT_TIMINGS === '1') process.stdout.write(`${title}: ${JSON.stringify(timings)}\n`);
}
