import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A small SQLite database of the api's own (API keys, web forms and submissions, webhook subscriptions): WAL, so the
 * api and the CLI can both open it; every commit fsynced (synchronous = FULL); a 5 s wait for another process's write
 * lock; the directory made when missing; and, with `secureDelete`, deleted rows overwritten with zeros rather than left in free pages.
 */
export function openDurableSqlite(filename: string, options: { secureDelete?: boolean } = {}): Database.Database {
  mkdirSync(dirname(filename), { recursive: true }); // the data directory may not exist yet (a first start, the CLI)
  const db = new Database(filename);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    if (options.secureDelete) db.pragma('secure_delete = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
