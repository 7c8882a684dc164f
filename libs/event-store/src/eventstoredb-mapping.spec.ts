import { ANY, NO_STREAM, RecordedEvent, STREAM_EXISTS } from '@eventstore/db-client';
import { EventIdConflictError, WrongExpectedRevisionError } from './event-store.errors';
import { NewEvent, StoredEvent } from './event-store.port';
import { eventHash, CHAIN_GENESIS } from './event-chain';
import {
  classifyAppend,
  decodePosition,
  encodePosition,
  fromCurrentRevision,
  idCheckFrom,
  isSystemEvent,
  parseProjectionPosition,
  toEventData,
  toExpectedRevision,
  toServerFilter,
  toStoredEvent,
  toWrongExpectedRevision,
} from './eventstoredb-mapping';

const MAX_U64 = 2n ** 64n - 1n;

describe('EventStoreDB mapping: positions', () => {
  it('keeps the commit/prepare pair whole and round-trips it, up to the largest 64-bit values', () => {
    for (const pair of [
      { commit: 0n, prepare: 0n },
      { commit: 1n, prepare: 0n },
      { commit: 123_456n, prepare: 123_789n },
      { commit: MAX_U64 - 1n, prepare: MAX_U64 - 1n },
      { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 3n }, // beyond what a double holds exactly
    ]) {
      expect(decodePosition(encodePosition(pair))).toEqual(pair);
    }
  });

  it('orders positions as $all does: by commit, then by prepare', () => {
    const inLogOrder = [
      { commit: 100n, prepare: 100n },
      { commit: 100n, prepare: 180n }, // a later event of the same write
      { commit: 260n, prepare: 200n },
      { commit: 300n, prepare: 0n },
    ].map(encodePosition);
    expect([...inLogOrder].sort((a, b) => (a < b ? -1 : 1))).toEqual(inLogOrder);
    expect(new Set(inLogOrder).size).toBe(4);
  });

  it('refuses what is not a pair of unsigned 64-bit values', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 0n, prepare: MAX_U64 + 1n })).toThrow(RangeError);
    expect(() => decodePosition(-1n)).toThrow(RangeError);
    expect(() => decodePosition(2n ** 128n)).toThrow(RangeError);
  });

  it("reads a projection's status position, and nothing from one that has not started", () => {
    expect(parseProjectionPosition('C:1510/P:1450')).toBe(encodePosition({ commit: 1510n, prepare: 1450n }));
    expect(parseProjectionPosition('C:-1/P:-1')).toBeNull();
    expect(parseProjectionPosition('')).toBeNull();
  });
});

describe('EventStoreDB mapping: revisions and errors', () => {
  it('maps expected revisions to the client, -1 as no stream', () => {
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toExpectedRevision(-1)).toBe(NO_STREAM);
    expect(toExpectedRevision(0)).toBe(0n);
    expect(toExpectedRevision(41)).toBe(41n);
  });

  it("maps the server's current revision back, and a wrong expected version to our conflict error", () => {
    expect(fromCurrentRevision(NO_STREAM)).toBe('no_stream');
    expect(fromCurrentRevision(7n)).toBe(7);
    expect(() => fromCurrentRevision(2n ** 53n)).toThrow(RangeError);

    const error = toWrongExpectedRevision('lead-1', 3, 5n);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'lead-1', expected: 3, actual: 5 });
    expect(toWrongExpectedRevision('lead-1', 'stream_exists', NO_STREAM)).toMatchObject({ actual: 'no_stream' });
  });
});

describe('EventStoreDB mapping: events', () => {
  const event: NewEvent = {
    eventId: '3f1c0a52-8a3f-4d59-9a59-2b7a4c8a1e01',
    type: 'LeadCreated',
    schemaVersion: 2,
    data: { leadId: 'l-1', company: 'Acme', nested: { b: 1, a: 2 } },
    metadata: { actor: 'user:ana', correlationId: 'corr-1', causationId: 'cmd-1', occurredAt: '2026-11-23T10:00:00.000Z', hash: 'h', extra: 1 },
  };

  /** What the server gives back for what toEventData sent. */
  function recorded(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
    const sent = toEventData(event);
    return {
      streamId: 'lead-1',
      id: sent.id,
      isJson: true,
      revision: 4n,
      type: sent.type,
      created: new Date('2026-11-23T10:00:01.234Z'),
      data: JSON.parse(JSON.stringify(sent.data)),
      metadata: JSON.parse(JSON.stringify(sent.metadata)),
      position: { commit: 900n, prepare: 950n },
      ...overrides,
    } as RecordedEvent;
  }

  it("sends the metadata with the server's correlation keys and the schema version added after the caller's keys", () => {
    const sent = toEventData(event);
    expect(sent).toMatchObject({ id: event.eventId, type: 'LeadCreated', contentType: 'application/json', data: event.data });
    expect(Object.keys(sent.metadata as object)).toEqual([...Object.keys(event.metadata), '$correlationId', '$schemaVersion', '$causationId']);
    expect(sent.metadata).toMatchObject({ $correlationId: 'corr-1', $causationId: 'cmd-1', $schemaVersion: 2 });
    expect(toEventData({ ...event, metadata: { ...event.metadata, causationId: null } }).metadata).not.toHaveProperty('$causationId');
  });

  it('reads back exactly what was appended, in key order, with recordedAt from the server and the pair as position', () => {
    const stored = toStoredEvent(recorded());
    expect(stored).toEqual({
      eventId: event.eventId,
      streamId: 'lead-1',
      revision: 4,
      position: encodePosition({ commit: 900n, prepare: 950n }),
      type: 'LeadCreated',
      schemaVersion: 2,
      data: event.data,
      metadata: { ...event.metadata, recordedAt: '2026-11-23T10:00:01.234Z' },
    });
    expect(Object.keys(stored.metadata)).toEqual([...Object.keys(event.metadata), 'recordedAt']);
  });

  it('keeps the hash chain valid through the round trip (the metadata hashes as written)', () => {
    const { hash: _hash, ...unhashed } = event.metadata;
    const written = { ...event, metadata: unhashed };
    const hash = eventHash(CHAIN_GENESIS, { ...written, streamId: 'lead-1', revision: 4 });
    const stored = toStoredEvent(recorded({ metadata: JSON.parse(JSON.stringify(toEventData({ ...written, metadata: { ...unhashed, hash } }).metadata)) } as Partial<RecordedEvent>));
    expect(eventHash(CHAIN_GENESIS, stored)).toBe(hash);
  });

  it('refuses an event without a position (an old server, an explicit transaction) or without a JSON object', () => {
    expect(() => toStoredEvent(recorded({ position: undefined }))).toThrow(/22\.6 or later/);
    expect(() => toStoredEvent(recorded({ position: { commit: MAX_U64, prepare: MAX_U64 } }))).toThrow(/no \$all position/);
    expect(() => toStoredEvent(recorded({ isJson: false, data: new Uint8Array([1]) } as Partial<RecordedEvent>))).toThrow(/not a JSON object/);
  });

  it('takes system streams and system event types for system events', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$bc-corr-1', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'lead-1', type: '$streamDeleted' })).toBe(true);
    expect(isSystemEvent({ streamId: 'lead-1', type: 'LeadCreated' })).toBe(false);
  });
});

