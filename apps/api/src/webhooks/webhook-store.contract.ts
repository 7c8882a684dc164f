/**
 * The behaviour every WebhookStore adapter must show, as a jest suite. Call it from an adapter's spec with a factory
 * for a fresh, empty place to keep subscriptions (a file, a database) and a way to open a store on it:
 *
 *   describeWebhookStoreContract('SqliteWebhookStore', async () => ({ open: () => new SqliteWebhookStore(file), cleanup }));
 *
 * Only the port is tested here; what an adapter does with its files or documents is for its own spec. Excluded from
 * the build (tsconfig.build.json) because it uses jest globals.
 */
import { StoreContractFixture, refused, storeContractHarness } from '../../../../test/support/store-contract';
import { NewWebhookSubscription, WebhookStore } from './webhook-store.port';

/** A place for the contract's stores, and how to open one on it (see StoreContractFixture). */
export type WebhookStoreContractFixture = StoreContractFixture<WebhookStore>;

/** EventStoreDB's positions as its adapter packs them: commit * 2^64 + prepare, up to 128 bits. */
const eventStoreDbPosition = (commit: bigint, prepare: bigint): bigint => (commit << 64n) | prepare;

export function describeWebhookStoreContract(adapterName: string, factory: () => Promise<WebhookStoreContractFixture>): void {
  describe(`WebhookStore contract: ${adapterName}`, () => {
    const stores = storeContractHarness(factory);
    const open = stores.open;
    let store: WebhookStore;

    beforeEach(() => (store = stores.store()));

    const subscription = (id: string, extra: Partial<NewWebhookSubscription> = {}): NewWebhookSubscription => ({
      id,
      url: `https://hooks.example.com/${id}`,
      filter: { eventTypes: ['LeadCreated'], streamPrefixes: ['lead-'] },
      secret: `secret-${id}`,
      position: null,
      createdAt: '2026-03-01T09:00:00.000Z',
      createdBy: 'key:0123456789abcdef',
      pii: false,
      ...extra,
    });
    const fresh = {
      status: 'active',
      deliveredCount: 0,
      consecutiveFailures: 0,
      lastError: null,
      lastAttemptAt: null,
      nextAttemptAt: null,
      pausedAt: null,
    } as const;

    it('creates an active subscription with nothing delivered, and reads it back as it was given', async () => {
      const created = await store.create(subscription('a', { position: 41n }));
      expect(created).toEqual({ ...subscription('a', { position: 41n }), ...fresh });
      expect(await store.get('a')).toEqual(created);
      expect(await store.get('nope')).toBeNull();
    });

    it('knows no subscription at first', async () => {
      expect(await store.list()).toEqual([]);
      expect(await store.get('a')).toBeNull();
    });

    it('keeps whether the creator had the pii grant', async () => {
      await store.create(subscription('p', { pii: true, createdBy: 'user:ida' }));
      expect(await store.get('p')).toMatchObject({ pii: true, createdBy: 'user:ida' });
    });

    it('keeps a subscription with no known creator and no position', async () => {
      await store.create(subscription('anon', { createdBy: null, position: null }));
      expect(await store.get('anon')).toEqual({ ...subscription('anon', { createdBy: null, position: null }), ...fresh });
    });

    it('keeps a filter of stream prefixes only, and one of event types only', async () => {
      await store.create(subscription('prefixes', { filter: { streamPrefixes: ['opportunity-', 'lead-'] } }));
      await store.create(subscription('types', { filter: { eventTypes: ['LeadCreated', 'LeadQualified'] } }));
      expect((await store.get('prefixes'))!.filter).toEqual({ streamPrefixes: ['opportunity-', 'lead-'] });
      expect((await store.get('types'))!.filter).toEqual({ eventTypes: ['LeadCreated', 'LeadQualified'] });
    });

    it('keeps an empty filter (everything) and a position past 2^53 exactly', async () => {
      await store.create(subscription('big', { filter: {}, position: 9_007_199_254_740_993n }));
      expect(await store.get('big')).toMatchObject({ filter: {}, position: 9_007_199_254_740_993n });
    });

    it('keeps positions wider than 64 bits (an EventStoreDB commit/prepare pair) exactly, created and acknowledged', async () => {
      await store.create(subscription('esdb', { position: eventStoreDbPosition(5_000_000_000n, 5_000_000_100n) }));
      expect((await store.get('esdb'))?.position).toBe(eventStoreDbPosition(5_000_000_000n, 5_000_000_100n));
      await store.acknowledge('esdb', eventStoreDbPosition(5_000_000_200n, 5_000_000_250n), 't1');
      expect((await store.get('esdb'))?.position).toBe(eventStoreDbPosition(5_000_000_200n, 5_000_000_250n));
    });

    it.each([
      ['zero', 0n],
      ['the largest 64-bit position', 2n ** 64n - 1n],
      ['the largest 128-bit position', 2n ** 128n - 1n],
      ['a 128-bit position with commit and prepare apart', eventStoreDbPosition(123_456_789_012n, 123_456_788_000n)],
    ])('gives back exactly the position it was given, created and acknowledged: %s', async (_, position) => {
      await store.create(subscription('a', { position }));
      expect((await store.get('a'))!.position).toBe(position);
      await store.create(subscription('b'));
      await store.acknowledge('b', position, 't1');
      expect((await store.get('b'))!.position).toBe(position);
      expect((await store.list()).map((s) => s.position)).toEqual([position, position]);
    });

    it.each([
      ['a negative position', -1n],
      ['a position of 129 bits', 2n ** 128n],
    ])('refuses %s, created or acknowledged, and keeps nothing of it', async (_, position) => {
      await expect(store.create(subscription('bad', { position }))).rejects.toThrow(RangeError);
      expect(await store.get('bad')).toBeNull();
      await store.create(subscription('a', { position: 5n }));
      await expect(store.acknowledge('a', position, 't1')).rejects.toThrow(RangeError);
      expect(await store.get('a')).toMatchObject({ position: 5n, deliveredCount: 0, lastAttemptAt: null });
      expect((await store.list()).map((s) => s.id)).toEqual(['a']);
    });

    it('refuses a second subscription under an id already taken, and keeps the first as it was', async () => {
      const first = await store.create(subscription('a', { position: 3n }));
      expect(await refused(store.create(subscription('a', { url: 'https://elsewhere.example.com/', position: 9n, pii: true })))).toBe(true);
      expect(await store.get('a')).toEqual(first);
      expect(await store.list()).toEqual([first]);
    });

    it('lists oldest first, and deletes', async () => {
      for (const id of ['c', 'a', 'b']) await store.create(subscription(id));
      expect((await store.list()).map((s) => s.id)).toEqual(['c', 'a', 'b']);
      expect(await store.delete('a')).toBe(true);
      expect(await store.delete('a')).toBe(false);
      expect((await store.list()).map((s) => s.id)).toEqual(['c', 'b']);
    });

    it('lists in the order the subscriptions were created, whatever their createdAt says, after deletes too', async () => {
      await store.create(subscription('x', { createdAt: '2026-03-02T00:00:00.000Z' }));
      await store.create(subscription('y', { createdAt: '2026-03-03T00:00:00.000Z' }));
      await store.create(subscription('z', { createdAt: '2026-03-04T00:00:00.000Z' }));
      await store.delete('z');
      await store.create(subscription('w', { createdAt: '2026-03-01T00:00:00.000Z' }));
      expect((await store.list()).map((s) => s.id)).toEqual(['x', 'y', 'w']);
    });

    it('counts failures, pauses when told, and an acknowledgement clears the count but keeps the last error', async () => {
      await store.create(subscription('a'));
      expect(await store.recordFailure('a', { error: 'HTTP 500', at: 't1', nextAttemptAt: 't2', pause: false })).toBe(true);
      expect(await store.get('a')).toMatchObject({ status: 'active', consecutiveFailures: 1, lastError: 'HTTP 500', lastAttemptAt: 't1', nextAttemptAt: 't2', pausedAt: null });
      expect(await store.acknowledge('a', 7n, 't3')).toBe(true);
      expect(await store.get('a')).toMatchObject({ position: 7n, deliveredCount: 1, consecutiveFailures: 0, lastError: 'HTTP 500', lastAttemptAt: 't3', nextAttemptAt: null });

      await store.recordFailure('a', { error: 'HTTP 502', at: 't4', nextAttemptAt: 't5', pause: false });
      await store.recordFailure('a', { error: 'timed out', at: 't6', nextAttemptAt: null, pause: true });
      expect(await store.get('a')).toMatchObject({ status: 'paused', pausedAt: 't6', consecutiveFailures: 2, lastError: 'timed out', nextAttemptAt: null, position: 7n });
    });

    it('acknowledges a position whichever way it moved, and leaves the rest of the subscription as it was', async () => {
      const created = await store.create(subscription('a', { position: 10n, pii: true }));
      expect(await store.acknowledge('a', 12n, 't1')).toBe(true);
      expect(await store.acknowledge('a', 11n, 't2')).toBe(true);
      expect(await store.get('a')).toEqual({ ...created, position: 11n, deliveredCount: 2, lastAttemptAt: 't2' });
    });

    it('leaves a paused subscription paused when a late acknowledgement or a failure that does not pause comes in', async () => {
      await store.create(subscription('a'));
      await store.recordFailure('a', { error: 'HTTP 500', at: 't1', nextAttemptAt: null, pause: true });
      await store.acknowledge('a', 4n, 't2');
      expect(await store.get('a')).toMatchObject({ status: 'paused', pausedAt: 't1', position: 4n, deliveredCount: 1, consecutiveFailures: 0 });
      await store.recordFailure('a', { error: 'HTTP 503', at: 't3', nextAttemptAt: 't4', pause: false });
      expect(await store.get('a')).toMatchObject({ status: 'paused', pausedAt: 't1', consecutiveFailures: 1, lastError: 'HTTP 503', nextAttemptAt: 't4' });
      await store.recordFailure('a', { error: 'HTTP 504', at: 't5', nextAttemptAt: null, pause: true });
      expect(await store.get('a')).toMatchObject({ status: 'paused', pausedAt: 't5', consecutiveFailures: 2 });
    });

    it('resumes a paused subscription from the same position with a fresh failure count; an active one is left alone', async () => {
      await store.create(subscription('a', { position: 3n }));
      await store.recordFailure('a', { error: 'HTTP 500', at: 't1', nextAttemptAt: null, pause: true });
      expect(await store.resume('a')).toMatchObject({ status: 'active', pausedAt: null, consecutiveFailures: 0, nextAttemptAt: null, position: 3n, lastError: 'HTTP 500' });
      await store.recordFailure('a', { error: 'HTTP 500', at: 't2', nextAttemptAt: 't3', pause: false });
      expect(await store.resume('a')).toMatchObject({ status: 'active', consecutiveFailures: 1, nextAttemptAt: 't3' });
      expect(await store.resume('nope')).toBeNull();
    });

    it('says when the subscription is gone', async () => {
      expect(await store.acknowledge('gone', 1n, 't')).toBe(false);
      expect(await store.recordFailure('gone', { error: 'x', at: 't', nextAttemptAt: null, pause: true })).toBe(false);
    });

    it('forgets a deleted subscription for good: nothing acknowledges, fails or resumes it', async () => {
      await store.create(subscription('a', { position: 1n }));
      expect(await store.delete('a')).toBe(true);
      expect(await store.get('a')).toBeNull();
      expect(await store.acknowledge('a', 2n, 't1')).toBe(false);
      expect(await store.recordFailure('a', { error: 'x', at: 't2', nextAttemptAt: null, pause: true })).toBe(false);
      expect(await store.resume('a')).toBeNull();
      expect(await store.list()).toEqual([]);
      expect(await store.delete('nope')).toBe(false);
    });

    it('counts every acknowledgement and failure when several stores record them at once', async () => {
      await store.create(subscription('a'));
      const other = open();
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).recordFailure('a', { error: `HTTP 50${i}`, at: `t${i}`, nextAttemptAt: null, pause: false })));
      expect((await store.get('a'))!.consecutiveFailures).toBe(10);
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).acknowledge('a', 5n, `u${i}`)));
      expect(await other.get('a')).toMatchObject({ deliveredCount: 10, consecutiveFailures: 0, position: 5n });
    });

    it('is seen by every store on the same place, and keeps everything for the next store opened on it', async () => {
      const other = open();
      await store.create(subscription('a', { position: eventStoreDbPosition(9n, 8n) }));
      await other.acknowledge('a', eventStoreDbPosition(10n, 9n), 't1');
      await other.recordFailure('a', { error: 'HTTP 500', at: 't2', nextAttemptAt: 't3', pause: false });
      const seen = await store.get('a');
      expect(seen).toMatchObject({ position: eventStoreDbPosition(10n, 9n), deliveredCount: 1, consecutiveFailures: 1, secret: 'secret-a' });
      await stores.close(store);
      store = open();
      expect(await store.list()).toEqual([seen]);
    });
  });
}
