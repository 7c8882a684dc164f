import { AnyDomainEvent, EVENT_SCHEMA_VERSIONS, isDomainEventType } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';

/**
 * A stored event seen as the domain event union, so that a `switch (event.type)` narrows `data` to the type the
 * decider wrote. Returns null for a type the domain does not know (a projection ignores it).
 *
 * The data is trusted as written by the deciders in the current schema version of its type: the runner upcasts every
 * stored event before a projection sees it (libs/contracts). Any other version here would be read wrongly and silently
 * miscount the aggregates, so it throws instead: the runner stops the projection on that event and records why.
 */
export function domainEventOf(event: StoredEvent): AnyDomainEvent | null {
  if (!isDomainEventType(event.type)) return null;
  const expected = EVENT_SCHEMA_VERSIONS[event.type];
  if (event.schemaVersion !== expected) {
    throw new Error(`${event.type} ${event.eventId}: schema version ${event.schemaVersion} is not known to the projections (expected ${expected})`);
  }
  return { type: event.type, data: event.data } as unknown as AnyDomainEvent;
}
