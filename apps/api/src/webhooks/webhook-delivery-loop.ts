import { setTimeout } from 'node:timers/promises';
import { EventStore, StoredEvent } from '@pipeline-ledger/event-store';
import { redactEventMessage } from '../auth/redaction';
import { WebhookConfig } from '../config/app-config';
import { toFeedMessage, toSubscriptionFilter } from '../feed/feed-message';
import { backoffDelayMs } from './webhook-backoff';
import { SendWebhook, sendWebhook } from './webhook-sender';
import { WebhookStore, WebhookSubscription } from './webhook-store.port';

export interface DeliveryLoopDeps {
  events: EventStore;
  store: WebhookStore;
  settings: WebhookConfig;
  logger: { log(message: string): void; warn(message: string): void; error(message: string): void };
  send?: SendWebhook;
}

/** Delay before reading a subscription again after the stores failed (not the receiver: that is the backoff). */
const STORE_RETRY_MS = 100;
const STORE_RETRY_MAX_MS = 30_000;

/**
 * Delivers one subscription's events, one at a time, in position order: follows the global stream (filtered) from
 * the last acknowledged position, POSTs each event until the receiver answers 2xx, and only then stores the
 * position and moves to the next one. A failed attempt waits its backoff and tries the same event again; the
 * next event waits. After `maxAttempts` failures in a row the subscription is paused and the loop ends.
 * It also ends when the subscription is deleted or stop() is called; a delivery under way is then abandoned
 * unacknowledged, and made again by the next loop (at-least-once, same event id).
 */
export class WebhookDeliveryLoop {
  private readonly abort = new AbortController();
  private readonly send: SendWebhook;
  private running: Promise<void> | null = null;

  constructor(
    readonly subscriptionId: string,
    private readonly deps: DeliveryLoopDeps,
  ) {
    this.send = deps.send ?? sendWebhook;
  }

  /** Runs until the subscription is paused or gone, or stop() is called. */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async run(): Promise<void> {
    let retryMs = STORE_RETRY_MS;
    while (!this.signal.aborted) {
      try {
        const subscription = await this.deps.store.get(this.subscriptionId);
        if (!subscription || subscription.status !== 'active') return;
        await this.deliverFrom(subscription);
        return;
      } catch (error) {
        if (this.signal.aborted) return;
        // The event store or the webhook store failed: start again from the acknowledged position, a little later.
        this.deps.logger.error(`webhook ${this.subscriptionId}: ${(error as Error).message}; starting again from the last acknowledged position in ${retryMs} ms`);
        await sleep(retryMs, this.signal);
        retryMs = Math.min(retryMs * 2, STORE_RETRY_MAX_MS);
      }
    }
  }

  /** Returns when paused, gone or stopped. */
  private async deliverFrom(subscription: WebhookSubscription): Promise<void> {
    const { settings, store } = this.deps;
    let failures = subscription.consecutiveFailures;
    // A retry that was waiting when the service stopped keeps its time.
    if (subscription.nextAttemptAt) await sleep(Date.parse(subscription.nextAttemptAt) - Date.now(), this.signal);
    const events = this.deps.events.subscribeToAll({ after: subscription.position, filter: toSubscriptionFilter(subscription.filter), signal: this.signal });
    for await (const event of events) {
      const body = JSON.stringify(redactEventMessage(subscription, toFeedMessage(event)));
      for (;;) {
        if (this.signal.aborted) return;
        const result = await this.send(this.delivery(subscription, event, body, failures + 1), { timeoutMs: settings.timeoutMs, signal: this.signal });
        const at = new Date();
        if (result.ok) {
          if (!(await store.acknowledge(subscription.id, event.position, at.toISOString()))) return; // deleted meanwhile
          failures = 0;
          break;
        }
        if (this.signal.aborted) return; // cut short by stop(): not the receiver's failure
        failures++;
        const pause = failures >= settings.maxAttempts;
        const delayMs = pause ? 0 : backoffDelayMs(failures, { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs });
        const nextAttemptAt = pause ? null : new Date(at.getTime() + delayMs).toISOString();
        if (!(await store.recordFailure(subscription.id, { error: result.error, at: at.toISOString(), nextAttemptAt, pause }))) return;
        if (pause) {
          this.deps.logger.warn(
            `webhook ${subscription.id} paused after ${failures} failed attempts at event ${event.eventId} (position ${event.position}): ${result.error}; POST /webhooks/${subscription.id}/resume continues from it`,
          );
          return;
        }
        await sleep(delayMs, this.signal);
      }
    }
  }

  private delivery(subscription: WebhookSubscription, event: StoredEvent, body: string, attempt: number) {
    return { subscriptionId: subscription.id, url: subscription.url, secret: subscription.secret, event, body, attempt };
  }
}

/** Resolves after `ms` (at once if it is not positive), or as soon as `signal` aborts; never rejects. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal.aborted) return Promise.resolve();
  return setTimeout(ms, undefined, { signal }).catch(() => undefined);
}
