import { FeedFilter } from '../feed/feed-message';

export type WebhookStatus = 'active' | 'paused';

/** A webhook subscription: where to deliver, which events, and how far delivery has got. */
export interface WebhookSubscription {
  id: string;
  url: string;
  filter: FeedFilter;
  /** Kept as it was given out, not hashed: every delivery is signed with it. */
  secret: string;
  /** paused: it kept failing; nothing is delivered until it is resumed. */
  status: WebhookStatus;
  /** The global position of the last acknowledged delivery (or where delivery starts); null: before the first event. */
  position: bigint | null;
  createdAt: string;
  /** The actor who created it (`key:<id>`, `user:<sub>`); null for subscriptions made before authentication. */
  createdBy: string | null;
  /**
   * Whether its creator could see personal fields: deliveries carry them, or read "[redacted]" where they are.
   * Subscriptions made before authentication existed have false.
   */
  pii: boolean;
  /** Deliveries acknowledged (2xx) so far. */
  deliveredCount: number;
  /** Failed attempts since the last acknowledged one (or the last resume). */
  consecutiveFailures: number;
  /** The last failed attempt's error; kept after later successes, for the record. */
  lastError: string | null;
  lastAttemptAt: string | null;
  /** When the next retry of a failed delivery is due; null when none is waiting. */
  nextAttemptAt: string | null;
  pausedAt: string | null;
}

export type NewWebhookSubscription = Pick<WebhookSubscription, 'id' | 'url' | 'filter' | 'secret' | 'position' | 'createdAt' | 'createdBy' | 'pii'>;

export interface DeliveryFailure {
  /** What went wrong, for people: "HTTP 500 Internal Server Error", "timed out after 10000 ms", ... */
  error: string;
  at: string;
  /** When it will be tried again; null when it will not be (paused). */
  nextAttemptAt: string | null;
  /** Pause the subscription: it has failed too many times in a row. */
  pause: boolean;
}

/**
 * Where webhook subscriptions and their delivery progress are kept. The acknowledged position is written after every
 * acknowledged delivery, so a restart resumes right after it (at-least-once: a delivery that was made but whose
 * acknowledgement was not written yet is made again, with the same event id).
 * Adapters: sqlite.webhook-store.ts (a table in the events file), mongodb.webhook-store.ts (production); both pass
 * webhook-store.contract.ts.
 */
export interface WebhookStore {
  create(subscription: NewWebhookSubscription): Promise<WebhookSubscription>;
  get(id: string): Promise<WebhookSubscription | null>;
  /** Every subscription, oldest first. */
  list(): Promise<WebhookSubscription[]>;
  /** False when there was no such subscription. */
  delete(id: string): Promise<boolean>;
  /** Active again, failure count back to 0; null when there is no such subscription. Resuming an active one changes nothing. */
  resume(id: string): Promise<WebhookSubscription | null>;
  /** A delivery was acknowledged: its position, one more delivered, no failures. False when the subscription is gone. */
  acknowledge(id: string, position: bigint, at: string): Promise<boolean>;
  /** An attempt failed: one more consecutive failure, and maybe paused. False when the subscription is gone. */
  recordFailure(id: string, failure: DeliveryFailure): Promise<boolean>;
  close(): Promise<void>;
}

export const WEBHOOK_STORE = Symbol('WEBHOOK_STORE');
