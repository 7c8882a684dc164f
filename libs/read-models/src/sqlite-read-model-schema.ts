import Database from 'better-sqlite3';
import { SqlitePosition } from '@pipeline-ledger/event-store';
import { IndexedFields, assertCollectionName, assertFieldName, generationCollectionName } from './read-model-validation';

/**
 * The read-model file's bookkeeping: one row per projection (its active and rebuilding generation, each with its
 * version and checkpoint, and whether it stopped on an event), and one row per collection of each live generation
 * (which fields are indexed, and whether those indexes exist yet: a rebuilding generation's are built at activation).
 * Documents themselves live in one table per collection and generation, see collectionTable().
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS projections (
    name                  TEXT    PRIMARY KEY,
    active_generation     INTEGER NOT NULL,
    active_version        INTEGER NOT NULL,
    active_checkpoint     INTEGER,
    rebuilding_generation INTEGER,
    rebuilding_version    INTEGER,
    rebuilding_checkpoint INTEGER,
    status                TEXT    NOT NULL DEFAULT 'running',
    failure               TEXT
  );
  CREATE TABLE IF NOT EXISTS projection_collections (
    projection     TEXT    NOT NULL,
    generation     INTEGER NOT NULL,
    collection     TEXT    NOT NULL,
    indexed_fields TEXT    NOT NULL,
    indexed        INTEGER NOT NULL,
    PRIMARY KEY (projection, generation, collection)
  );
  CREATE TABLE IF NOT EXISTS projector_lease (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
  )`;

export interface ReadModelDatabaseOptions {
  busyTimeoutMs: number;
  cacheSizeMb: number;
}

/** Opens (creating if needed) a read-model file. */
export function openReadModelDatabase(filename: string, options: ReadModelDatabaseOptions): Database.Database {
  const db = new Database(filename);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL, not FULL: a commit is not fsynced. A killed process loses nothing (the OS has the WAL), and a power
    // cut may lose the last few commits but never tears one; each commit holds a batch's documents together with
    // its checkpoint, so what is lost is a suffix of batches whose checkpoint went with them, and the runner
    // re-applies them from the event store (which is FULL). Read models can always be rebuilt from it, so they do
    // not pay an fsync per batch.
    db.pragma('synchronous = NORMAL');
    // Rows hold personal data until an erasure rewrites them, and a rebuild drops whole tables: zero what is freed, so
    // an erased person's old row does not linger in free pages of the file.
    db.pragma('secure_delete = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    // A batch dirties pages all over a table (ids are random UUIDs), and under NORMAL each checkpoint costs two
    // fsyncs plus a copy of every page. With SQLite's default (every 1,000 pages) nearly every batch paid one;
    // every 10,000 pages (~40 MB) cut a 5,000-document batch from ~80 ms to ~55 ms. The WAL is truncated back to
    // 64 MB after a checkpoint, so the file does not keep a rebuild's peak size.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864');
    // GROUP BY and ORDER BY without a usable index sort in a temporary b-tree: keep it off the disk.
    db.pragma('temp_store = MEMORY');
    // The default 2 MB page cache makes an analytics query over a large counter collection go to the OS for pages.
    db.pragma(`cache_size = ${-Math.max(1, Math.floor(options.cacheSizeMb * 1024))}`);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The table of one collection in one generation. Collection names are unique across projections and cannot end
 * in `_g<digits>` ambiguously (the generation is always the last part), so table names never collide.
 */
export const collectionTable = generationCollectionName;

/**
 * The SQL for a top-level field of a document. Every query and every index spells it exactly so: SQLite uses an
 * index on an expression only when the query has the very same expression. `id` is the primary key column.
 */
export function fieldSql(field: string): string {
  assertFieldName(field);
  return field === 'id' ? 'id' : `json_extract(doc, '$.${field}')`;
}

/**
 * Documents are stored as JSONB (SQLite's binary JSON), not as JSON text: json_extract reads JSONB without
 * parsing it, which halves the cost of a filter, group or sum over many documents (measured: a sum over 100,000
 * counter documents), and the file is smaller. The price is a conversion on the way in (jsonb(?)) and out (json()).
 * Rowid table with a TEXT primary key: measured a little faster to upsert than WITHOUT ROWID with these document
 * sizes, and its secondary indexes point at a rowid, not at a copy of the id.
 */
export function createCollectionTable(db: Database.Database, table: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc BLOB NOT NULL)`);
}

/**
 * One expression index per entry, named "<table>.<field>" (or "<table>.<a>+<b>" for a compound one): no table name
 * has a dot, so no index name can collide with a table's or another collection's. SQLite compares names
 * case-insensitively, hence checkIndexedFields() refusing two entries that differ only by case.
 */
export function createCollectionIndexes(db: Database.Database, table: string, entries: readonly IndexedFields[]): void {
  for (const entry of entries) {
    const fields = typeof entry === 'string' ? [entry] : entry;
    if (fields.length === 1 && fields[0] === 'id') continue; // the primary key already is one
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}.${fields.join('+')}" ON ${table} (${fields.map(fieldSql).join(', ')})`);
  }
}

