import Database from 'better-sqlite3';
import { CheckpointStore } from './checkpoint-store.port';

/** Checkpoints in a small table of their own; the file may be the event store's. */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly selectStmt: Database.Statement<[string], { position: string }>;
  private readonly upsertStmt: Database.Statement<[string, string, string]>;

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
      name TEXT PRIMARY KEY,
      position TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    this.selectStmt = this.db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.upsertStmt = this.db.prepare(
      'INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    );
  }

  async load(name: string): Promise<bigint | null> {
    const row = this.selectStmt.get(name);
    return row ? BigInt(row.position) : null;
  }

  async save(name: string, position: bigint): Promise<void> {
    this.upsertStmt.run(name, position.toString(), new Date().toISOString());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
