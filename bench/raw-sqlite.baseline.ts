/**
 * The ceiling to compare the event store against: plain better-sqlite3 on the same kind of file (WAL,
 * synchronous = FULL), the same table shape, a similar JSON payload, and none of our logic. Single-row commits
 * show what one fsync per append costs on this disk; batched inserts show what the disk allows without that cost.
 *
 *   npx ts-node --transpile-only bench/raw-sqlite.baseline.ts [n]
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface BaselineResult {
  perSecond: number;
  n: number;
}

/** n INSERTs, each its own transaction, so each pays its own commit (and fsync). Returns commits per second. */
export function measureRawSingleRowCommits(n: number, dir: string): BaselineResult {
  return withFreshDatabase(dir, (db) => {
    const insert = prepareInsert(db);
    const rows = Array.from({ length: n }, (_, i) => makeRow(i));
    const started = performance.now();
    for (const row of rows) insert.run(row); // autocommit: one transaction per statement
    return { perSecond: n / seconds(started), n };
  });
}

/** Rows shaped like another workload's: its stored bytes per row, and random stream ids (UUIDs) instead of sequential ones. */
export interface RowShape {
  /** Bytes of data and metadata JSON per row, together. */
  payloadBytes: number;
  randomStreamIds: boolean;
}

/**
 * n INSERTs in transactions of 1000 rows. Returns rows per second. By default a few hundred bytes a row and stream ids
 * in order; `shape` makes the rows as large as another workload's and their stream ids random, as a new record's are.
 */
export function measureRawBatchedInserts(n: number, dir: string, shape?: RowShape): BaselineResult {
  return withFreshDatabase(dir, (db) => {
    const insert = prepareInsert(db);
    const insertMany = db.transaction((batch: Row[]) => {
      for (const row of batch) insert.run(row);
    });
    const rows = Array.from({ length: n }, (_, i) => (shape ? shaped(makeRow(i), shape) : makeRow(i)));
    const started = performance.now();
    for (let i = 0; i < n; i += 1000) insertMany(rows.slice(i, i + 1000));
    return { perSecond: n / seconds(started), n };
  });
}

interface Row {
  eventId: string;
  streamId: string;
  revision: number;
  data: string;
  metadata: string;
  recordedAt: string;
}

/** A payload the size of a typical domain event and its metadata (a few hundred bytes of JSON). */
function makeRow(i: number): Row {
  const data = { leadId: randomUUID(), name: `Lead ${i}`, email: `lead${i}@example.com`, company: 'Example GmbH', source: 'web', score: i % 100 };
  const metadata = { actor: 'user:bench', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: new Date().toISOString() };
  return { eventId: randomUUID(), streamId: `lead-${i}`, revision: 0, data: JSON.stringify(data), metadata: JSON.stringify(metadata), recordedAt: new Date().toISOString() };
}

function shaped(row: Row, shape: RowShape): Row {
  const missing = shape.payloadBytes - row.data.length - row.metadata.length;
  const data = missing > 20 ? JSON.stringify({ ...JSON.parse(row.data), padding: randomUUID().repeat(Math.ceil(missing / 36)).slice(0, missing - 14) }) : row.data;
  return { ...row, data, streamId: shape.randomStreamIds ? `lead-${randomUUID()}` : row.streamId };
}

function prepareInsert(db: Database.Database) {
  return db.prepare<[Row]>(
    `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at)
     VALUES (@eventId, @streamId, @revision, 'LeadCreated', 1, @data, @metadata, @recordedAt)`,
  );
}

function withFreshDatabase<T>(dir: string, measure: (db: Database.Database) => T): T {
  const file = join(dir, `raw-baseline-${randomUUID()}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL,
      metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    return measure(db);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

function seconds(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'raw-sqlite-'));
  try {
    const single = measureRawSingleRowCommits(n, dir);
    const batched = measureRawBatchedInserts(n * 10, dir);
    console.log(`raw single-row commits: ${single.perSecond.toFixed(0)}/s (n=${single.n})`);
    console.log(`raw batched inserts:    ${batched.perSecond.toFixed(0)} rows/s (n=${batched.n})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
