import {
  ANY,
  AppendExpectedRevision,
  CurrentRevision,
  EventData,
  Filter,
  NO_STREAM,
  Position,
  RecordedEvent,
  STREAM_EXISTS,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { EventIdConflictError, WrongExpectedRevisionError } from './event-store.errors';
import { AppendResult, EventMetadata, ExpectedRevision, NewEvent, StoredEvent, SubscriptionFilter } from './event-store.port';

/**
 * The EventStoreDB adapter's translations between our port and the client's types, kept apart from the I/O so that
 * they are unit-tested on machines without a server (eventstoredb-mapping.spec.ts).
 */

/* ---------- positions ---------- */

/**
 * EventStoreDB places an event in $all by a pair: the commit position of its write and its own prepare position
 * (events of one append share the commit position). Our port has one bigint, so the pair is kept whole in it:
 * commit * 2^64 + prepare. Both are unsigned 64-bit on the server, so nothing is lost, and bigint order is $all order
 * (commit first, then prepare). A position from the SQLite store is a different number space: a deployment does not
 * switch stores under its checkpoints.
 */
const PREPARE_BITS = 64n;
const UINT64_LIMIT = 1n << PREPARE_BITS;
/** What the server reports for "no position" (stream reads of servers before 22.6, events of explicit transactions). */
const NO_POSITION = UINT64_LIMIT - 1n;

export function encodePosition(position: Position): bigint {
  const { commit, prepare } = position;
  if (commit < 0n || commit >= UINT64_LIMIT || prepare < 0n || prepare >= UINT64_LIMIT) {
    throw new RangeError(`not an EventStoreDB position: commit ${commit}, prepare ${prepare}`);
  }
  return (commit << PREPARE_BITS) | prepare;
}

export function decodePosition(position: bigint): Position {
  if (position < 0n || position >= UINT64_LIMIT * UINT64_LIMIT) throw new RangeError(`not an EventStoreDB position: ${position}`);
  return { commit: position >> PREPARE_BITS, prepare: position & (UINT64_LIMIT - 1n) };
}

function hasPosition(position: Position | undefined): position is Position {
  return position !== undefined && position.commit !== NO_POSITION && position.prepare !== NO_POSITION;
}

/**
 * A projection's position as its status reports it, "C:<commit>/P:<prepare>", encoded; null when it is not one
 * (a projection that has not started reports "C:-1/P:-1" or an empty string).
 */
export function parseProjectionPosition(text: string): bigint | null {
  const match = /^C:(\d+)\/P:(\d+)$/.exec(text.trim());
  if (!match) return null;
  return encodePosition({ commit: BigInt(match[1]!), prepare: BigInt(match[2]!) });
}

/* ---------- revisions ---------- */

export function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected === -1 ? NO_STREAM : BigInt(expected);
  }
}

/** A revision from the server as the port's number (revisions stay far below 2^53 in any stream we write). */
export function toRevision(revision: bigint): number {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`stream revision ${revision} is beyond what this service handles`);
  return Number(revision);
}

export function fromCurrentRevision(current: CurrentRevision): number | 'no_stream' {
  return current === NO_STREAM ? 'no_stream' : toRevision(current);
}

export function toWrongExpectedRevision(streamId: string, expected: ExpectedRevision, current: CurrentRevision): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, fromCurrentRevision(current));
}

/* ---------- events ---------- */

/**
 * Metadata keys the adapter adds for the server and removes on read: EventStoreDB's $by_correlation_id projection
 * files events under `$correlationId` (readCorrelated reads its $bc-<id> streams), and the schema version, which
 * EventStoreDB events have no field for. Added last, so the caller's keys keep their order (the hash chain hashes
 * the metadata as written).
 */
const CORRELATION_KEY = '$correlationId';
const CAUSATION_KEY = '$causationId';
const SCHEMA_VERSION_KEY = '$schemaVersion';
const ADDED_KEYS = new Set([CORRELATION_KEY, CAUSATION_KEY, SCHEMA_VERSION_KEY]);

export function toEventData(event: NewEvent): EventData {
  const metadata: Record<string, unknown> = { ...event.metadata, [CORRELATION_KEY]: event.metadata.correlationId, [SCHEMA_VERSION_KEY]: event.schemaVersion };
  if (event.metadata.causationId !== null) metadata[CAUSATION_KEY] = event.metadata.causationId;
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
}

