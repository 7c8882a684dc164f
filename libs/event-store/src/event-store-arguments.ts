import { EventIdConflictError } from './event-store.errors';
import { ExpectedRevision, NewEvent, SubscriptionFilter } from './event-store.port';

/**
 * Argument checks every adapter makes the same way, so that a malformed call fails alike (and before it reaches a
 * server) whichever store is in use.
 */

/** Checks an append's shape; throws TypeError / RangeError, or EventIdConflictError for an id given twice. */
export function checkAppend(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  if (typeof expectedRevision === 'number' && !(Number.isSafeInteger(expectedRevision) && expectedRevision >= -1)) {
    throw new RangeError(`expectedRevision must be an integer >= -1, got ${expectedRevision}`);
  }
  if (typeof expectedRevision !== 'number' && !['any', 'no_stream', 'stream_exists'].includes(expectedRevision)) {
    throw new RangeError(`unknown expectedRevision ${String(expectedRevision)}`);
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const event of events) {
    if (typeof event.eventId !== 'string' || event.eventId.length === 0) {
      throw new TypeError('every event needs a non-empty string eventId');
    }
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('every event needs a type');
    if (!Number.isSafeInteger(event.schemaVersion)) throw new TypeError('schemaVersion must be an integer');
    asJsonObject(event.data, 'data');
    asJsonObject(event.metadata, 'metadata');
    if (seen.has(event.eventId)) duplicates.add(event.eventId);
    seen.add(event.eventId);
  }
  if (duplicates.size > 0) throw new EventIdConflictError(streamId, [...duplicates]);
}

export function asJsonObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`event ${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Whether a stream at `actual` (its last revision, or 'no_stream') is where `expected` wants it; -1 = 'no_stream'. */
export function satisfies(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return expected === -1 ? actual === 'no_stream' : actual === expected;
  }
}

export function checkFilter(filter: SubscriptionFilter): SubscriptionFilter {
  const list = (name: keyof SubscriptionFilter): readonly string[] | undefined => {
    const value = filter[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new TypeError(`filter.${name} must be an array of non-empty strings`);
    }
    return [...value];
  };
  const checked = { eventTypes: list('eventTypes'), streamPrefixes: list('streamPrefixes') };
  if (!checked.eventTypes && !checked.streamPrefixes) throw new TypeError('a filter needs eventTypes, streamPrefixes or both');
  return checked;
}

/** Whether an event passes a (checked) filter: one of its types, if given, and one of its stream prefixes, if given. */
export function matchesFilter(filter: SubscriptionFilter, event: { type: string; streamId: string }): boolean {
  return (!filter.eventTypes || filter.eventTypes.includes(event.type)) && (!filter.streamPrefixes || filter.streamPrefixes.some((p) => event.streamId.startsWith(p)));
}

export function checkDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`liveDelayMs must be a number >= 0, got ${ms}`);
  return ms;
}

/** A maxCount as given, or the fallback when none is; rejects nonsense rather than silently reading everything. */
export function toLimit(maxCount: number | undefined, fallback: number): number {
  if (maxCount === undefined) return fallback;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be an integer >= 0, got ${maxCount}`);
  return maxCount;
}
