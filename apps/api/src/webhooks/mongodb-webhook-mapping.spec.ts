import { BSON, Decimal128, Double, Long } from 'mongodb';
import {
  WEBHOOK_LIST_ORDER,
  WebhookDocument,
  acknowledgeUpdate,
  byId,
  decodePosition,
  encodePosition,
  failureUpdate,
  newWebhookDocument,
  pausedById,
  resumeUpdate,
  toWebhookSubscription,
} from './mongodb-webhook-mapping';
import { NewWebhookSubscription } from './webhook-store.port';

/** Through BSON and back, as a document goes to the server and comes back from it. */
const roundTrip = <T>(document: object): T => BSON.deserialize(BSON.serialize(document)) as T;

/** EventStoreDB's positions as its adapter packs them: commit * 2^64 + prepare. */
const eventStoreDbPosition = (commit: bigint, prepare: bigint): bigint => (commit << 64n) | prepare;

describe('MongoWebhookStore mapping', () => {
  const subscription = (extra: Partial<NewWebhookSubscription> = {}): NewWebhookSubscription => ({
    id: 'a',
    url: 'https://hooks.example.com/a',
    filter: { eventTypes: ['LeadCreated'], streamPrefixes: ['lead-'] },
    secret: 'secret-a',
    position: null,
    createdAt: '2026-03-01T09:00:00.000Z',
    createdBy: 'key:0123456789abcdef',
    pii: false,
    ...extra,
  });
  const stored = (extra: Partial<NewWebhookSubscription> = {}, seq = 1): WebhookDocument => ({ ...newWebhookDocument(subscription(extra)), seq });

  describe('positions', () => {
    const positions = [
      0n,
      1n,
      2n ** 53n + 1n,
      2n ** 63n,
      2n ** 64n - 1n,
      eventStoreDbPosition(5_000_000_000n, 5_000_000_100n),
      eventStoreDbPosition(2n ** 64n - 1n, 2n ** 64n - 2n),
      2n ** 128n - 1n,
    ];

    it.each(positions)('keeps %s exactly, as decimal digits, through BSON', (position) => {
      const read = roundTrip<WebhookDocument>(stored({ position }));
      expect(read.position).toBe(position.toString());
      expect(decodePosition(read.position)).toBe(position);
      expect(toWebhookSubscription(read).position).toBe(position);
    });

    it('keeps no position as null', () => {
      expect(newWebhookDocument(subscription({ position: null })).position).toBeNull();
      expect(decodePosition(null)).toBeNull();
      expect(decodePosition(undefined)).toBeNull();
    });

    it.each([
      ['negative', -1n],
      ['129 bits', 2n ** 128n],
      ['far beyond', 10n ** 60n],
    ])('refuses a position that is no global position (%s), as the SQLite store does', (_, position) => {
      expect(() => encodePosition(position)).toThrow(RangeError);
      expect(() => newWebhookDocument(subscription({ position }))).toThrow(RangeError);
      expect(() => acknowledgeUpdate(position, 't1')).toThrow(RangeError);
    });

    it('refuses a number for a position (a double loses digits)', () => {
      expect(() => encodePosition(12 as unknown as bigint)).toThrow(TypeError);
    });

    it.each([
      ['a double', 12],
      ['a BSON double', new Double(12)],
      ['a BSON long', Long.fromNumber(12)],
      ['a decimal128', Decimal128.fromString('12')],
      ['an empty string', ''],
      ['an exponent', '1e3'],
      ['a leading zero', '012'],
      ['a minus sign', '-1'],
      ['hex', '0x10'],
      ['spaces', ' 12'],
      ['a fraction', '12.0'],
    ])('refuses a stored position that is not decimal digits: %s', (_, value) => {
      expect(() => decodePosition(value)).toThrow(TypeError);
    });

    it('refuses a stored position beyond 128 bits', () => {
      expect(() => decodePosition((2n ** 128n).toString())).toThrow(RangeError);
    });
  });

  describe('a new subscription', () => {
    it('is an active document under its id, nothing delivered or failed, with no place in the creation order yet', () => {
      const document = newWebhookDocument(subscription({ position: 41n, pii: true }));
      expect(document).toEqual({
        _id: 'a',
        url: 'https://hooks.example.com/a',
        filter: { eventTypes: ['LeadCreated'], streamPrefixes: ['lead-'] },
        secret: 'secret-a',
        status: 'active',
        position: '41',
        createdAt: '2026-03-01T09:00:00.000Z',
        createdBy: 'key:0123456789abcdef',
        pii: true,
        deliveredCount: 0,
        consecutiveFailures: 0,
        lastError: null,
        lastAttemptAt: null,
        nextAttemptAt: null,
        pausedAt: null,
      });
      expect(document).not.toHaveProperty('seq');
    });

    it('reads back, through BSON, as the port gave it, active and fresh', () => {
      const given = subscription({ position: 41n, createdBy: null, pii: true });
      expect(toWebhookSubscription(roundTrip<WebhookDocument>({ ...newWebhookDocument(given), seq: 3 }))).toEqual({
        ...given,
        status: 'active',
        deliveredCount: 0,
        consecutiveFailures: 0,
        lastError: null,
        lastAttemptAt: null,
        nextAttemptAt: null,
        pausedAt: null,
      });
    });

    it('keeps the filter as JSON would (as SQLite does): fields left undefined are dropped, an empty one stays empty', () => {
      const filter = { eventTypes: ['LeadCreated' as const], streamPrefixes: undefined };
      const document = newWebhookDocument(subscription({ filter }));
      expect(Object.keys(document.filter)).toEqual(['eventTypes']);
      expect(toWebhookSubscription(roundTrip<WebhookDocument>({ ...document, seq: 1 })).filter).toStrictEqual({ eventTypes: ['LeadCreated'] });
      expect(toWebhookSubscription(roundTrip<WebhookDocument>(stored({ filter: {} }))).filter).toStrictEqual({});
    });

    it('does not share the filter it was given', () => {
      const given = subscription();
      const document = newWebhookDocument(given);
      given.filter.streamPrefixes!.push('opportunity-');
      expect(document.filter.streamPrefixes).toEqual(['lead-']);
    });
  });

  describe('reading a subscription back', () => {
    it('reads counts, errors and times as stored, and the missing optional fields as null', () => {
      const document = { ...stored({ position: 7n }), deliveredCount: 3, consecutiveFailures: 2, lastError: 'HTTP 500', lastAttemptAt: 't1', nextAttemptAt: 't2', status: 'paused', pausedAt: 't1' };
      expect(toWebhookSubscription(roundTrip<WebhookDocument>(document))).toMatchObject({
        status: 'paused',
        position: 7n,
        deliveredCount: 3,
        consecutiveFailures: 2,
        lastError: 'HTTP 500',
        lastAttemptAt: 't1',
        nextAttemptAt: 't2',
        pausedAt: 't1',
      });
      const { createdBy: _c, lastError: _e, lastAttemptAt: _l, nextAttemptAt: _n, pausedAt: _p, ...sparse } = stored();
      expect(toWebhookSubscription(roundTrip<WebhookDocument>(sparse))).toMatchObject({ createdBy: null, lastError: null, lastAttemptAt: null, nextAttemptAt: null, pausedAt: null });
    });

    it('reads a count the server made an int64 (past 2^31) as a number', () => {
      const read = BSON.deserialize(BSON.serialize({ ...stored(), deliveredCount: Long.fromNumber(2 ** 33) })) as WebhookDocument;
      expect(toWebhookSubscription(read).deliveredCount).toBe(2 ** 33);
    });

    it.each([
      ['an unknown status', { status: 'deleted' }],
      ['a filter that is not a document', { filter: '{}' }],
      ['a filter that is an array', { filter: [] }],
      ['a count that is not a number', { deliveredCount: '1' }],
      ['a negative count', { consecutiveFailures: -1 }],
      ['a position that is a number', { position: 12 }],
    ])('refuses a corrupt document: %s', (_, corruption) => {
      expect(() => toWebhookSubscription({ ...stored(), ...corruption } as unknown as WebhookDocument)).toThrow(TypeError);
    });
  });

  describe('writes', () => {
    it('finds by id, and resumes only a paused one', () => {
      expect(byId('a')).toEqual({ _id: 'a' });
      expect(pausedById('a')).toEqual({ _id: 'a', status: 'paused' });
    });

    it('resumes: active, no failures, no retry waiting, not paused; nothing else touched', () => {
      expect(resumeUpdate()).toEqual({ $set: { status: 'active', consecutiveFailures: 0, nextAttemptAt: null, pausedAt: null } });
    });

    it('acknowledges in one update: the position as digits, one more delivered, the failure count cleared, the last error kept', () => {
      expect(acknowledgeUpdate(eventStoreDbPosition(7n, 5n), 't3')).toEqual({
        $set: { position: eventStoreDbPosition(7n, 5n).toString(), consecutiveFailures: 0, lastAttemptAt: 't3', nextAttemptAt: null },
        $inc: { deliveredCount: 1 },
      });
    });

    it('records a failure in one update: one more consecutive failure, the error, the time and the next attempt', () => {
      expect(failureUpdate({ error: 'HTTP 500', at: 't1', nextAttemptAt: 't2', pause: false })).toEqual({
        $set: { lastError: 'HTTP 500', lastAttemptAt: 't1', nextAttemptAt: 't2' },
        $inc: { consecutiveFailures: 1 },
      });
    });

    it('pauses with the failure when told, at its time', () => {
      expect(failureUpdate({ error: 'timed out', at: 't6', nextAttemptAt: null, pause: true })).toEqual({
        $set: { lastError: 'timed out', lastAttemptAt: 't6', nextAttemptAt: null, status: 'paused', pausedAt: 't6' },
        $inc: { consecutiveFailures: 1 },
      });
    });

    it('sends updates BSON can carry, a 128-bit position as its digits', () => {
      const position = eventStoreDbPosition(2n ** 64n - 1n, 2n ** 64n - 2n);
      const sent = roundTrip<{ $set: { position: unknown } }>(acknowledgeUpdate(position, 't1'));
      expect(sent.$set.position).toBe(position.toString());
    });

    it('lists in creation order', () => {
      expect(WEBHOOK_LIST_ORDER).toEqual({ seq: 1 });
    });
  });
});
