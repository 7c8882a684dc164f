import { hash as digest } from 'node:crypto';
import { NewEvent, StoredEvent } from './event-store.port';

/**
 * Tamper evidence: each event's metadata carries `hash`, the SHA-256 (hex) of the previous event's hash in its stream
 * and this event's content as JSON (event id, stream, revision, type, schema version, data, and its metadata without
 * `hash` and without the store's `recordedAt`, keys in the order they were written: a store must keep JSON as written,
 * as SQLite's TEXT and EventStoreDB do; one that reorders keys, like PostgreSQL's jsonb, would need a canonical
 * form). The first event of a stream chains from GENESIS. Changing any stored event, moving it to another stream or
 * revision, or changing an earlier one breaks every hash from there on; recomputing the chain finds the first event that does not match. (Cutting events off a stream's end leaves a
 * valid shorter chain: that is what revisions and positions elsewhere are for.)
 *
 * Events written before hashes existed carry none: they are chained implicitly (their hash is computed, not
 * stored), so the first hashed event after them still covers them, but they cannot be checked one by one.
 */
export const CHAIN_GENESIS = '0'.repeat(64);

type Chainable = Pick<StoredEvent, 'eventId' | 'streamId' | 'revision' | 'type' | 'schemaVersion' | 'data'> & { metadata: Record<string, unknown> };

/**
 * JSON text of event data already serialized on the way to the store (by the hash chain), by the data object: the
 * append (sqlite-stream-appender.ts) stores that text instead of serializing the same object again. Weak: it is gone
 * with the object. Only for objects nobody changes after they are appended, which events are.
 */
const serializedData = new WeakMap<object, string>();

/** The JSON text of event data, serialized once. */
export function dataJson(data: Record<string, unknown>): string {
  let json = serializedData.get(data);
  if (json === undefined) serializedData.set(data, (json = JSON.stringify(data)));
  return json;
}

export function eventHash(previous: string, event: Chainable): string {
  return hashOf(previous, event.eventId, event.streamId, event.revision, event.type, event.schemaVersion, event.data, event.metadata);
}

function hashOf(previous: string, eventId: string, streamId: string, revision: number, type: string, schemaVersion: number, data: Record<string, unknown>, metadata: Record<string, unknown>): string {
  // The metadata without its hash and recordedAt (copied only when it has them: a new event has neither).
  let hashed = metadata;
  if ('hash' in metadata || 'recordedAt' in metadata) {
    const { hash: _hash, recordedAt: _recordedAt, ...rest } = metadata;
    hashed = rest;
  }
  // Plain JSON.stringify, not a canonical form with sorted keys: key order survives the store (JSON text kept as
  // written, and JSON.parse keeps it), and sorting every key cost ~20 µs an event on the write path, 8% of a command.
  // The same text as JSON.stringify of the whole array, with the data's own JSON kept for the append to store as is.
  const content = `[${JSON.stringify(eventId)},${JSON.stringify(streamId)},${JSON.stringify(revision)},${JSON.stringify(type)},${JSON.stringify(schemaVersion)},${dataJson(data)},${JSON.stringify(hashed)}]`;
  return digest('sha256', `${previous}\n${content}`, 'hex'); // one-shot: cheaper than createHash for a few KB
}

/** The hash the next event of a stream chains from: the last event's stored hash, or the chain worked out. */
export function chainHead(events: readonly StoredEvent[]): string {
  const last = events[events.length - 1];
  if (!last) return CHAIN_GENESIS;
  if (typeof last.metadata['hash'] === 'string') return last.metadata['hash'];
  return events.reduce((previous, event) => (typeof event.metadata['hash'] === 'string' ? event.metadata['hash'] : eventHash(previous, event)), CHAIN_GENESIS);
}

/** New events with their hashes, chained from `previous`, as revisions firstRevision, firstRevision + 1, ... */
export function chainNewEvents(streamId: string, firstRevision: number, previous: string, events: readonly NewEvent[]): NewEvent[] {
  let hash = previous;
  return events.map((event, i) => {
    hash = hashOf(hash, event.eventId, streamId, firstRevision + i, event.type, event.schemaVersion, event.data, event.metadata);
    return { ...event, metadata: { ...event.metadata, hash } };
  });
}

export interface ChainBreak {
  streamId: string;
  eventId: string;
  revision: number;
  position: string;
  type: string;
  expectedHash: string;
  storedHash: string;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  /** Events whose stored hash matched. */
  verified: number;
  /** Events written before hashes existed: covered by the next hashed event, not checkable alone. */
  unchained: number;
  /** The first event whose stored hash does not match its content and the chain before it; null when none. */
  firstBroken: ChainBreak | null;
}

/** Recomputes a stream's chain (events in revision order) and reports the first event that does not match. */
export function verifyChain(events: readonly StoredEvent[]): ChainVerification {
  const verifier = new ChainVerifier();
  for (const event of events) {
    const broken = verifier.check(event);
    if (broken) return { ok: false, events: events.length, verified: verifier.verified, unchained: verifier.unchained, firstBroken: broken };
  }
  return { ok: true, events: events.length, verified: verifier.verified, unchained: verifier.unchained, firstBroken: null };
}

/**
 * Checks events of any number of streams, each stream's in revision order, interleaved as the global stream gives
 * them (the CLI's verify of a whole store). Keeps one hash per stream seen. A stream that broke is not checked
 * further: everything after its first broken event follows from it.
 */
export class ChainVerifier {
  verified = 0;
  unchained = 0;
  private readonly heads = new Map<string, string>();
  private readonly broken = new Set<string>();

  /** The break this event shows, or null (it matched, or carries no hash, or its stream broke already). */
  check(event: StoredEvent): ChainBreak | null {
    if (this.broken.has(event.streamId)) return null;
    const expected = eventHash(this.heads.get(event.streamId) ?? CHAIN_GENESIS, event);
    const stored = event.metadata['hash'];
    if (typeof stored === 'string' && stored !== expected) {
      this.broken.add(event.streamId);
      return { streamId: event.streamId, eventId: event.eventId, revision: event.revision, position: event.position.toString(), type: event.type, expectedHash: expected, storedHash: stored };
    }
    if (typeof stored === 'string') this.verified++;
    else this.unchained++;
    this.heads.set(event.streamId, expected);
    return null;
  }
}
