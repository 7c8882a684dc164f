import { WebhookSubscription } from './webhook-store.port';

/** A subscription as the API shows it: everything but the secret (which only the creating answer shows). */
export function presentWebhook(s: WebhookSubscription) {
  return {
    id: s.id,
    url: s.url,
    filter: s.filter,
    status: s.status,
    /** The last acknowledged global position, as a decimal string; null: nothing delivered yet, from the first event. */
    position: s.position?.toString() ?? null,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
    /** false: deliveries carry "[redacted]" for personal fields (its creator had no pii grant). */
    pii: s.pii,
    deliveredCount: s.deliveredCount,
    consecutiveFailures: s.consecutiveFailures,
    lastError: s.lastError,
    lastAttemptAt: s.lastAttemptAt,
    nextAttemptAt: s.nextAttemptAt,
    pausedAt: s.pausedAt,
  };
}
