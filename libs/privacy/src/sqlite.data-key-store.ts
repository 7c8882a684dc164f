import Database from 'better-sqlite3';
import { DataKeyStore, StoredDataKey } from './data-key-store.port';

export interface SqliteDataKeyStoreOptions {
  /** The database file: a file of its own, or the embedded event store's (the default configuration). */
  filename: string;
  /**
   * True (the default): every commit is fsynced (synchronous = FULL), so a key is durable before an event sealed
   * under it can be appended. False, only when `filename` is the event store's own SQLite file in WAL mode: the key's
   * commit is not fsynced itself, but it precedes the event's commit in the same write-ahead log, and the event
   * store's fsync of that commit makes every frame before it durable too. A new person then costs one fsync, not two.
   */
  ownFsync?: boolean;
}

/**
 * The embedded DataKeyStore: two tables in a SQLite file (by default the event store's own; the keys are wrapped by
 * the master key, which is never stored with them). Erasure deletes only key rows, never an event. A key is durable
 * before an event encrypted under it can be appended (see `ownFsync`); keys asked for in the same turn of the event loop share one commit (group commit: many new
 * leads at once cost one fsync, not one each). Erasure deletes the row with secure_delete on (SQLite zeroes the freed space) and then
 * truncates the write-ahead log, so no copy of the key is left in the database files.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { subject: string; wrapped: Buffer }>;
  private readonly selectErased: Database.Statement<[string], { subject: string; erased_at: string }>;
  private readonly insert: Database.Statement<[string, Buffer, string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly tombstone: Database.Statement<[string, string]>;
  /** Keys waiting for the next group commit. */
  private queue: Array<{ subject: string; wrapped: Buffer; resolve: (stored: StoredDataKey) => void; reject: (error: unknown) => void }> = [];

  constructor(options: SqliteDataKeyStoreOptions) {
    this.db = new Database(options.filename);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.ownFsync === false ? 'NORMAL' : 'FULL'}`);
      this.db.pragma('secure_delete = ON');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS data_keys (subject TEXT PRIMARY KEY, wrapped BLOB NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS erased_subjects (subject TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;`);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.select = this.db.prepare('SELECT subject, wrapped FROM data_keys WHERE subject = ?');
    this.selectErased = this.db.prepare('SELECT subject, erased_at FROM erased_subjects WHERE subject = ?');
    // Not for an erased subject, and never over a key it has: the first key a subject gets is its key.
    this.insert = this.db.prepare(
      'INSERT INTO data_keys (subject, wrapped, created_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE subject = ?) ON CONFLICT (subject) DO NOTHING',
    );
    this.remove = this.db.prepare('DELETE FROM data_keys WHERE subject = ?');
    this.tombstone = this.db.prepare('INSERT INTO erased_subjects (subject, erased_at) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING');
  }

  async get(subjects: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const found = new Map<string, StoredDataKey>();
    for (const subject of subjects) {
      const stored = this.lookup(subject);
      if (stored) found.set(subject, stored);
    }
    return found;
  }

  putIfAbsent(subject: string, wrapped: Buffer): Promise<StoredDataKey> {
    return new Promise((resolve, reject) => {
      this.queue.push({ subject, wrapped, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.commitQueued());
    });
  }

  /** One durable transaction for every key asked for since the last one; each caller gets what is stored for its subject. */
  private commitQueued(): void {
    const batch = this.queue;
    this.queue = [];
    try {
      const now = new Date().toISOString();
      const stored = this.db.transaction(() =>
        batch.map(({ subject, wrapped }): StoredDataKey => {
          if (this.insert.run(subject, wrapped, now, subject).changes === 1) return { status: 'active', wrapped };
          return this.lookup(subject) as StoredDataKey;
        }),
      ).immediate();
      batch.forEach((item, i) => item.resolve(stored[i]));
    } catch (error) {
      batch.forEach((item) => item.reject(error));
    }
  }

  async erase(subjects: readonly string[], erasedAt: string): Promise<void> {
    this.db.transaction(() => {
      for (const subject of subjects) {
        this.remove.run(subject);
        this.tombstone.run(subject, erasedAt);
      }
    }).immediate();
    // The log still holds the pages as they were before the delete until a checkpoint; copy them back and empty it.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.commitQueued(); // keys already asked for are stored before the file closes
    if (this.db.open) this.db.close();
  }

  private lookup(subject: string): StoredDataKey | undefined {
    const erased = this.selectErased.get(subject);
    if (erased) return { status: 'erased', erasedAt: erased.erased_at };
    const row = this.select.get(subject);
    return row ? { status: 'active', wrapped: row.wrapped } : undefined;
  }
}
