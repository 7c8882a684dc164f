import { AnyDomainEvent, EVENT_SCHEMA_VERSIONS } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';

/** A domain event and its business time, as the fixtures build them; `recordedAt` when the store recorded it later. */
export interface TimedEvent {
  event: AnyDomainEvent;
  at: string;
  actor?: string;
  recordedAt?: string;
}

/** The same event, recorded by the store at `recordedAt` (a back-dated entry or an import: business time `at` is earlier). */
export function recordedAt(recorded: string, item: TimedEvent): TimedEvent {
  return { ...item, recordedAt: recorded };
}

/**
 * Stored events for specs: the envelope the store would write (stream per record, revisions from 0, growing global
 * positions, occurredAt = business time, recorded a second later unless the item says when).
 */
export class EventLog {
  readonly events: StoredEvent[] = [];
  private position = 0n;
  private readonly revisions = new Map<string, number>();

  add(...items: readonly TimedEvent[]): this {
    for (const { event, at, actor, recordedAt } of items) {
      const streamId = streamOf(event);
      const revision = (this.revisions.get(streamId) ?? -1) + 1;
      this.revisions.set(streamId, revision);
      this.position += 1n;
      this.events.push({
        eventId: `e-${this.position}`,
        streamId,
        revision,
        position: this.position,
        type: event.type,
        schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
        data: event.data as unknown as Record<string, unknown>,
        metadata: {
          actor: actor ?? 'tester',
          correlationId: `c-${this.position}`,
          causationId: null,
          occurredAt: at,
          recordedAt: recordedAt ?? new Date(Date.parse(at) + 1000).toISOString(),
        },
      });
    }
    return this;
  }
}

function streamOf(event: AnyDomainEvent): string {
  const data = event.data as unknown as Record<string, unknown>;
  for (const [key, kind] of [
    ['leadId', 'lead'],
    ['opportunityId', 'opportunity'],
    ['contactId', 'contact'],
    ['accountId', 'account'],
  ] as const) {
    if (typeof data[key] === 'string') return `${kind}-${data[key] as string}`;
  }
  throw new Error(`no record id in ${event.type}`);
}
