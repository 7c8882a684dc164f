import { DomainEventType, EVENT_SCHEMA_VERSIONS } from '@pipeline-ledger/domain';
import type { FeedMessage } from '../feed-message.schema';
import { exampleEventId } from './example-ids';
import { DecidedEvent } from './example-ledger';
import { decideExampleEvents } from './example-scenarios';
import { OLDER_VERSION_EXAMPLES } from './older-version-examples';

let cache: FeedMessage[] | undefined;

/**
 * Every example event as subscribers receive it, in global order: the data the real deciders decided in the example
 * scenarios, in an envelope (positions from 1, the store recording each a quarter of a second after it happened).
 */
export function exampleMessages(): readonly FeedMessage[] {
  cache ??= decideExampleEvents().map((event, index) => toExampleMessage(event, index + 1, EVENT_SCHEMA_VERSIONS[event.type]));
  return cache;
}

/** The first example of an event type in its current version. */
export function exampleMessageOf(type: DomainEventType): FeedMessage {
  const message = exampleMessages().find((m) => m.type === type);
  if (!message) throw new Error(`no example scenario decides a ${type}`);
  return message;
}

/** An example of an older version of an event type (as stored by an older service), in its envelope; undefined if none. */
export function olderExampleMessageOf(type: DomainEventType, version: number): FeedMessage | undefined {
  const older = OLDER_VERSION_EXAMPLES[type]?.[version];
  if (!older) return undefined;
  const { streamId, revision, position, ...event } = older;
  return toExampleMessage({ ...event, type, streamId, revision }, position, version);
}

function toExampleMessage(event: DecidedEvent, position: number, schemaVersion: number): FeedMessage {
  return {
    eventId: exampleEventId(position),
    position: String(position),
    streamId: event.streamId,
    type: event.type,
    schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: new Date(Date.parse(event.occurredAt) + 250).toISOString(),
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    data: event.data,
  };
}