/** Events the port never shows: system streams ($-prefixed: projections' links, stats, metadata) and system event types ($streamDeleted, ...). */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/** A recorded event as the port's StoredEvent. Throws when the server gave no $all position (see hasPosition). */
export function toStoredEvent(event: RecordedEvent): StoredEvent {
  if (!hasPosition(event.position)) {
    throw new Error(
      `EventStoreDB gave no $all position for event ${event.id} of ${event.streamId}: the adapter needs EventStoreDB 22.6 or later (positions on stream reads), and events not written in explicit transactions`,
    );
  }
  if (!event.isJson || typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new Error(`event ${event.id} of ${event.streamId} is not a JSON object: not written by this service`);
  }
  const stored = (event.metadata ?? {}) as Record<string, unknown>;
  const metadata: Record<string, unknown> = {};
  for (const key of Object.keys(stored)) if (!ADDED_KEYS.has(key)) metadata[key] = stored[key];
  metadata['recordedAt'] = event.created.toISOString();
  const schemaVersion = stored[SCHEMA_VERSION_KEY];
  return {
    eventId: event.id,
    streamId: event.streamId,
    revision: toRevision(event.revision),
    position: encodePosition(event.position),
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data as Record<string, unknown>,
    metadata: metadata as EventMetadata & { recordedAt: string },
  };
}

/* ---------- idempotent appends ---------- */

/**
 * What an append means given the stream's events that could already hold its ids: EventStoreDB checks ids only
 * against the events right after the expected revision, so the adapter decides from a read, as the port says:
 * - every id stored in this stream: a retry of an append that went through; written: false, where the stream is now;
 * - some of them: EventIdConflictError, nothing written;
 * - none: 'new', append it.
 */
export function classifyAppend(streamId: string, events: readonly NewEvent[], stored: readonly StoredEvent[], head: StoredEvent | undefined): { kind: 'new' } | { kind: 'retry'; result: AppendResult } {
  if (events.length === 0) return { kind: 'new' };
  const byId = new Map(stored.map((event) => [event.eventId, event]));
  const found = events.filter((event) => byId.has(event.eventId));
  if (found.length === 0) return { kind: 'new' };
  if (found.length < events.length || !head) throw new EventIdConflictError(streamId, found.map((event) => event.eventId));
  const position = found.reduce((max, event) => (byId.get(event.eventId)!.position > max ? byId.get(event.eventId)!.position : max), -1n);
  return { kind: 'retry', result: { streamId, nextExpectedRevision: head.revision, position, written: false } };
}

/**
 * Where in a stream an append's ids could already be: with a revision expected, only the events after it (a retry
 * lands there); with 'any' or 'stream_exists', anywhere in the stream.
 */
export function idCheckFrom(expected: ExpectedRevision): number {
  if (typeof expected === 'number') return expected + 1;
  return 0;
}

/* ---------- filters ---------- */

/**
 * The server-side filter for a subscription. EventStoreDB filters on stream names or on event types, not both: with
 * stream prefixes (the narrower, usually), those; with only types, an exact-match regex of them; with neither, every
 * stream whose name does not start with "$" (no system streams). Whatever the server cannot express is checked on
 * our side (isSystemEvent and matchesFilter), so the server's filter only has to be a superset.
 */
export function toServerFilter(filter: SubscriptionFilter | undefined, checkpointInterval: number, checkpointReached: NonNullable<Filter['checkpointReached']>): Filter {
  const options = { checkpointInterval, checkpointReached };
  if (filter?.streamPrefixes) {
    const prefixes = filter.streamPrefixes.filter((prefix) => !prefix.startsWith('$'));
    // No prefix left (only system ones): a regex that matches no stream name, rather than none at all (every stream).
    return prefixes.length > 0 ? streamNameFilter({ prefixes, ...options }) : streamNameFilter({ regex: '^(?!)', ...options });
  }
  if (filter?.eventTypes) {
    const types = filter.eventTypes.filter((type) => !type.startsWith('$'));
    return { filterOn: 'eventType', regex: types.length > 0 ? `^(?:${types.map(escapeRegex).join('|')})$` : '^(?!)', ...options };
  }
  return streamNameFilter({ regex: '^[^$]', ...options });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
