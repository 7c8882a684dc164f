import Database from 'better-sqlite3';
import { EventMetadata, StoredEvent } from './event-store.port';

/**
 * One table holds every event. `position` is the global order: AUTOINCREMENT makes SQLite never hand out a
 * rowid again, even after the newest row is deleted, so a checkpoint never points at a reused position.
 * The UNIQUE(stream_id, revision) index doubles as the index for stream reads and for "where is this stream".
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       TEXT    NOT NULL UNIQUE,
    stream_id      TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );
  -- Everything one request caused, across streams (GET /correlations/:id): one expression index, built at the first
  -- open of a file that predates it.
  CREATE INDEX IF NOT EXISTS events_by_correlation ON events (json_extract(metadata, '$.correlationId'))`;

/** Opens (creating if needed) an event store file, configured for durable commits. */
export function openEventDatabase(filename: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(filename);
  try {
    // WAL: readers (subscriptions, other processes) never block the writer, and a commit is one append to the log.
    db.pragma('journal_mode = WAL');
    // FULL: fsync the WAL on every commit, so a resolved append survives a power cut. Group commit pays for it.
    db.pragma('synchronous = FULL');
    // Another process may hold the write lock for a moment: wait instead of failing with SQLITE_BUSY.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`); // (better-sqlite3's own default: 5 s)
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const EVENT_COLUMNS = 'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at';

/** A row as better-sqlite3 returns it with safeIntegers on: every INTEGER column is a bigint. */
interface EventRow {
  position: bigint;
  event_id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
  recorded_at: string;
}

export interface StreamHead {
  revision: bigint;
  position: bigint;
}

export interface StoredIdRow {
  stream_id: string;
  position: bigint;
}

/**
 * Every statement the store runs, prepared once. safeIntegers keeps positions exact as bigints
 * (the port's type) instead of rounding them through a JS number.
 */
export function prepareEventStatements(db: Database.Database) {
  const stmt = <P extends unknown[], R = unknown>(sql: string) => db.prepare<P, R>(sql).safeIntegers(true);
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT one_append'),
    release: db.prepare('RELEASE one_append'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO one_append'),
    insert: stmt<[string, string, number, string, number, string, string, string]>(
      `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findEventId: stmt<[string], StoredIdRow>('SELECT stream_id, position FROM events WHERE event_id = ?'),
    streamHead: stmt<[string], StreamHead>(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    readStreamForwards: stmt<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    readStreams: stmt<[string], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, revision ASC`,
    ),
    readStreamBackwards: stmt<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    readAll: stmt<[bigint, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
    ),
    /** Events in (after, upTo] of the given types and stream id prefixes (JSON arrays; null: any). */
    readAllFiltered: stmt<[bigint, bigint, string | null, string | null, string | null, string | null, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE position > ? AND position <= ?
         AND (? IS NULL OR type IN (SELECT value FROM json_each(?)))
         AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(?) AS p WHERE substr(stream_id, 1, length(p.value)) = p.value))
       ORDER BY position ASC LIMIT ?`,
    ),
    readCorrelated: stmt<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE json_extract(metadata, '$.correlationId') = ? ORDER BY position ASC LIMIT ?`,
    ),
    headPosition: stmt<[], { head: bigint | null }>('SELECT MAX(position) AS head FROM events'),
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;

export function toStoredEvent(row: EventRow): StoredEvent {
  const metadata = JSON.parse(row.metadata) as EventMetadata;
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: row.position,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data) as Record<string, unknown>,
    // The store's clock wins over anything the caller put under the same key.
    metadata: { ...metadata, recordedAt: row.recorded_at },
  };
}
