import Database from 'better-sqlite3';
import { openDurableSqlite } from '../infrastructure/durable-sqlite';

/**
 * `<DATA_DIR>/intake.sqlite`: the web forms and the submissions seen. Durable writes (synchronous = FULL: a pending
 * submission is on disk before its events are appended), WAL so the api and the CLI can both open it, and
 * secure_delete so that deleted rows are overwritten rather than left in free pages.
 */
export function openIntakeDatabase(filename: string): Database.Database {
  const db = openDurableSqlite(filename, { secureDelete: true });
  db.exec(`CREATE TABLE IF NOT EXISTS intake_forms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    source TEXT NOT NULL,
    owner TEXT NOT NULL,
    campaign TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  )`);
  db.exec(`CREATE TABLE IF NOT EXISTS intake_submissions (
    form_id TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('created', 'duplicate')),
    lead_id TEXT NOT NULL,
    matched_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
    received_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (form_id, submission_id)
  ) WITHOUT ROWID`);
  return db;
}
