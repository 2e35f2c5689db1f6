import autocannon from 'autocannon';

/** One measured window of one server. Latencies in ms. */
export interface Window {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Responses that were not the server's own checked body, non-2xx answers, connection errors. */
  wrong: number;
  /** Steal time on the servers' core during the window, in per cent (bench/host-steal.ts); absent off Linux. */
  stealPercent?: number;
}

/**
 * Closed loop: `connections` connections, each sending its next request when the previous answer
 * arrived, for `seconds` (autocannon; latencies at its 1 ms resolution). Every body must equal
 * `expectBody`.
 */
export async function closedLoop(url: string, body: string, token: string, expectBody: string, seconds: number, connections: number): Promise<Window> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    expectBody,
    connections,
    duration: seconds,
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    wrong: result.mismatches + result.non2xx + result.errors,
  };
}
