import Database from 'better-sqlite3';
import { openDurableSqlite } from '../infrastructure/durable-sqlite';
import { chmodSync } from 'node:fs';
import { ApiKeyStore, NewApiKey, StoredApiKey } from './api-key-store.port';
import { Role, isRole } from './roles';

interface Row {
  id: string;
  name: string;
  roles: string;
  pii: number;
  secret_hash: Buffer;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/**
 * API keys in a SQLite file of their own (<DATA_DIR>/access.sqlite), readable by its owner only. Only the SHA-256 of
 * each secret is stored; a revoked key's hash is overwritten with zeros, and secure_delete makes SQLite overwrite
 * freed content rather than leave it in free pages.
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<SqliteApiKeyStore['prepare']>;

  constructor(filename: string) {
    this.db = openDurableSqlite(filename, { secureDelete: true });
    try {
      chmodSync(filename, 0o600);
    } catch {
      // a file system without modes (or another owner): the hashes are still only hashes
    }
    this.db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      roles TEXT NOT NULL,
      pii INTEGER NOT NULL DEFAULT 0,
      secret_hash BLOB NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT,
      last_used_at TEXT
    )`);
    this.statements = this.prepare();
  }

  private prepare() {
    return {
      insert: this.db.prepare(`INSERT INTO api_keys (id, name, roles, pii, secret_hash, created_at) VALUES (@id, @name, @roles, @pii, @secretHash, @createdAt)`),
      get: this.db.prepare('SELECT * FROM api_keys WHERE id = ?'),
      list: this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, rowid'),
      revoke: this.db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @at), secret_hash = zeroblob(32) WHERE id = @id'),
      used: this.db.prepare('UPDATE api_keys SET last_used_at = @at WHERE id = @id'),
    };
  }

  async create(key: NewApiKey): Promise<StoredApiKey> {
    this.statements.insert.run({ id: key.id, name: key.name, roles: JSON.stringify(key.roles), pii: key.pii ? 1 : 0, secretHash: key.secretHash, createdAt: key.createdAt });
    return (await this.get(key.id))!;
  }

  async get(id: string): Promise<StoredApiKey | null> {
    const row = this.statements.get.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    return (this.statements.list.all() as Row[]).map(fromRow);
  }

  async revoke(id: string, at: string): Promise<StoredApiKey | null> {
    this.statements.revoke.run({ id, at });
    return this.get(id);
  }

  async markUsed(id: string, at: string): Promise<void> {
    this.statements.used.run({ id, at });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function fromRow(row: Row): StoredApiKey {
  const roles = (JSON.parse(row.roles) as unknown[]).filter((r): r is Role => typeof r === 'string' && isRole(r));
  return {
    id: row.id,
    name: row.name,
    roles,
    pii: row.pii === 1,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
