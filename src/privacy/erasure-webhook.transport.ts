/** What a notice tells its recipient: the data by what the recipient already holds, never our member id. */
export interface OutgoingNotice {
  id: string;
  recipient: string;
  orders: Array<{ orderNumber: string; trackingNumber?: string }>;
}

/** Delivers one notice; throws (a DeliveryFailure, ideally) when the recipient did not take it. */
export type NoticeTransport = (notice: OutgoingNotice) => Promise<void>;

/**
 * Why a delivery failed, as a short class for logs and the outbox row: `HTTP_<status>`,
 * `TIMEOUT` or `NETWORK`. Never a response body or anything the recipient said.
 */
export class DeliveryFailure extends Error {
  override name = 'DeliveryFailure';

  constructor(readonly code: string) {
    super(`erasure notice not delivered: ${code}`);
  }
}

/**
 * A transport that POSTs each notice as JSON to one webhook (the recipients' relay). A 2xx answer
 * means delivered. Every attempt carries `Idempotency-Key: <notice id>`, the same on each retry,
 * so a recipient that got a notice whose answer was lost can drop the repeat. Redirects are not
 * followed (the body names orders): a 3xx is a failure like any other status.
 */
export function webhookTransport(url: string, timeoutMs = 10_000): NoticeTransport {
  return async (notice) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': notice.id },
        body: JSON.stringify({ type: 'erasure', ...notice }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DeliveryFailure(error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK');
    }
    // The answer's body is not read (nothing in it is kept); cancelling frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new DeliveryFailure(`HTTP_${response.status}`);
  };
}