export function dropCollectionTable(db: Database.Database, table: string): void {
  db.exec(`DROP TABLE IF EXISTS ${table}`); // drops its indexes with it
}

/** A projections row as read with safeIntegers on: every INTEGER column is a bigint. */
export interface ProjectionRow {
  name: string;
  active_generation: bigint;
  active_version: bigint;
  active_checkpoint: SqlitePosition | null;
  rebuilding_generation: bigint | null;
  rebuilding_version: bigint | null;
  rebuilding_checkpoint: SqlitePosition | null;
  status: string;
  failure: string | null;
}

export interface CollectionRow {
  projection: string;
  generation: bigint;
  collection: string;
  indexed_fields: string;
  indexed: bigint;
}

/** The bookkeeping statements, prepared once; safeIntegers keeps checkpoints exact as bigints. */
export function prepareMetaStatements(db: Database.Database) {
  const stmt = <P extends unknown[], R = unknown>(sql: string) => db.prepare<P, R>(sql).safeIntegers(true);
  return {
    projection: stmt<[string], ProjectionRow>('SELECT * FROM projections WHERE name = ?'),
    insertProjection: stmt<[string, number, number]>(
      'INSERT INTO projections (name, active_generation, active_version, active_checkpoint) VALUES (?, ?, ?, NULL)',
    ),
    setActiveCheckpoint: stmt<[SqlitePosition, string]>('UPDATE projections SET active_checkpoint = ? WHERE name = ?'),
    setRebuildingCheckpoint: stmt<[SqlitePosition, string]>('UPDATE projections SET rebuilding_checkpoint = ? WHERE name = ?'),
    setRebuilding: stmt<[number, number, string]>(
      'UPDATE projections SET rebuilding_generation = ?, rebuilding_version = ?, rebuilding_checkpoint = NULL WHERE name = ?',
    ),
    promoteRebuilding: stmt<[string]>(
      `UPDATE projections SET active_generation = rebuilding_generation, active_version = rebuilding_version,
         active_checkpoint = rebuilding_checkpoint, rebuilding_generation = NULL, rebuilding_version = NULL,
         rebuilding_checkpoint = NULL
       WHERE name = ?`,
    ),
    setFailure: stmt<[string, string | null, string]>('UPDATE projections SET status = ?, failure = ? WHERE name = ?'),
    collections: stmt<[string, number], CollectionRow>(
      'SELECT * FROM projection_collections WHERE projection = ? AND generation = ? ORDER BY collection',
    ),
    upsertCollection: stmt<[string, number, string, string, number]>(
      `INSERT INTO projection_collections (projection, generation, collection, indexed_fields, indexed) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (projection, generation, collection) DO UPDATE SET indexed_fields = excluded.indexed_fields`,
    ),
    lease: db.prepare<[], { holder: string; expires_at: number }>('SELECT holder, expires_at FROM projector_lease WHERE id = 1'),
    setLease: db.prepare<[string, number]>(
      'INSERT INTO projector_lease (id, holder, expires_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at',
    ),
    releaseLease: db.prepare<[string]>('DELETE FROM projector_lease WHERE id = 1 AND holder = ?'),
    markIndexed: stmt<[string, number]>('UPDATE projection_collections SET indexed = 1 WHERE projection = ? AND generation = ?'),
    deleteCollections: stmt<[string, number]>('DELETE FROM projection_collections WHERE projection = ? AND generation = ?'),
    /** Another projection claiming a collection name, in any of its live generations. */
    collectionOwner: stmt<[string, string], { projection: string }>(
      'SELECT projection FROM projection_collections WHERE collection = ? AND projection <> ? LIMIT 1',
    ),
    /** Every collection of every live (active or rebuilding) generation. */
    allCollections: stmt<[], CollectionRow>('SELECT * FROM projection_collections'),
    /** Every collection of every active generation: what queries can read. */
    activeCollections: stmt<[], CollectionRow>(
      `SELECT c.* FROM projection_collections c
       JOIN projections p ON p.name = c.projection AND p.active_generation = c.generation`,
    ),
  };
}

export type MetaStatements = ReturnType<typeof prepareMetaStatements>;
