import Database from 'better-sqlite3';
import { DataKeyStore, StoredDataKey } from './data-key-store.port';

export interface SqliteDataKeyStoreOptions {
  /** The database file: a file of its own, or the embedded event store's (the default configuration). */
  filename: string;
  /**
   * True (the default): every commit is fsynced (synchronous = FULL), so keys are durable before an event sealed
   * under them can be appended. False, only when `filename` is the event store's own SQLite file in WAL mode: the
   * keys' commit is not fsynced itself, but it precedes, in the same write-ahead log, the commit of any event sealed
   * under them, and the event store's fsync of that commit makes every frame before it durable too.
   */
  ownFsync?: boolean;
}

/**
 * The embedded DataKeyStore: two tables in a SQLite file (by default the event store's own; the keys are wrapped by
 * the master key, which is never stored with them). Erasure deletes key rows only, never an event, with
 * secure_delete on (SQLite zeroes the freed space), then truncates the write-ahead log, so that no copy of an erased
 * key is left in the database files.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Buffer, string]>;
  private readonly select: Database.Statement<[string], { wrapped: Buffer }>;
  private readonly selectErased: Database.Statement<[string], { erased_at: string }>;
  private readonly remove: Database.Statement<[string]>;
  private readonly tombstone: Database.Statement<[string, string]>;
  private readonly selectAllErased: Database.Statement<[], { subject: string; erased_at: string }>;

  constructor(options: SqliteDataKeyStoreOptions) {
    this.db = new Database(options.filename);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.ownFsync === false ? 'NORMAL' : 'FULL'}`);
      this.db.pragma('secure_delete = ON');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS data_keys (id TEXT PRIMARY KEY, wrapped BLOB NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS erased_subjects (subject TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;`);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.insert = this.db.prepare('INSERT INTO data_keys (id, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING');
    this.select = this.db.prepare('SELECT wrapped FROM data_keys WHERE id = ?');
    this.selectErased = this.db.prepare('SELECT erased_at FROM erased_subjects WHERE subject = ?');
    this.remove = this.db.prepare('DELETE FROM data_keys WHERE id = ?');
    this.selectAllErased = this.db.prepare('SELECT subject, erased_at FROM erased_subjects');
    this.tombstone = this.db.prepare('INSERT INTO erased_subjects (subject, erased_at) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING');
  }

  async add(keys: readonly StoredDataKey[]): Promise<void> {
    const now = new Date().toISOString();
    this.db
      .transaction(() => {
        for (const key of keys) this.insert.run(key.id, key.wrapped, now);
      })
      .immediate();
  }

  async get(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (const id of ids) {
      const row = this.select.get(id);
      if (row) found.set(id, row.wrapped);
    }
    return found;
  }

  async erasedSubjects(subjects: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const subject of subjects) {
      const row = this.selectErased.get(subject);
      if (row) found.set(subject, row.erased_at);
    }
    return found;
  }

  async allErasedSubjects(): Promise<Map<string, string>> {
    return new Map(this.selectAllErased.all().map((row) => [row.subject, row.erased_at]));
  }

  async erase(subjects: readonly string[], keyIds: readonly string[], erasedAt: string): Promise<void> {
    this.db
      .transaction(() => {
        for (const id of keyIds) this.remove.run(id);
        for (const subject of subjects) this.tombstone.run(subject, erasedAt);
      })
      .immediate();
    // The log still holds the pages as they were before the delete until a checkpoint: copy them back and empty it.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
