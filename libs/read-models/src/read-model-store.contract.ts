/**
 * The behaviour every ReadModelStore adapter must show, as a jest suite. Call it from an adapter's spec:
 *
 *   describeReadModelStoreContract('SqliteReadModelStore', async () => ({ store, cleanup }));
 *
 * The factory gives each test its own store. Every test names its projections and collections with a fresh
 * suffix, so a store shared with other tests (a server) works too. Only the port is tested here, nothing
 * adapter-specific. Not exported from the barrel because it uses jest globals;
 * import '@pipeline-ledger/read-models/read-model-store.contract'.
 */
import { randomUUID } from 'node:crypto';
import {
  CounterIncrement,
  Filter,
  FindQuery,
  ProjectionDefinition,
  ReadModelBatch,
  ReadModelDocument,
  ReadModelStore,
  SumQuery,
  SumRow,
} from './read-model-store.port';

export interface ReadModelStoreContractFixture {
  store: ReadModelStore;
  cleanup(): Promise<void>;
}

export function describeReadModelStoreContract(adapterName: string, factory: () => Promise<ReadModelStoreContractFixture>): void {
  describe(`ReadModelStore contract: ${adapterName}`, () => {
    let fixture: ReadModelStoreContractFixture;
    let store: ReadModelStore;
    /** A projection of this test: entity collection `items`, counter collection `totals`. */
    let def: ProjectionDefinition;
    let items: string;
    let totals: string;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      const id = newSuffix();
      items = `items_${id}`;
      totals = `totals_${id}`;
      def = {
        name: `contract-${id}`,
        version: 1,
        collections: [
          { name: items, indexedFields: ['name', 'amount', 'stage', 'owner', 'flag'] },
          { name: totals, indexedFields: ['stage', 'currency'] },
        ],
      };
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    /** A batch for the test's projection; fields not given are empty. */
    const batch = (generation: number, checkpoint: bigint, parts: Partial<ReadModelBatch> = {}): ReadModelBatch => ({
      projection: def.name,
      generation,
      upserts: [],
      deletes: [],
      increments: [],
      checkpoint,
      ...parts,
    });
    const upserts = (collection: string, documents: ReadModelDocument[]) => documents.map((document) => ({ collection, document }));
    const all = async (collection: string) => (await store.find(collection, { limit: 1000, sort: [{ field: 'id', direction: 'asc' }] })).documents;

    describe('prepare and state', () => {
      it('gives a new projection an empty active generation 1 with its version, running', async () => {
        const state = await store.prepare(def);

        expect(state).toEqual({
          name: def.name,
          active: { generation: 1, version: 1, checkpoint: null },
          rebuilding: null,
          status: 'running',
          failure: null,
        });
        expect(await store.state(def.name)).toEqual(state);
        expect(await store.find(items, { limit: 10 })).toEqual({ documents: [], total: 0 });
        expect(await store.sum(totals, { groupBy: ['stage'], sum: ['count'] })).toEqual([]);
      });

      it('knows nothing of a projection never prepared', async () => {
        expect(await store.state(`never-${newSuffix()}`)).toBeNull();
        await expect(store.find(`never_${newSuffix()}`, { limit: 1 })).rejects.toThrow();
        await expect(store.sum(`never_${newSuffix()}`, { groupBy: [], sum: [] })).rejects.toThrow();
      });

      it('keeps the state and the documents of a projection prepared again, even with another version', async () => {
        await store.prepare(def);
        await store.writeBatch(batch(1, 7n, { upserts: upserts(items, [{ id: 'a', name: 'A' }]) }));

        const again = await store.prepare(def);
        const newer = await store.prepare({ ...def, version: 2 });

        expect(again.active).toEqual({ generation: 1, version: 1, checkpoint: 7n });
        expect(newer).toEqual(again); // the caller decides to rebuild; prepare changes nothing
        expect(await all(items)).toEqual([{ id: 'a', name: 'A' }]);
      });

      it('refuses a collection name that is not lowercase letters, digits and underscores', async () => {
        for (const name of ['Items', 'items-x', '1items', 'items;drop', '']) {
          await expect(store.prepare({ ...def, collections: [{ name, indexedFields: [] }] })).rejects.toThrow();
        }
      });

      it('refuses a collection that another projection owns', async () => {
        await store.prepare(def);
        await expect(store.prepare({ ...def, name: `${def.name}-other` })).rejects.toThrow();
      });
    });

    describe('entity documents', () => {
      beforeEach(async () => {
        await store.prepare(def);
      });

      it('inserts, replaces whole and deletes documents', async () => {
        await store.writeBatch(
          batch(1, 1n, {
            upserts: upserts(items, [
              { id: 'a', name: 'Ada', amount: 10, nested: { list: [1, 'two', null] } },
              { id: 'b', name: 'Bob', amount: 20 },
              { id: 'c', name: 'Zoë 🚀', amount: 30 },
            ]),
          }),
        );
        await store.writeBatch(
          batch(1, 2n, {
            upserts: upserts(items, [{ id: 'a', name: 'Ada L.' }]),
            deletes: [
              { collection: items, id: 'b' },
              { collection: items, id: 'never-there' },
            ],
          }),
        );

        expect(await all(items)).toEqual([
          { id: 'a', name: 'Ada L.' },
          { id: 'c', name: 'Zoë 🚀', amount: 30 },
        ]);
      });

      it('gets documents of a generation by id, leaving missing ids out, for many ids at once', async () => {
        const documents = Array.from({ length: 1200 }, (_, i) => ({ id: `doc-${i}`, n: i }));
        await store.writeBatch(batch(1, 1n, { upserts: upserts(items, documents) }));
        const wanted = [...documents.map((d) => d.id).filter((_, i) => i % 2 === 0), 'missing-1', 'missing-2'];

        const found = await store.getDocuments(def.name, 1, items, wanted);

        expect(found.size).toBe(600);
        expect(found.get('doc-0')).toEqual({ id: 'doc-0', n: 0 });
        expect(found.get('doc-1198')).toEqual({ id: 'doc-1198', n: 1198 });
        expect(found.has('doc-1')).toBe(false);
        expect(found.has('missing-1')).toBe(false);
        expect((await store.getDocuments(def.name, 1, items, [])).size).toBe(0);
      });
    });

    describe('counter documents', () => {
      beforeEach(async () => {
        await store.prepare(def);
      });

      const increment = (id: string, stage: string, add: Record<string, number>): CounterIncrement => ({
        collection: totals,
        id,
        group: { stage, currency: 'EUR' },
        add,
      });

      it('creates a missing counter with its group and zeros, then adds', async () => {
        await store.writeBatch(batch(1, 1n, { increments: [increment('s1', 'Prospecting', { count: 1, amount: 500 })] }));

        expect(await all(totals)).toEqual([{ id: 's1', stage: 'Prospecting', currency: 'EUR', count: 1, amount: 500 }]);
      });

      it('adds up several increments to one counter in a batch, and across batches', async () => {
        await store.writeBatch(
          batch(1, 1n, {
            increments: [
              increment('s1', 'Prospecting', { count: 1, amount: 500 }),
              increment('s2', 'Negotiation', { count: 1, amount: 100 }),
              increment('s1', 'Prospecting', { count: 1, amount: 250 }),
              increment('s1', 'Prospecting', { count: -1, amount: -50 }),
            ],
          }),
        );
        await store.writeBatch(batch(1, 2n, { increments: [increment('s1', 'Prospecting', { count: 2, weighted: 7 })] }));

        expect(await all(totals)).toEqual([
          { id: 's1', stage: 'Prospecting', currency: 'EUR', count: 3, amount: 700, weighted: 7 },
          { id: 's2', stage: 'Negotiation', currency: 'EUR', count: 1, amount: 100 },
        ]);
      });
    });

    describe('checkpoints', () => {
      beforeEach(async () => {
        await store.prepare(def);
      });

      it('writes the checkpoint with the batch, also for a batch that changes no document', async () => {
        await store.writeBatch(batch(1, 5n, { upserts: upserts(items, [{ id: 'a' }]) }));
        expect((await store.state(def.name))?.active.checkpoint).toBe(5n);

        await store.writeBatch(batch(1, 9n));
        expect((await store.state(def.name))?.active.checkpoint).toBe(9n);
      });

      it('writes nothing of a batch that fails midway: neither documents nor checkpoint', async () => {
        await store.writeBatch(batch(1, 1n, { upserts: upserts(items, [{ id: 'a', v: 1 }]), increments: [counter(totals, 'k', { n: 1 })] }));

        const failing = batch(1, 2n, {
          upserts: [...upserts(items, [{ id: 'a', v: 2 }, { id: 'b', v: 2 }]), { collection: 'Not-A-Collection', document: { id: 'x' } }],
          increments: [counter(totals, 'k', { n: 1 })],
        });
        await expect(store.writeBatch(failing)).rejects.toThrow();
        const failingIncrement = batch(1, 2n, {
          upserts: upserts(items, [{ id: 'a', v: 3 }]),
          increments: [counter(totals, 'k', { n: 1 }), counter(`unknown_${newSuffix()}`, 'k', { n: 1 })],
        });
        await expect(store.writeBatch(failingIncrement)).rejects.toThrow();

        expect(await all(items)).toEqual([{ id: 'a', v: 1 }]);
        expect(await all(totals)).toEqual([{ id: 'k', n: 1 }]);
        expect((await store.state(def.name))?.active.checkpoint).toBe(1n);
      });

      it('never moves the checkpoint backward nor writes the refused batch', async () => {
        await store.writeBatch(batch(1, 10n, { upserts: upserts(items, [{ id: 'a', v: 1 }]) }));

        await expect(store.writeBatch(batch(1, 10n, { upserts: upserts(items, [{ id: 'a', v: 2 }]) }))).rejects.toThrow();
        await expect(store.writeBatch(batch(1, 9n, { upserts: upserts(items, [{ id: 'b', v: 2 }]) }))).rejects.toThrow();

        expect(await all(items)).toEqual([{ id: 'a', v: 1 }]);
        expect((await store.state(def.name))?.active.checkpoint).toBe(10n);
        await expect(store.writeBatch(batch(1, 11n))).resolves.toBeUndefined();
      });

      it('keeps checkpoints wider than 64 bits exactly, in order (EventStoreDB positions take up to 128)', async () => {
        const commit = (c: bigint, p: bigint) => (c << 64n) | p; // how the EventStoreDB adapter packs its position pair
        await store.writeBatch(batch(1, 2n ** 63n - 1n));
        await store.writeBatch(batch(1, commit(9_000_000_000_000n, 9_000_000_000_123n)));
        expect((await store.state(def.name))?.active.checkpoint).toBe(commit(9_000_000_000_000n, 9_000_000_000_123n));
        await expect(store.writeBatch(batch(1, commit(9_000_000_000_000n, 9_000_000_000_122n)))).rejects.toThrow();
        await store.writeBatch(batch(1, 2n ** 128n - 1n));
        expect((await store.state(def.name))?.active.checkpoint).toBe(2n ** 128n - 1n);
      });

      it('refuses a generation that is neither active nor rebuilding, and an unknown projection', async () => {
        await expect(store.writeBatch(batch(2, 1n))).rejects.toThrow();
        await expect(store.writeBatch({ ...batch(1, 1n), projection: `never-${newSuffix()}` })).rejects.toThrow();
        expect((await store.state(def.name))?.active.checkpoint).toBeNull();
      });
    });

    describe('generations', () => {
      beforeEach(async () => {
        await store.prepare(def);
        await store.writeBatch(
          batch(1, 3n, { upserts: upserts(items, [{ id: 'old', name: 'Old' }]), increments: [counter(totals, 'k', { n: 5 })] }),
        );
      });

      it('starts an empty rebuilding generation whose documents stay invisible to queries until activated', async () => {
        const rebuilding = await store.beginRebuild({ ...def, version: 2 });
        expect(rebuilding).toEqual({ generation: 2, version: 2, checkpoint: null });
        expect((await store.state(def.name))?.rebuilding).toEqual(rebuilding);
        expect((await store.getDocuments(def.name, 2, items, ['old'])).size).toBe(0);

        await store.writeBatch(
          batch(2, 2n, { upserts: upserts(items, [{ id: 'new', name: 'New' }]), increments: [counter(totals, 'k', { n: 1 })] }),
        );
        // The active generation keeps answering, and keeps being written.
        await store.writeBatch(batch(1, 4n, { upserts: upserts(items, [{ id: 'old2', name: 'Old 2' }]) }));

        expect((await all(items)).map((d) => d.id)).toEqual(['old', 'old2']);
        expect(await store.sum(totals, { groupBy: [], sum: ['n'] })).toEqual([{ n: 5, documents: 1 }]);
        expect([...(await store.getDocuments(def.name, 2, items, ['new', 'old'])).keys()]).toEqual(['new']);
        expect(await store.state(def.name)).toMatchObject({
          active: { generation: 1, version: 1, checkpoint: 4n },
          rebuilding: { generation: 2, version: 2, checkpoint: 2n },
        });
      });

      it('activates the rebuilt generation with its version and checkpoint, and drops the old one', async () => {
        await store.beginRebuild({ ...def, version: 2 });
        await store.writeBatch(batch(2, 8n, { upserts: upserts(items, [{ id: 'new', name: 'New' }]), increments: [counter(totals, 'k', { n: 1 })] }));

        await store.activate(def.name, 2);

        expect(await store.state(def.name)).toMatchObject({ active: { generation: 2, version: 2, checkpoint: 8n }, rebuilding: null });
        expect(await all(items)).toEqual([{ id: 'new', name: 'New' }]);
        expect(await store.sum(totals, { groupBy: [], sum: ['n'] })).toEqual([{ n: 1, documents: 1 }]);
        expect(await store.find(items, { limit: 10, filters: [{ field: 'name', op: 'eq', value: 'Old' }] })).toEqual({ documents: [], total: 0 });
        await expect(store.writeBatch(batch(1, 9n))).rejects.toThrow();
        await expectGone(store.getDocuments(def.name, 1, items, ['old']));
        // A later rebuild starts from nothing again.
        expect(await store.beginRebuild({ ...def, version: 3 })).toEqual({ generation: 3, version: 3, checkpoint: null });
        expect((await store.getDocuments(def.name, 3, items, ['new', 'old'])).size).toBe(0);
      });

      it('replaces an unfinished rebuild with a new, empty generation', async () => {
        await store.beginRebuild({ ...def, version: 2 });
        await store.writeBatch(batch(2, 5n, { upserts: upserts(items, [{ id: 'partial' }]) }));

        const again = await store.beginRebuild({ ...def, version: 2 });

        expect(again).toEqual({ generation: 3, version: 2, checkpoint: null });
        expect((await store.getDocuments(def.name, 3, items, ['partial'])).size).toBe(0);
        await expect(store.writeBatch(batch(2, 6n))).rejects.toThrow();
        await expectGone(store.getDocuments(def.name, 2, items, ['partial']));
        await expect(store.writeBatch(batch(3, 1n))).resolves.toBeUndefined();
      });

      it('refuses to activate a generation that is not being rebuilt', async () => {
        await expect(store.activate(def.name, 1)).rejects.toThrow();
        await expect(store.activate(def.name, 2)).rejects.toThrow();
        const { generation } = await store.beginRebuild(def);
        await expect(store.activate(def.name, generation + 1)).rejects.toThrow();
        expect((await store.state(def.name))?.active.generation).toBe(1);
      });

      it("takes the rebuilt version's collections: a new one becomes queryable, a dropped one unknown", async () => {
        const added = `added_${newSuffix()}`;
        const v2: ProjectionDefinition = { ...def, version: 2, collections: [def.collections[0], { name: added, indexedFields: ['k'] }] };
        const { generation } = await store.beginRebuild(v2);
        await store.writeBatch(batch(generation, 1n, { upserts: upserts(added, [{ id: 'x', k: 'v' }]) }));
        await expect(store.find(added, { limit: 1 })).rejects.toThrow();

        await store.activate(def.name, generation);

        expect(await store.find(added, { limit: 10, filters: [{ field: 'k', op: 'eq', value: 'v' }] })).toEqual({ documents: [{ id: 'x', k: 'v' }], total: 1 });
        await expect(store.find(totals, { limit: 1 })).rejects.toThrow();
        expect(await store.prepare(v2)).toMatchObject({ active: { generation, version: 2 } });
      });
    });

    describe('find', () => {
      const documents: ReadModelDocument[] = [
        { id: 'd1', name: 'Ada Lovelace', amount: 300, stage: 'Prospecting', owner: 'alice', flag: true },
        { id: 'd2', name: 'Alan Turing', amount: 100, stage: 'Negotiation', owner: null, flag: false },
        { id: 'd3', name: 'Grace 100% Hopper', amount: 200, stage: 'Prospecting', flag: true },
        { id: 'd4', name: 'Edsger_Dijkstra', amount: 100, stage: 'Closed Won', owner: 'bob' },
        { id: 'd5', name: 'barbara liskov', amount: 2.5, stage: 'Negotiation', owner: 'alice', flag: false },
        { id: 'd6', name: 'John 100 Backus', amount: '150', stage: 'Prospecting', owner: 'carol' },
      ];
      const ids = async (query: Omit<FindQuery, 'limit'> & { limit?: number }) =>
        (await store.find(items, { limit: 100, ...query })).documents.map((d) => d.id);
      const filtered = (...filters: Filter[]) => ids({ filters, sort: [{ field: 'id', direction: 'asc' }] });

      beforeEach(async () => {
        await store.prepare(def);
        await store.writeBatch(batch(1, 1n, { upserts: upserts(items, documents) }));
      });

      it('returns the documents as written, sorted by id when no sort is given', async () => {
        const result = await store.find(items, { limit: 100 });
        expect(result).toEqual({ documents, total: 6 });
      });

      it('eq and ne compare strings as strings, numbers as numbers, booleans as booleans', async () => {
        expect(await filtered({ field: 'stage', op: 'eq', value: 'Prospecting' })).toEqual(['d1', 'd3', 'd6']);
        expect(await filtered({ field: 'amount', op: 'eq', value: 100 })).toEqual(['d2', 'd4']);
        expect(await filtered({ field: 'amount', op: 'eq', value: 150 })).toEqual([]);
        expect(await filtered({ field: 'amount', op: 'eq', value: '150' })).toEqual(['d6']);
        expect(await filtered({ field: 'flag', op: 'eq', value: true })).toEqual(['d1', 'd3']);
        expect(await filtered({ field: 'flag', op: 'eq', value: false })).toEqual(['d2', 'd5']);
        expect(await filtered({ field: 'id', op: 'eq', value: 'd4' })).toEqual(['d4']);
        expect(await filtered({ field: 'stage', op: 'ne', value: 'Prospecting' })).toEqual(['d2', 'd4', 'd5']);
      });

      it('eq null matches a missing field or a null; ne matches a missing field too', async () => {
        expect(await filtered({ field: 'owner', op: 'eq', value: null })).toEqual(['d2', 'd3']);
        expect(await filtered({ field: 'owner', op: 'ne', value: null })).toEqual(['d1', 'd4', 'd5', 'd6']);
        expect(await filtered({ field: 'owner', op: 'ne', value: 'alice' })).toEqual(['d2', 'd3', 'd4', 'd6']);
        expect(await filtered({ field: 'nowhere', op: 'eq', value: null })).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
      });

      it('gt, gte, lt and lte compare within one type only', async () => {
        expect(await filtered({ field: 'amount', op: 'gt', value: 100 })).toEqual(['d1', 'd3']);
        expect(await filtered({ field: 'amount', op: 'gte', value: 100 })).toEqual(['d1', 'd2', 'd3', 'd4']);
        expect(await filtered({ field: 'amount', op: 'lt', value: 100 })).toEqual(['d5']);
        expect(await filtered({ field: 'amount', op: 'lte', value: 100 })).toEqual(['d2', 'd4', 'd5']);
        expect(await filtered({ field: 'amount', op: 'gte', value: '1' })).toEqual(['d6']);
        expect(await filtered({ field: 'stage', op: 'gte', value: 'O' })).toEqual(['d1', 'd3', 'd6']);
        expect(await filtered({ field: 'stage', op: 'lt', value: 'Negotiation' })).toEqual(['d4']);
        expect(await filtered({ field: 'stage', op: 'lte', value: 'Negotiation' })).toEqual(['d2', 'd4', 'd5']);
        expect(await filtered({ field: 'owner', op: 'gt', value: 'alice' })).toEqual(['d4', 'd6']);
        expect(
          await filtered({ field: 'amount', op: 'gt', value: 100 }, { field: 'amount', op: 'lte', value: 200 }, { field: 'stage', op: 'eq', value: 'Prospecting' }),
        ).toEqual(['d3']);
      });

      it('in matches any of the values; null in the list matches missing; an empty list matches nothing', async () => {
        expect(await filtered({ field: 'owner', op: 'in', value: ['alice', 'bob'] })).toEqual(['d1', 'd4', 'd5']);
        expect(await filtered({ field: 'owner', op: 'in', value: ['bob', null] })).toEqual(['d2', 'd3', 'd4']);
        expect(await filtered({ field: 'amount', op: 'in', value: [100, 2.5, '300'] })).toEqual(['d2', 'd4', 'd5']);
        expect(await filtered({ field: 'owner', op: 'in', value: [] })).toEqual([]);
      });

      it('contains is a case-insensitive substring match on any of the fields, % and _ taken literally', async () => {
        expect(await filtered({ fields: ['name'], op: 'contains', value: 'LOVE' })).toEqual(['d1']);
        expect(await filtered({ fields: ['name'], op: 'contains', value: 'ACE' })).toEqual(['d1', 'd3']);
        expect(await filtered({ fields: ['name'], op: 'contains', value: '100%' })).toEqual(['d3']);
        expect(await filtered({ fields: ['name'], op: 'contains', value: '100' })).toEqual(['d3', 'd6']);
        expect(await filtered({ fields: ['name'], op: 'contains', value: 'r_D' })).toEqual(['d4']);
        expect(await filtered({ fields: ['name'], op: 'contains', value: 'n_t' })).toEqual([]);
        expect(await filtered({ fields: ['name'], op: 'contains', value: '%' })).toEqual(['d3']);
        expect(await filtered({ fields: ['name', 'owner'], op: 'contains', value: 'ALI' })).toEqual(['d1', 'd5']);
        expect(await filtered({ fields: ['name', 'stage'], op: 'contains', value: 'won' }, { field: 'owner', op: 'eq', value: 'bob' })).toEqual(['d4']);
      });

      it('sorts by several fields, ascending or descending, then by id; missing and null first', async () => {
        expect(await ids({ sort: [{ field: 'stage', direction: 'asc' }, { field: 'amount', direction: 'desc' }] })).toEqual(['d4', 'd2', 'd5', 'd6', 'd1', 'd3']);
        expect(await ids({ sort: [{ field: 'owner', direction: 'asc' }] })).toEqual(['d2', 'd3', 'd1', 'd5', 'd4', 'd6']);
        expect(await ids({ sort: [{ field: 'owner', direction: 'desc' }] })).toEqual(['d6', 'd4', 'd1', 'd5', 'd2', 'd3']);
        expect(await ids({ sort: [{ field: 'id', direction: 'desc' }] })).toEqual(['d6', 'd5', 'd4', 'd3', 'd2', 'd1']);
      });

      it('pages with limit and offset, and counts every match in total', async () => {
        const sort: FindQuery['sort'] = [{ field: 'stage', direction: 'asc' }];
        const filters: Filter[] = [{ field: 'id', op: 'ne', value: 'd2' }];
        const page = (limit: number, offset?: number) => store.find(items, { filters, sort, limit, offset });

        expect(await page(2)).toMatchObject({ total: 5, documents: [{ id: 'd4' }, { id: 'd5' }] });
        expect(await page(2, 2)).toMatchObject({ total: 5, documents: [{ id: 'd1' }, { id: 'd3' }] });
        expect(await page(2, 4)).toMatchObject({ total: 5, documents: [{ id: 'd6' }] });
        expect(await page(2, 10)).toEqual({ total: 5, documents: [] });
        expect(await page(0)).toEqual({ total: 5, documents: [] });
        expect(await page(10)).toMatchObject({ total: 5 });
      });
    });

    describe('sum', () => {
      beforeEach(async () => {
        await store.prepare(def);
        await store.writeBatch(
          batch(1, 1n, {
            increments: [
              counter(totals, 'p-eur', { count: 2, amount: 300 }, { stage: 'Prospecting', currency: 'EUR' }),
              counter(totals, 'p-usd', { count: 1, amount: 50 }, { stage: 'Prospecting', currency: 'USD' }),
              counter(totals, 'n-eur', { count: 4, amount: 1000 }, { stage: 'Negotiation', currency: 'EUR' }),
              counter(totals, 'n-none', { count: 3 }, { stage: 'Negotiation', currency: null }),
            ],
            upserts: upserts(totals, [{ id: 'w-missing', stage: 'Closed Won', count: 1 }]),
          }),
        );
      });
      /** Rows in no particular order: compare them sorted by their fields' values, whatever the key order. */
      const sorted = (rows: SumRow[]) => {
        const key = (row: SumRow) => JSON.stringify(Object.keys(row).sort().map((k) => row[k]));
        return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
      };

      it('adds up everything that matches into one row without groupBy', async () => {
        expect(await store.sum(totals, { groupBy: [], sum: ['count', 'amount'] })).toEqual([{ count: 11, amount: 1350, documents: 5 }]);
        expect(await store.sum(totals, { groupBy: [], sum: [] })).toEqual([{ documents: 5 }]);
      });

      it('gives one row per group, with 0 for a field no document has, and null for a missing group field', async () => {
        expect(sorted(await store.sum(totals, { groupBy: ['stage'], sum: ['count', 'amount', 'nothing'] }))).toEqual(
          sorted([
            { stage: 'Prospecting', count: 3, amount: 350, nothing: 0, documents: 2 },
            { stage: 'Negotiation', count: 7, amount: 1000, nothing: 0, documents: 2 },
            { stage: 'Closed Won', count: 1, amount: 0, nothing: 0, documents: 1 },
          ]),
        );
        expect(sorted(await store.sum(totals, { groupBy: ['currency', 'stage'], sum: ['count'] }))).toEqual(
          sorted([
            { currency: 'EUR', stage: 'Prospecting', count: 2, documents: 1 },
            { currency: 'USD', stage: 'Prospecting', count: 1, documents: 1 },
            { currency: 'EUR', stage: 'Negotiation', count: 4, documents: 1 },
            { currency: null, stage: 'Negotiation', count: 3, documents: 1 },
            { currency: null, stage: 'Closed Won', count: 1, documents: 1 },
          ]),
        );
        expect(sorted(await store.sum(totals, { groupBy: ['currency'], sum: ['count'] }))).toEqual(
          sorted([
            { currency: 'EUR', count: 6, documents: 2 },
            { currency: 'USD', count: 1, documents: 1 },
            { currency: null, count: 4, documents: 2 },
          ]),
        );
      });

      it('gives group values back with their JSON type', async () => {
        await store.writeBatch(
          batch(1, 2n, {
            upserts: upserts(totals, [
              { id: 'b1', closed: true, year: 2026, count: 1 },
              { id: 'b2', closed: false, year: 2026, count: 2 },
              { id: 'b3', closed: true, year: 2025, count: 4 },
            ]),
          }),
        );
        const rows = await store.sum(totals, { filters: [{ field: 'count', op: 'gte', value: 1 }, { field: 'year', op: 'gte', value: 2025 }], groupBy: ['closed', 'year'], sum: ['count'] });
        expect(sorted(rows)).toEqual(
          sorted([
            { closed: true, year: 2026, count: 1, documents: 1 },
            { closed: false, year: 2026, count: 2, documents: 1 },
            { closed: true, year: 2025, count: 4, documents: 1 },
          ]),
        );
      });

      it('adds up only what the filters match; no match, no row', async () => {
        const eur: Filter = { field: 'currency', op: 'eq', value: 'EUR' };
        expect(sorted(await store.sum(totals, { filters: [eur], groupBy: ['stage'], sum: ['amount'] }))).toEqual(
          sorted([
            { stage: 'Prospecting', amount: 300, documents: 1 },
            { stage: 'Negotiation', amount: 1000, documents: 1 },
          ]),
        );
        expect(await store.sum(totals, { filters: [eur, { field: 'count', op: 'gt', value: 2 }], groupBy: [], sum: ['count'] })).toEqual([
          { count: 4, documents: 1 },
        ]);
        const none: Filter = { field: 'stage', op: 'eq', value: 'Nowhere' };
        expect(await store.sum(totals, { filters: [none], groupBy: [], sum: ['count'] })).toEqual([]);
        expect(await store.sum(totals, { filters: [none], groupBy: ['stage'], sum: ['count'] })).toEqual([]);
      });

      it('runs several sums at once, each answering as it would alone, in the order asked', async () => {
        const byStage: SumQuery = { groupBy: ['stage'], sum: ['count'] };
        const eur: SumQuery = { filters: [{ field: 'currency', op: 'eq', value: 'EUR' }], groupBy: [], sum: ['amount'] };
        const [first, second, third] = await store.sumEach([
          { collection: totals, query: eur },
          { collection: totals, query: byStage },
          { collection: totals, query: { ...eur, filters: [{ field: 'stage', op: 'eq', value: 'Nowhere' }] } },
        ]);
        expect(first).toEqual(await store.sum(totals, eur));
        expect(sorted(second!)).toEqual(sorted(await store.sum(totals, byStage)));
        expect(third).toEqual([]);
        expect(await store.sumEach([])).toEqual([]);
        await expect(store.sumEach([{ collection: totals, query: eur }, { collection: `never_${newSuffix()}`, query: eur }])).rejects.toThrow();
      });
    });

    describe('failure', () => {
      it('records a failure, then clears it', async () => {
        await store.prepare(def);
        const failure = { eventId: randomUUID(), position: '42', message: 'boom', at: new Date().toISOString() };

        await store.setFailure(def.name, failure);
        expect(await store.state(def.name)).toMatchObject({ status: 'failed', failure });
        expect(await store.prepare(def)).toMatchObject({ status: 'failed', failure });

        await store.setFailure(def.name, null);
        expect(await store.state(def.name)).toMatchObject({ status: 'running', failure: null });
      });

      it('refuses a failure of an unknown projection', async () => {
        await expect(store.setFailure(`never-${newSuffix()}`, null)).rejects.toThrow();
      });
    });

    describe('projector lease', () => {
      const a = `a-${newSuffix()}`;
      const b = `b-${newSuffix()}`;
      afterEach(async () => {
        await store.releaseLease(a);
        await store.releaseLease(b);
      });

      it('grants a free lease, refuses another holder (naming the holder), renews for the same one, frees it on release', async () => {
        expect(await store.claimLease({ holder: a, ttlMs: 60_000 })).toMatchObject({ granted: true });
        expect(await store.claimLease({ holder: b, ttlMs: 60_000 })).toMatchObject({ granted: false, holder: a });
        const renewed = await store.claimLease({ holder: a, ttlMs: 120_000 });
        expect(renewed.granted).toBe(true);
        expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
        await store.releaseLease(b); // not b's: nothing happens
        expect(await store.claimLease({ holder: b, ttlMs: 60_000 })).toMatchObject({ granted: false, holder: a });
        await store.releaseLease(a);
        expect(await store.claimLease({ holder: b, ttlMs: 60_000 })).toMatchObject({ granted: true });
      });

      it('lets another holder take an expired lease, or one whose holder is gone', async () => {
        expect(await store.claimLease({ holder: a, ttlMs: 1 })).toMatchObject({ granted: true });
        await new Promise((r) => setTimeout(r, 10));
        expect(await store.claimLease({ holder: b, ttlMs: 60_000 })).toMatchObject({ granted: true });
        expect(await store.claimLease({ holder: a, ttlMs: 60_000, isGone: () => false })).toMatchObject({ granted: false, holder: b });
        expect(await store.claimLease({ holder: a, ttlMs: 60_000, isGone: (holder) => holder === b })).toMatchObject({ granted: true });
      });
    });
  });
}

/* ---------- helpers ---------- */

/** Lowercase letters and digits: fits collection names. */
function newSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

function counter(collection: string, id: string, add: Record<string, number>, group: CounterIncrement['group'] = {}): CounterIncrement {
  return { collection, id, group, add };
}

/** Documents of a dropped generation: the store may refuse to read it, or find nothing there. */
async function expectGone(read: Promise<Map<string, ReadModelDocument>>): Promise<void> {
  const outcome = await read.then(
    (found) => found.size,
    () => 'refused',
  );
  expect([0, 'refused']).toContain(outcome);
}
