import { MongoServerError } from 'mongodb';
import { describeWithServer } from '../../../../test/support/servers';
import { mongoTestDatabases } from '../../../../test/support/mongo-test-databases';
import { MongoWebhookStore, WEBHOOK_SUBSCRIPTIONS_COLLECTION } from './mongodb.webhook-store';
import { describeWebhookStoreContract } from './webhook-store.contract';
import { NewWebhookSubscription } from './webhook-store.port';

describeWithServer('MONGO_URL', 'MongoWebhookStore', (url) => {
  const databases = mongoTestDatabases(url, 'pl_webhooks');

  describeWebhookStoreContract('mongodb, a client of its own', async () => {
    const database = databases.fresh();
    return { open: () => new MongoWebhookStore({ url, database }), cleanup: () => databases.drop(database) };
  });

  describeWebhookStoreContract('mongodb, a shared client', async () => {
    const database = databases.fresh();
    return { open: () => new MongoWebhookStore({ url, database, client: databases.client() }), cleanup: () => databases.drop(database) };
  });

  describe('MongoDB specifics', () => {
    let database: string;
    let store: MongoWebhookStore;
    beforeEach(() => {
      database = databases.fresh();
      store = new MongoWebhookStore({ url, database, client: databases.client() });
    });
    afterEach(async () => {
      await store.close();
      await databases.drop(database);
    });

    const raw = () => databases.client().db(database).collection<{ _id: string } & Record<string, unknown>>(WEBHOOK_SUBSCRIPTIONS_COLLECTION);
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

    it('keeps a 128-bit position as a string of decimal digits, never as a number, created and acknowledged', async () => {
      const created = ((2n ** 64n - 1n) << 64n) | 5n;
      await store.create(subscription('a', { position: created }));
      expect((await raw().findOne({ _id: 'a' }))!.position).toBe(created.toString());
      const acknowledged = (7n << 64n) | (2n ** 64n - 2n);
      await store.acknowledge('a', acknowledged, '2026-03-01T10:00:00.000Z');
      expect((await raw().findOne({ _id: 'a' }))!.position).toBe(acknowledged.toString());
    });

    it('stores a subscription under its id, the filter as a subdocument, the counts as numbers, the times as strings', async () => {
      await store.create(subscription('a', { position: 41n, pii: true }));
      await store.recordFailure('a', { error: 'HTTP 500', at: '2026-03-01T10:00:00.000Z', nextAttemptAt: '2026-03-01T10:01:00.000Z', pause: false });
      expect(await raw().findOne({ _id: 'a' })).toEqual({
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
        consecutiveFailures: 1,
        lastError: 'HTTP 500',
        lastAttemptAt: '2026-03-01T10:00:00.000Z',
        nextAttemptAt: '2026-03-01T10:01:00.000Z',
        pausedAt: null,
        seq: 1,
      });
    });

    it('refuses a taken id with the duplicate-key error, and takes no place in the order for it', async () => {
      await store.create(subscription('a'));
      const error = await store.create(subscription('a')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MongoServerError);
      expect((error as MongoServerError).code).toBe(11000);
      await store.create(subscription('b'));
      expect((await raw().findOne({ _id: 'b' }))!.seq).toBe(2);
    });

    it('creates the unique index of the creation order at first use, and again harmlessly in another store', async () => {
      await store.list();
      const other = new MongoWebhookStore({ url, database });
      try {
        await other.create(subscription('a'));
        expect(await raw().indexes()).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'seq_unique', key: { seq: 1 }, unique: true })]));
      } finally {
        await other.close();
      }
    });

    it('gives every subscription created at once, from several stores, a place of its own in the order', async () => {
      const others = [new MongoWebhookStore({ url, database }), new MongoWebhookStore({ url, database })];
      try {
        const stores = [store, ...others];
        const ids = Array.from({ length: 30 }, (_, i) => `s${String(i).padStart(2, '0')}`);
        await Promise.all(ids.map((id, i) => stores[i % stores.length]!.create(subscription(id))));
        expect((await store.list()).map((s) => s.id).sort()).toEqual(ids);
        const seqs = (await raw().find().toArray()).map((d) => d.seq as number).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      } finally {
        for (const other of others) await other.close();
      }
    });

    it('orders a subscription created by one replica after one created by another, whatever their clocks', async () => {
      const other = new MongoWebhookStore({ url, database });
      try {
        await other.create(subscription('first', { createdAt: '2026-03-02T00:00:00.000Z' }));
        await store.create(subscription('second', { createdAt: '2026-03-03T00:00:00.000Z' }));
        await other.create(subscription('third', { createdAt: '2026-03-01T00:00:00.000Z' }));
        expect((await store.list()).map((s) => s.id)).toEqual(['first', 'second', 'third']);
      } finally {
        await other.close();
      }
    });

    it('leaves a shared client open when it closes', async () => {
      await store.close();
      await expect(databases.client().db(database).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    });
  });
});
