import { FeedMessage, upcast } from '@pipeline-ledger/contracts';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '@pipeline-ledger/domain';
import { StoredEvent, SubscriptionFilter } from '@pipeline-ledger/event-store';
import { z } from 'zod';

// The message's type is part of the published contract (libs/contracts), which the AsyncAPI document is built from.
export type { FeedMessage };

/**
 * An event as subscribers receive it: always in its type's current schema version (older stored versions are upcast),
 * with the store's own bookkeeping (request hashes, idempotency keys, the hash chain) left inside.
 */
export function toFeedMessage(stored: StoredEvent): FeedMessage {
  const event = upcast(stored);
  return {
    eventId: event.eventId,
    position: event.position.toString(),
    streamId: event.streamId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.metadata.recordedAt,
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    data: event.data,
  };
}

/** Which events a subscriber wants: some types, some stream prefixes ("lead-", "opportunity-"), or both; none: all. */
export const feedFilterSchema = z.object({
  eventTypes: z
    .array(z.enum(DOMAIN_EVENT_TYPES as [DomainEventType, ...DomainEventType[]], { error: (issue) => `unknown event type ${JSON.stringify(issue.input)} (GET /asyncapi.json lists them)` }))
    .min(1, 'must name at least one event type')
    .max(DOMAIN_EVENT_TYPES.length)
    .optional(),
  streamPrefixes: z.array(z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).min(1, 'must name at least one prefix').max(20, 'at most 20 prefixes').optional(),
});
export type FeedFilter = z.infer<typeof feedFilterSchema>;

/** The store's subscription filter for a feed filter; undefined when it lets everything through. */
export function toSubscriptionFilter(filter: FeedFilter): SubscriptionFilter | undefined {
  if (!filter.eventTypes && !filter.streamPrefixes) return undefined;
  return { eventTypes: filter.eventTypes, streamPrefixes: filter.streamPrefixes };
}
