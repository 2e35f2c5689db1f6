import { createServer } from 'node:http';

export interface RelayedNotice {
  idempotencyKey: string | undefined;
  body: { type: string; id: string; recipient: string; orders: Array<{ orderNumber: string; trackingNumber?: string }> };
}

/**
 * A recipients' relay for erasure notices on a free local port: records every POST (its
 * Idempotency-Key and JSON body) and answers with the status `answer` returns for it (200 unless
 * set otherwise).
 */
export class NoticeRelay {
  readonly received: RelayedNotice[] = [];
  answer: (notice: RelayedNotice) => number = () => 200;
  url = '';

  private readonly server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const header = req.headers['idempotency-key'];
      const notice: RelayedNotice = { idempotencyKey: typeof header === 'string' ? header : undefined, body: JSON.parse(body) as RelayedNotice['body'] };
      this.received.push(notice);
      res.statusCode = this.answer(notice);
      res.end();
    });
  });

  static async start(): Promise<NoticeRelay> {
    const relay = new NoticeRelay();
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    relay.url = `http://127.0.0.1:${(relay.server.address() as { port: number }).port}/notices`;
    return relay;
  }

  /** What arrived for these notice ids, by id: the Idempotency-Key of each arrival. */
  deliveriesOf(ids: readonly string[]): Record<string, string[]> {
    return Object.fromEntries(ids.map((id) => [id, this.received.filter((notice) => notice.body.id === id).map((notice) => notice.idempotencyKey ?? '')]));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A relay for a describe block: started before it (its URL set as `env.ERASURE_WEBHOOK_URL`, so
 * declare this before the gateways that read `env`) and stopped after it.
 */
export function useNoticeRelay(env: Record<string, string>): NoticeRelay {
  let relay: NoticeRelay | undefined;
  beforeAll(async () => {
    relay = await NoticeRelay.start();
    env.ERASURE_WEBHOOK_URL = relay.url;
  });
  afterAll(() => relay?.stop());
  return new Proxy({} as NoticeRelay, {
    get: (_target, key) => {
      if (!relay) throw new Error('the notice relay is not started yet (use it inside a test)');
      const value = Reflect.get(relay, key, relay) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(relay) : value;
    },
    // Tests set `answer` to choose how the relay replies.
    set: (_target, key, value) => {
      if (!relay) throw new Error('the notice relay is not started yet (use it inside a test)');
      return Reflect.set(relay, key, value, relay);
    },
  });
}
