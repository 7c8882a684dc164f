/**
 * MongoReadModelStore against a real server (MONGO_URL, a replica set: transactions and snapshot reads need one), e.g.
 *   MONGO_URL='mongodb://localhost:27017/?replicaSet=rs0' npx jest --selectProjects integration
 * Skipped, saying so, when MONGO_URL is not set. Each test works in a database of its own, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Long, MongoClient } from 'mongodb';
import { describeWithServer } from '../../../test/support/servers';
import { encodeCheckpoint } from './mongodb-read-model-mapping';
import { MongoReadModelStore } from './mongodb.read-model-store';
import { describeReadModelStoreContract } from './read-model-store.contract';
import { Filter, ProjectionDefinition, ReadModelBatch } from './read-model-store.port';

describeWithServer('MONGO_URL', 'MongoReadModelStore', (url) => {
  jest.setTimeout(30_000);
  let client: MongoClient;

  beforeAll(async () => {
    client = await new MongoClient(url).connect();
  });
  afterAll(async () => {
    await client?.close();
  });

  /** A store on a database of its own (random name), which cleanup drops. */
  const open = () => {
    const database = `pl_rm_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const store = new MongoReadModelStore({ url, database, client });
    return {
      store,
      database,
      cleanup: async () => {
        await store.close();
        await client.db(database).dropDatabase();
      },
    };
  };

  describeReadModelStoreContract('MongoReadModelStore', async () => open());

  describe('MongoDB specifics', () => {
    let fixture: ReturnType<typeof open>;
    let store: MongoReadModelStore;
    const def: ProjectionDefinition = {
      name: 'pipeline',
      version: 1,
      collections: [
        { name: 'buckets', indexedFields: ['stage', ['owner', 'closeDate'], 'id'] },
        { name: 'totals', indexedFields: [] },
      ],
    };
    const batch = (generation: number, checkpoint: bigint, parts: Partial<ReadModelBatch> = {}): ReadModelBatch => ({
      projection: def.name,
      generation,
      upserts: [],
      deletes: [],
      increments: [],
      checkpoint,
      ...parts,
    });
    /** The raw collections, Int64s left as Longs. */
    const raw = (name: string) => client.db(fixture.database, { promoteLongs: false }).collection(name);
    const collectionNames = async () => (await client.db(fixture.database).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();

    beforeEach(async () => {
      fixture = open();
      store = fixture.store;
      await store.prepare(def);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('stores integers as Int64, fractions as doubles, and the checkpoint as 32 hex digits, beyond 64 bits', async () => {
      const checkpoint = 3n * 2n ** 64n + 5n; // an EventStoreDB commit/prepare pair
      await store.writeBatch(
        batch(1, checkpoint, {
          upserts: [{ collection: 'buckets', document: { id: 'b1', amount: 3_000_000_000, rate: 0.25 } }],
          increments: [{ collection: 'totals', id: 't1', group: { stage: 'Won', year: 2026 }, add: { count: 1, amount: 2_500_000_000_00 } }],
        }),
      );

      const bucket = await raw('rm_buckets_g1').findOne({ _id: 'b1' as never });
      expect(Long.isLong(bucket?.amount)).toBe(true);
      expect(bucket?.rate).toBe(0.25);
      const total = await raw('rm_totals_g1').findOne({ _id: 't1' as never });
      expect(Long.isLong(total?.count)).toBe(true);
      expect(Long.isLong(total?.year)).toBe(true);
      expect((await raw('rm_projections').findOne({ _id: def.name as never }))?.active.checkpoint).toBe(encodeCheckpoint(checkpoint));
      expect((await store.state(def.name))?.active.checkpoint).toBe(checkpoint);
      expect(await store.sum('totals', { groupBy: ['year'], sum: ['amount'] })).toEqual([{ year: 2026, amount: 2_500_000_000_00, documents: 1 }]);
      expect((await store.find('buckets', { limit: 1 })).documents).toEqual([{ id: 'b1', amount: 3_000_000_000, rate: 0.25 }]);
    });

    it('adds Int64s exactly, and refuses to read back one beyond Number.MAX_SAFE_INTEGER rather than round it', async () => {
      const half = 2 ** 52;
      await store.writeBatch(batch(1, 1n, { increments: [{ collection: 'totals', id: 'k', group: {}, add: { n: half - 1 } }] }));
      await store.writeBatch(batch(1, 2n, { increments: [{ collection: 'totals', id: 'k', group: {}, add: { n: half } }] }));
      expect(await store.sum('totals', { groupBy: [], sum: ['n'] })).toEqual([{ n: Number.MAX_SAFE_INTEGER, documents: 1 }]);

      await store.writeBatch(batch(1, 3n, { increments: [{ collection: 'totals', id: 'k', group: {}, add: { n: 1 } }] }));
      expect(Long.fromBigInt(2n ** 53n).equals((await raw('rm_totals_g1').findOne({ _id: 'k' as never }))?.n)).toBe(true);
      await expect(store.find('totals', { limit: 1 })).rejects.toThrow(/MAX_SAFE_INTEGER/);
      await expect(store.sum('totals', { groupBy: [], sum: ['n'] })).rejects.toThrow(/MAX_SAFE_INTEGER/);
    });

    it('creates an index per indexedFields entry, compound ones in order, and answers from them', async () => {
      /** Each index's key as its fields in order (key order matters in an index), the list sorted. */
      const keys = async (name: string) =>
        (await client.db(fixture.database).collection(name).listIndexes().toArray()).map((index) => Object.entries(index.key).map(([f, d]) => `${f}:${d}`).join(',')).sort();
      const bucketIndexes = ['_id:1', 'owner:1,closeDate:1,_id:1', 'stage:1,_id:1'];
      expect(await keys('rm_buckets_g1')).toEqual(bucketIndexes);
      expect(await keys('rm_totals_g1')).toEqual(['_id:1']);

      const { generation } = await store.beginRebuild(def);
      expect(await keys(`rm_buckets_g${generation}`)).toEqual(bucketIndexes);

      const documents = Array.from({ length: 300 }, (_, i) => ({ id: `b${i}`, owner: `owner-${i % 10}`, closeDate: `2026-0${(i % 9) + 1}-01`, stage: `s${i % 3}` }));
      await store.writeBatch(batch(1, 1n, { upserts: documents.map((document) => ({ collection: 'buckets', document })) }));
      const plan = await raw('rm_buckets_g1')
        .find({ $and: [{ owner: { $eq: 'owner-7' } }, { closeDate: { $gte: '2026-03-01' } }] })
        .sort({ owner: 1, closeDate: 1, _id: 1 })
        .explain('queryPlanner');
      expect(JSON.stringify(plan.queryPlanner)).toMatch(/IXSCAN.*owner_1_closeDate_1__id_1|owner_1_closeDate_1__id_1.*IXSCAN/s);
      const expected = documents.filter((d) => d.owner === 'owner-7' && d.closeDate >= '2026-03-01').length;
      const filters: Filter[] = [
        { field: 'owner', op: 'eq', value: 'owner-7' },
        { field: 'closeDate', op: 'gte', value: '2026-03-01' },
      ];
      expect((await store.find('buckets', { limit: 1, filters })).total).toBe(expected);
    });

    it("drops a generation's collections when a rebuild replaces it and when another is activated", async () => {
      await store.writeBatch(batch(1, 1n, { upserts: [{ collection: 'buckets', document: { id: 'old' } }] }));
      const second = await store.beginRebuild(def);
      const third = await store.beginRebuild(def);
      expect(await collectionNames()).toEqual(['rm_buckets_g1', `rm_buckets_g${third.generation}`, 'rm_projections', 'rm_totals_g1', `rm_totals_g${third.generation}`].sort());
      expect(second.generation).toBeLessThan(third.generation);

      await store.activate(def.name, third.generation);
      expect(await collectionNames()).toEqual([`rm_buckets_g${third.generation}`, 'rm_projections', `rm_totals_g${third.generation}`].sort());
    });

    it('commits a batch with its checkpoint: of two concurrent batches with one checkpoint, one is written, once', async () => {
      const increment = { collection: 'totals', id: 'k', group: { stage: 'Won' }, add: { n: 1 } };
      const outcomes = await Promise.allSettled([store.writeBatch(batch(1, 5n, { increments: [increment] })), store.writeBatch(batch(1, 5n, { increments: [increment] }))]);

      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await store.sum('totals', { groupBy: ['stage'], sum: ['n'] })).toEqual([{ stage: 'Won', n: 1, documents: 1 }]);
      expect((await store.state(def.name))?.active.checkpoint).toBe(5n);
    });

    it('reads every sum of a sumEach from one snapshot while batches commit', async () => {
      // Each batch moves one unit from a counter of one collection to a counter of the other: any snapshot sums to 100.
      await store.writeBatch(batch(1, 1n, { increments: [{ collection: 'totals', id: 'a', group: {}, add: { n: 100 } }] }));
      let writing = true;
      const writer = (async () => {
        try {
          for (let i = 2; i <= 40; i++) {
            const increments = [
              { collection: 'totals', id: 'a', group: {}, add: { n: -1 } },
              { collection: 'buckets', id: 'b', group: {}, add: { n: 1 } },
            ];
            await store.writeBatch(batch(1, BigInt(i), { increments }));
          }
        } finally {
          writing = false;
        }
      })();
      const seen: number[] = [];
      while (writing) {
        const [totals, buckets] = await store.sumEach([
          { collection: 'totals', query: { groupBy: [], sum: ['n'] } },
          { collection: 'buckets', query: { groupBy: [], sum: ['n'] } },
        ]);
        seen.push(Number(totals[0]?.n ?? 0) + Number(buckets[0]?.n ?? 0));
      }
      await writer;
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set([100]));
    });

    it('leaves a client it was given open on close, and refuses calls once closed', async () => {
      await store.close();
      await expect(store.find('buckets', { limit: 1 })).rejects.toThrow(/closed/);
      await expect(store.close()).resolves.toBeUndefined();
      expect(await client.db(fixture.database).command({ ping: 1 })).toMatchObject({ ok: 1 });
    });

    it('closes a client it made itself', async () => {
      const own = new MongoReadModelStore({ url, database: fixture.database });
      expect(await own.state(def.name)).toMatchObject({ name: def.name });
      const closed = new Promise<void>((resolve) => (own as unknown as { client: MongoClient }).client.once('topologyClosed', () => resolve()));
      await own.close();
      await expect(closed).resolves.toBeUndefined();
    });
  });
});
