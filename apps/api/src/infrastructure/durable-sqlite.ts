import Database from 'better-sqlite3';

/**
 * A small SQLite database of the api's own (API keys, web forms and submissions, webhook subscriptions): WAL, so the
 * api and the CLI can both open it; every commit fsynced (synchronous = FULL); a 5 s wait for another process's write
 * lock; and, with `secureDelete`, deleted rows overwritten with zeros rather than left in free pages.
 */
export function openDurableSqlite(filename: string, options: { secureDelete?: boolean } = {}): Database.Database {
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
