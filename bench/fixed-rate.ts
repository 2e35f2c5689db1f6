import { Agent, request } from 'node:http';

export interface FixedRateResult {
  /** Requests per second asked for. */
  rate: number;
  /** Requests answered per second, over the time the whole schedule took to answer. */
  achieved: number;
  /** Latencies in ms; a request still unanswered DRAIN_SECONDS after the schedule ended counts with its wait so far. */
  p50: number;
  p99: number;
  max: number;
  /** Requests still unanswered then (a server slower than the rate: not an error, a lower bound on latency). */
  unanswered: number;
  /** Answers that were not `expectBody`, non-200 answers, connection errors. */
  wrong: number;
}

/** How long answers are awaited after the last request was due. */
const DRAIN_SECONDS = 2;

/**
 * Open loop: requests are due at a fixed rate whatever the server does, and each latency runs from
 * when its request was due, not from when it could be sent (no coordinated omission: a stall
 * shows in the latencies of everything scheduled behind it). At most `connections` kept-alive
 * connections, as in the closed loop; a request waiting for one is waiting on the server.
 */
export function fixedRate(
  url: string,
  body: string,
  token: string,
  expectBody: string,
  rate: number,
  seconds: number,
  connections: number,
): Promise<FixedRateResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  let sent = 0;
  let finished = 0;
  let wrong = 0;
  const pending = new Set<ReturnType<typeof request>>();
  const start = performance.now();
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(timer);
      // Queued requests too, or the agent would send them on freed sockets.
      for (const outgoing of pending) outgoing.destroy();
      agent.destroy();
      const now = performance.now();
      const unanswered = sent - finished;
      const answeredPerSecond = latencies.length / ((now - start) / 1000);
      // The unanswered ones were due in order: the oldest of them waited longest.
      for (let i = 0; i < unanswered; i += 1) latencies.push(now - (start + ((total - 1 - i) * 1000) / rate));
      const sorted = latencies.sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      resolve({ rate, achieved: answeredPerSecond, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, unanswered, wrong });
    };
    const deadline = setTimeout(finish, (seconds + DRAIN_SECONDS) * 1000);
    const send = (due: number) => {
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled || done) return;
        settled = true;
        pending.delete(outgoing);
        if (ok) latencies.push(performance.now() - due);
        else wrong += 1;
        finished += 1;
        if (finished === total) finish();
      };
      const outgoing = request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => settle(response.statusCode === 200 && Buffer.concat(chunks).toString('utf8') === expectBody));
      });
      outgoing.on('error', () => settle(false));
      pending.add(outgoing);
      outgoing.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; sent < due; sent += 1) send(start + (sent * 1000) / rate);
      if (sent < total) timer = setTimeout(tick, 1);
    };
    tick();
  });
}
