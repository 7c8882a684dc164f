import { StoredEvent } from '@pipeline-ledger/event-store';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature';

/** One attempt to deliver one event to one subscription. */
export interface WebhookDelivery {
  subscriptionId: string;
  url: string;
  secret: string;
  event: StoredEvent;
  /** The FeedMessage as JSON: the same bytes on every attempt, and exactly the bytes signed. */
  body: string;
  /** 1 for the first attempt at this event, 2 for the first retry, ... */
  attempt: number;
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; error: string };

export type SendWebhook = (delivery: WebhookDelivery, options: { timeoutMs: number; signal: AbortSignal }) => Promise<DeliveryResult>;

/**
 * POSTs a delivery. A 2xx answer acknowledges it; any other status (redirects are not followed: a webhook URL that
 * moved must be registered again), a network error or no answer within the timeout is a failure, described for
 * the subscription's lastError. Never throws. The answer's body is not read.
 */
export const sendWebhook: SendWebhook = async (delivery, { timeoutMs, signal }) => {
  const { event } = delivery;
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'pipeline-ledger-webhooks',
        [SIGNATURE_HEADER]: signWebhookBody(delivery.secret, delivery.body),
        'X-Pipeline-Event-Id': event.eventId,
        'X-Pipeline-Event-Type': event.type,
        'X-Pipeline-Position': event.position.toString(),
        'X-Pipeline-Subscription': delivery.subscriptionId,
        'X-Pipeline-Delivery-Attempt': String(delivery.attempt),
      },
      body: delivery.body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
  } catch (error) {
    return { ok: false, error: describeFailure(error, timeoutMs, signal) };
  }
};

function describeFailure(error: unknown, timeoutMs: number, signal: AbortSignal): string {
  if (signal.aborted) return 'stopped before an answer came (the service was stopping or the subscription changed)';
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  // fetch says "fetch failed"; the cause says why ("connect ECONNREFUSED 127.0.0.1:4000", "getaddrinfo ENOTFOUND ...").
  const why = e?.cause?.message || e?.cause?.code;
  const cause = why ? `: ${why}` : '';
  return `${e?.message ?? String(error)}${cause}`.slice(0, 500);
}
