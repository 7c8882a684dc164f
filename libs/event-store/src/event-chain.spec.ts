import { createHash } from 'node:crypto';
import { CHAIN_GENESIS, chainHead, chainNewEvents, eventHash, verifyChain } from './event-chain';
import { NewEvent, StoredEvent } from './event-store.port';

const metadata = { actor: 'user:a', correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z' };
const newEvent = (n: number): NewEvent => ({ eventId: `e${n}`, type: 'Thing', schemaVersion: 1, data: { n, nested: { b: 2, a: 1 } }, metadata });

/** What the store gives back: positions, its clock, and the data through JSON. */
function stored(events: NewEvent[], streamId = 's-1'): StoredEvent[] {
  return events.map((e, i) => ({
    ...JSON.parse(JSON.stringify(e)),
    streamId,
    revision: i,
    position: BigInt(100 + i),
    metadata: { ...JSON.parse(JSON.stringify(e.metadata)), recordedAt: '2026-01-02T00:00:00.000Z' },
  }));
}

describe('event hash chain', () => {
  it('chains new events so that the stored stream verifies, and continues from its head', () => {
    const first = chainNewEvents('s-1', 0, CHAIN_GENESIS, [newEvent(0), newEvent(1)]);
    const more = chainNewEvents('s-1', 2, chainHead(stored(first)), [newEvent(2)]);
    expect(verifyChain(stored([...first, ...more]))).toEqual({ ok: true, events: 3, verified: 3, unchained: 0, firstBroken: null });
  });

  it('finds the first event whose content, metadata, stream or place changed', () => {
    const events = stored(chainNewEvents('s-1', 0, CHAIN_GENESIS, [newEvent(0), newEvent(1), newEvent(2)]));
    const alter = (i: number, change: (e: StoredEvent) => StoredEvent) => verifyChain(events.map((e, j) => (j === i ? change(e) : e))).firstBroken?.revision;
    expect(alter(1, (e) => ({ ...e, data: { ...e.data, n: 99 } }))).toBe(1);
    expect(alter(2, (e) => ({ ...e, metadata: { ...e.metadata, actor: 'user:mallory' } }))).toBe(2);
    expect(alter(0, (e) => ({ ...e, streamId: 's-2' }))).toBe(0);
    expect(alter(1, (e) => ({ ...e, type: 'OtherThing' }))).toBe(1);
    // The store's own clock is not part of the content.
    expect(alter(1, (e) => ({ ...e, metadata: { ...e.metadata, recordedAt: '2030-01-01T00:00:00.000Z' } }))).toBeUndefined();
  });

  it('covers events written before hashes existed through the next hashed one', () => {
    const legacy = stored([newEvent(0), newEvent(1)]); // no hashes
    const next = chainNewEvents('s-1', 2, chainHead(legacy), [newEvent(2)]);
    const all = [...legacy, ...stored([newEvent(0), newEvent(1), ...next]).slice(2)];
    expect(verifyChain(all)).toMatchObject({ ok: true, verified: 1, unchained: 2 });
    const tamperedLegacy = all.map((e, i) => (i === 0 ? { ...e, data: { n: -1 } } : e));
    expect(verifyChain(tamperedLegacy)).toMatchObject({ ok: false, firstBroken: { revision: 2 } });
    expect(eventHash(CHAIN_GENESIS, all[0]!)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('eventHash text', () => {
  it('is the SHA-256 of the previous hash and the JSON of [id, stream, revision, type, version, data, metadata without hash and recordedAt], as chains stored before hashed it', () => {
    const event = {
      eventId: 'e-1',
      streamId: 'lead-"quoted"\u2028',
      revision: 3,
      type: 'LeadCreated',
      schemaVersion: 2,
      data: { sealed: 'pl:enc:1:key:abc', nothing: null, left: undefined, nested: { list: [1, 'two'] }, text: '🚀\n' },
      metadata: { actor: 'a', correlationId: 'c', causationId: null, occurredAt: 't', hash: 'old', recordedAt: 'r', extra: { q: 1 } },
    };
    const { hash: _hash, recordedAt: _recordedAt, ...metadata } = event.metadata;
    const text = `previous\n${JSON.stringify([event.eventId, event.streamId, event.revision, event.type, event.schemaVersion, event.data, metadata])}`;
    expect(eventHash('previous', event)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
