import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadModelStoreContract } from './read-model-store.contract';
import { Filter, ProjectionDefinition, ReadModelBatch } from './read-model-store.port';
import { SqliteReadModelStore } from './sqlite.read-model-store';

/** A fresh directory per store: WAL needs a real file, and -wal/-shm files live next to it. */
function tempDir(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'read-models-'));
  return { file: join(dir, 'read-models.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeReadModelStoreContract('SqliteReadModelStore', async () => {
  const temp = tempDir();
  const store = new SqliteReadModelStore({ filename: temp.file });
  return {
    store,
    cleanup: async () => {
      await store.close();
      temp.remove();
    },
  };
});

describe('SqliteReadModelStore (SQLite specifics)', () => {
  let temp: ReturnType<typeof tempDir>;
  const opened: SqliteReadModelStore[] = [];
  const open = () => {
    const store = new SqliteReadModelStore({ filename: temp.file });
    opened.push(store);
    return store;
  };
  const def: ProjectionDefinition = {
    name: 'leads-list',
    version: 1,
    collections: [
      { name: 'leads', indexedFields: ['status', 'owner', 'createdAt'] },
      { name: 'lead_counts', indexedFields: ['status'] },
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

  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    temp.remove();
  });

  it('keeps documents, counters, checkpoints and a rebuild in progress across close and reopen', async () => {
    const first = open();
    await first.prepare(def);
    await first.writeBatch(
      batch(1, 12n, {
        upserts: [{ collection: 'leads', document: { id: 'l1', status: 'Open', owner: 'alice' } }],
        increments: [{ collection: 'lead_counts', id: 'open', group: { status: 'Open' }, add: { count: 1 } }],
      }),
    );
    await first.beginRebuild({ ...def, version: 2 });
    await first.writeBatch(batch(2, 3n, { upserts: [{ collection: 'leads', document: { id: 'l1', status: 'Open', v: 2 } }] }));
    await first.close();

    const reopened = open();
    // Queries answer before prepare: the registry is read from the file.
    expect(await reopened.find('leads', { limit: 10 })).toEqual({ documents: [{ id: 'l1', status: 'Open', owner: 'alice' }], total: 1 });
    expect(await reopened.sum('lead_counts', { groupBy: ['status'], sum: ['count'] })).toEqual([{ status: 'Open', count: 1, documents: 1 }]);
    expect(await reopened.prepare({ ...def, version: 2 })).toMatchObject({
      active: { generation: 1, version: 1, checkpoint: 12n },
      rebuilding: { generation: 2, version: 2, checkpoint: 3n },
    });
    expect((await reopened.getDocuments(def.name, 2, 'leads', ['l1'])).get('l1')).toEqual({ id: 'l1', status: 'Open', v: 2 });
  });

  it('runs with WAL and synchronous = NORMAL', () => {
    expect(open().sqliteSettings()).toEqual({ journalMode: 'wal', synchronous: 1 });
  });

  it('refuses collection and field names that could smuggle SQL, and stays intact', async () => {
    const store = open();
    await store.prepare(def);
    const evil = ["leads; DROP TABLE projections", "x')--", 'a b', 'naïve', 'a'.repeat(65)];
    for (const name of evil) {
      await expect(store.prepare({ ...def, name: 'other', collections: [{ name, indexedFields: [] }] })).rejects.toThrow(/invalid collection name/);
      await expect(store.prepare({ ...def, collections: [{ name: 'leads', indexedFields: [name] }] })).rejects.toThrow(/invalid field name/);
      const filters: Filter[] = [{ field: name, op: 'eq', value: 1 }];
      await expect(store.find('leads', { limit: 1, filters })).rejects.toThrow(/invalid field name/);
      await expect(store.find('leads', { limit: 1, filters: [{ fields: [name], op: 'contains', value: 'x' }] })).rejects.toThrow(/invalid field name/);
      await expect(store.find('leads', { limit: 1, sort: [{ field: name, direction: 'asc' }] })).rejects.toThrow(/invalid field name/);
      await expect(store.sum('leads', { groupBy: [name], sum: [] })).rejects.toThrow(/invalid field name/);
      await expect(store.sum('leads', { groupBy: [], sum: [name] })).rejects.toThrow(/invalid field name/);
      await expect(store.find(name, { limit: 1 })).rejects.toThrow();
    }
    await expect(store.prepare({ ...def, collections: [{ name: 'leads', indexedFields: ['owner', 'Owner'] }] })).rejects.toThrow(/twice/);
    expect(await store.state(def.name)).toMatchObject({ active: { generation: 1 } });
    expect(await store.find('leads', { limit: 1 })).toEqual({ documents: [], total: 0 });
  });

  it('builds compound indexes, and answers an equality on the first field with a range on the second from one', async () => {
    const store = open();
    const compound: ProjectionDefinition = { name: 'buckets', version: 1, collections: [{ name: 'buckets', indexedFields: [['owner', 'closeDate'], 'closeDate'] }] };
    await store.prepare(compound);
    const documents = Array.from({ length: 3000 }, (_, i) => ({ id: `b${i}`, owner: `owner-${i % 30}`, closeDate: `2026-0${(i % 9) + 1}-${String((i % 28) + 1).padStart(2, '0')}`, n: 1 }));
    await store.writeBatch({ projection: 'buckets', generation: 1, upserts: documents.map((document) => ({ collection: 'buckets', document })), deletes: [], increments: [], checkpoint: 1n });
    const filters: Filter[] = [
      { field: 'owner', op: 'eq', value: 'owner-7' },
      { field: 'closeDate', op: 'gte', value: '2026-03-01' },
      { field: 'closeDate', op: 'lte', value: '2026-05-31' },
    ];
    expect(store.explainFind('buckets', { limit: 10, filters }).join(' | ')).toMatch(/USING INDEX "?rm_buckets_g1\.owner\+closeDate/);
    const expected = documents.filter((d) => d.owner === 'owner-7' && d.closeDate >= '2026-03-01' && d.closeDate <= '2026-05-31').length;
    expect(expected).toBeGreaterThan(0);
    expect((await store.find('buckets', { limit: 1, filters })).total).toBe(expected);
    await expect(store.prepare({ ...compound, name: 'b2', collections: [{ name: 'b2', indexedFields: [['owner', 'Owner']] }] })).rejects.toThrow(/twice/);
    await expect(store.prepare({ ...compound, name: 'b3', collections: [{ name: 'b3', indexedFields: [[]] }] })).rejects.toThrow(/non-empty/);
  });

  it('builds a rebuilt generation\'s indexes one at a time at activation, letting timers run between them', async () => {
    const store = open();
    await store.prepare(def);
    const { generation } = await store.beginRebuild({ ...def, version: 2 });
    const documents = Array.from({ length: 2000 }, (_, i) => ({ id: `l${i}`, owner: i === 0 ? 'alice' : `owner-${i % 100}` }));
    await store.writeBatch(batch(generation, 1n, { upserts: documents.map((document) => ({ collection: 'leads', document })) }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await store.activate(def.name, generation);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0); // 4 indexes and 2 ANALYZEs: a turn of the event loop after each
    expect(store.explainFind('leads', { limit: 1, filters: [{ field: 'owner', op: 'eq', value: 'alice' }] }).join(' | ')).toMatch(/USING INDEX "?rm_leads_g2\.owner/);
  });

  it('binds filter values, never splicing them into the SQL', async () => {
    const store = open();
    await store.prepare(def);
    const owner = "o'brien\"; DROP TABLE projections; --";
    await store.writeBatch(batch(1, 1n, { upserts: [{ collection: 'leads', document: { id: 'l1', owner } }] }));

    expect((await store.find('leads', { limit: 1, filters: [{ field: 'owner', op: 'eq', value: owner }] })).total).toBe(1);
    expect((await store.find('leads', { limit: 1, filters: [{ field: 'owner', op: 'in', value: [owner] }] })).total).toBe(1);
    expect((await store.find('leads', { limit: 1, filters: [{ fields: ['owner'], op: 'contains', value: "'brien\"; drop" }] })).total).toBe(1);
    expect(await store.state(def.name)).not.toBeNull();
  });

  it('answers filtered and sorted finds from the expression indexes, also of a rebuilt generation', async () => {
    const store = open();
    await store.prepare(def);
    const plan = (filters: Filter[], sortField?: string) =>
      store.explainFind('leads', { limit: 10, filters, sort: sortField ? [{ field: sortField, direction: 'desc' }] : undefined }).join(' | ');

    expect(plan([{ field: 'owner', op: 'eq', value: 'alice' }])).toMatch(/USING INDEX "?rm_leads_g1\.owner/);
    expect(plan([{ field: 'createdAt', op: 'gte', value: '2026-01-01' }], 'createdAt')).toMatch(/USING INDEX "?rm_leads_g1\.createdAt/);
    expect(plan([{ field: 'status', op: 'in', value: ['Open', 'Working'] }])).toMatch(/USING INDEX "?rm_leads_g1\.status/);
    expect(plan([], 'createdAt')).toMatch(/SCAN .*USING INDEX "?rm_leads_g1\.createdAt/);

    // A rebuilt generation is written without its secondary indexes; activate builds them (and analyzes them:
    // enough documents that the planner, knowing their numbers, still prefers the index).
    const { generation } = await store.beginRebuild({ ...def, version: 2 });
    const documents = Array.from({ length: 2000 }, (_, i) => ({ id: `l${i}`, owner: `owner-${i % 100}`, createdAt: `2026-01-${(i % 28) + 1}` }));
    await store.writeBatch(batch(generation, 1n, { upserts: documents.map((document) => ({ collection: 'leads', document })) }));
    await store.activate(def.name, generation);
    expect(plan([{ field: 'owner', op: 'eq', value: 'owner-7' }])).toMatch(/USING INDEX "?rm_leads_g2\.owner/);
    expect((await store.find('leads', { limit: 10, filters: [{ field: 'owner', op: 'eq', value: 'owner-7' }] })).total).toBe(20);
  });

  it('rolls back the writes a batch made before it failed', async () => {
    const store = open();
    await store.prepare(def);
    await store.writeBatch(batch(1, 1n, { upserts: [{ collection: 'lead_counts', document: { id: 'open', count: 'not a number' } }] }));

    // The upserts are written first; the increment then finds a string where it must add.
    const failing = batch(1, 2n, {
      upserts: [{ collection: 'leads', document: { id: 'l1', owner: 'alice' } }],
      increments: [{ collection: 'lead_counts', id: 'open', group: {}, add: { count: 1 } }],
    });
    await expect(store.writeBatch(failing)).rejects.toThrow(/not a number/);

    expect(await store.find('leads', { limit: 10 })).toEqual({ documents: [], total: 0 });
    expect((await store.state(def.name))?.active.checkpoint).toBe(1n);
  });

  it('stores the checkpoint in the same file as the documents, as an exact integer', async () => {
    const store = open();
    await store.prepare(def);
    const big = 2n ** 62n + 1n;
    await store.writeBatch(batch(1, big));
    await store.close();

    const raw = new Database(temp.file, { readonly: true });
    try {
      const row = raw.prepare('SELECT active_checkpoint AS c FROM projections WHERE name = ?').safeIntegers(true).get(def.name) as { c: bigint };
      expect(row.c).toBe(big);
    } finally {
      raw.close();
    }
    expect((await open().state(def.name))?.active.checkpoint).toBe(big);
  });

  it('refuses every call once closed', async () => {
    const store = open();
    await store.prepare(def);
    await store.close();
    await expect(store.find('leads', { limit: 1 })).rejects.toThrow(/closed/);
    await expect(store.writeBatch(batch(1, 1n))).rejects.toThrow(/closed/);
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('SqliteReadModelStore: two instances on one file (api and apps/projector)', () => {
  it('sees projections prepared, and generations activated, by the other instance', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pl-rm-two-'));
    const writer = new SqliteReadModelStore({ filename: join(dir, 'rm.sqlite') });
    const reader = new SqliteReadModelStore({ filename: join(dir, 'rm.sqlite') });
    try {
      const definition = { name: 'shared', version: 1, collections: [{ name: 'shared_docs', indexedFields: ['n'] }] };
      const state = await writer.prepare(definition);
      await writer.writeBatch({ projection: 'shared', generation: state.active.generation, upserts: [{ collection: 'shared_docs', document: { id: 'a', n: 1 } }], deletes: [], increments: [], checkpoint: 1n });
      expect((await reader.find('shared_docs', { limit: 10 })).documents).toEqual([{ id: 'a', n: 1 }]);

      const rebuilt = await writer.beginRebuild(definition);
      await writer.writeBatch({ projection: 'shared', generation: rebuilt.generation, upserts: [{ collection: 'shared_docs', document: { id: 'b', n: 2 } }], deletes: [], increments: [], checkpoint: 2n });
      await writer.activate('shared', rebuilt.generation);
      expect((await reader.find('shared_docs', { limit: 10 })).documents).toEqual([{ id: 'b', n: 2 }]);
    } finally {
      await reader.close();
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
