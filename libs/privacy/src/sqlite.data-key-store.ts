import Database from 'better-sqlite3';
import { DataKeyStore, StoredDataKey } from './data-key-store.port';

/**
 * The embedded DataKeyStore: a SQLite file of its own (not the event store's: the keys are what erasure deletes, the
 * events are what it must not touch). Keys are written durably (synchronous = FULL) before an event encrypted under
 * them can be appended. Erasure deletes the row with secure_delete on (SQLite zeroes the freed space) and then
 * truncates the write-ahead log, so no copy of the key is left in the database files.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { subject: string; wrapped: Buffer }>;
  private readonly selectErased: Database.Statement<[string], { subject: string; erased_at: string }>;
  private readonly insert: Database.Statement<[string, Buffer, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly tombstone: Database.Statement<[string, string]>;

  constructor(filename: string) {
    this.db = new Database(filename);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
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
    this.insert = this.db.prepare('INSERT INTO data_keys (subject, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT (subject) DO NOTHING');
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

  async putIfAbsent(subject: string, wrapped: Buffer): Promise<StoredDataKey> {
    return this.db.transaction(() => {
      const erased = this.selectErased.get(subject);
      if (erased) return { status: 'erased', erasedAt: erased.erased_at } as const;
      this.insert.run(subject, wrapped, new Date().toISOString());
      return this.lookup(subject) as StoredDataKey;
    }).immediate();
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
    if (this.db.open) this.db.close();
  }

  private lookup(subject: string): StoredDataKey | undefined {
    const erased = this.selectErased.get(subject);
    if (erased) return { status: 'erased', erasedAt: erased.erased_at };
    const row = this.select.get(subject);
    return row ? { status: 'active', wrapped: row.wrapped } : undefined;
  }
}