describe('EventStoreDB mapping: idempotent appends', () => {
  const newEvent = (eventId: string): NewEvent => ({ eventId, type: 'T', schemaVersion: 1, data: {}, metadata: { actor: 'a', correlationId: 'c', causationId: null, occurredAt: 't' } });
  const storedEvent = (eventId: string, revision: number): StoredEvent => ({ ...newEvent(eventId), streamId: 's', revision, position: BigInt(100 + revision), metadata: { ...newEvent(eventId).metadata, recordedAt: 't' } });

  it('looks for the ids right after an expected revision, and anywhere in the stream otherwise', () => {
    expect(idCheckFrom(4)).toBe(5);
    expect(idCheckFrom(-1)).toBe(0);
    expect(idCheckFrom('no_stream')).toBe(0);
    expect(idCheckFrom('any')).toBe(0);
    expect(idCheckFrom('stream_exists')).toBe(0);
  });

  it('takes an append whose ids are all stored for a retry: not written, where the stream is now, the last of its positions', () => {
    const stored = [storedEvent('a', 0), storedEvent('b', 1), storedEvent('c', 2)];
    expect(classifyAppend('s', [newEvent('a'), newEvent('b')], stored, stored[2])).toEqual({
      kind: 'retry',
      result: { streamId: 's', nextExpectedRevision: 2, position: 101n, written: false },
    });
  });

  it('refuses an append whose ids are only partly stored, naming those', () => {
    const stored = [storedEvent('a', 0)];
    const error = (() => {
      try {
        classifyAppend('s', [newEvent('a'), newEvent('z')], stored, stored[0]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect((error as EventIdConflictError).eventIds).toEqual(['a']);
  });

  it('takes an append none of whose ids are stored (or an empty one) for new', () => {
    const stored = [storedEvent('a', 0)];
    expect(classifyAppend('s', [newEvent('y'), newEvent('z')], stored, stored[0])).toEqual({ kind: 'new' });
    expect(classifyAppend('s', [], stored, stored[0])).toEqual({ kind: 'new' });
  });
});

describe('EventStoreDB mapping: subscription filters', () => {
  const reached = () => undefined;

  it('without a filter, asks for every stream but the system ones', () => {
    expect(toServerFilter(undefined, 1, reached)).toMatchObject({ filterOn: 'streamName', regex: '^[^$]', checkpointInterval: 1 });
  });

  it('with stream prefixes, filters on them (types are then checked on our side)', () => {
    expect(toServerFilter({ streamPrefixes: ['lead-', 'opportunity-'], eventTypes: ['LeadCreated'] }, 1, reached)).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['lead-', 'opportunity-'],
    });
  });

  it('with event types only, filters on exactly those types (a regex anchored at both ends, names escaped)', () => {
    const filter = toServerFilter({ eventTypes: ['LeadCreated', 'Odd.Type+1'] }, 1, reached) as { filterOn: string; regex: string };
    expect(filter.filterOn).toBe('eventType');
    const regex = new RegExp(filter.regex);
    expect(regex.test('LeadCreated')).toBe(true);
    expect(regex.test('Odd.Type+1')).toBe(true);
    expect(regex.test('LeadCreatedV2')).toBe(false);
    expect(regex.test('OddxType+1')).toBe(false);
    expect(regex.test('XLeadCreated')).toBe(false);
  });

  it('with only system names left, matches nothing rather than everything', () => {
    for (const filter of [{ eventTypes: ['$>'] }, { streamPrefixes: ['$ce-'] }]) {
      const server = toServerFilter(filter, 1, reached) as { regex?: string };
      expect(server.regex).toBe('^(?!)');
      expect(new RegExp(server.regex!).test('anything')).toBe(false);
    }
  });

  it('hands the checkpoint callback to the server filter', () => {
    expect(toServerFilter({ eventTypes: ['A'] }, 3, reached)).toMatchObject({ checkpointInterval: 3, checkpointReached: reached });
  });
});
