import Database from 'better-sqlite3';
import { SqlitePosition, fromSqlitePosition, toSqlitePosition } from '@pipeline-ledger/event-store';
import { openDurableSqlite } from '../infrastructure/durable-sqlite';
import { FeedFilter } from '../feed/feed-message';
import { DeliveryFailure, NewWebhookSubscription, WebhookStatus, WebhookStore, WebhookSubscription } from './webhook-store.port';

interface Row {
  id: string;
  url: string;
  filter: string;
  secret: string;
  status: string;
  position: SqlitePosition | null;
  created_at: string;
  created_by: string | null;
  pii: bigint;
  delivered_count: bigint;
  consecutive_failures: bigint;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  paused_at: string | null;
}

/**
 * Webhook subscriptions in a small table of their own, in the event store's file (like the checkpoints), written
 * durably (synchronous = FULL): an acknowledged position survives a crash. The secret is stored as is, since it has
 * to sign; whoever can read the events file can read it.
 */
export class SqliteWebhookStore implements WebhookStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<SqliteWebhookStore['prepare']>;

  constructor(filename: string) {
    this.db = openDurableSqlite(filename);
    this.db.exec(`CREATE TABLE IF NOT EXISTS webhook_subscriptions (
      id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      filter TEXT NOT NULL,
      secret TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
      position INTEGER,
      created_at TEXT NOT NULL,
      delivered_count INTEGER NOT NULL DEFAULT 0,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      last_attempt_at TEXT,
      next_attempt_at TEXT,
      paused_at TEXT,
      created_by TEXT,
      pii INTEGER NOT NULL DEFAULT 0
    )`);
    // Tables made before subscriptions recorded their creator: the columns are added, and those made then get no
    // personal fields (nobody authenticated, so nobody was known to be allowed them).
    const columns = new Set((this.db.prepare('PRAGMA table_info(webhook_subscriptions)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('created_by')) this.db.exec('ALTER TABLE webhook_subscriptions ADD COLUMN created_by TEXT');
    if (!columns.has('pii')) this.db.exec('ALTER TABLE webhook_subscriptions ADD COLUMN pii INTEGER NOT NULL DEFAULT 0');
    this.statements = this.prepare();
  }

  private prepare() {
    const select = (sql: string) => this.db.prepare(sql).safeIntegers(true);
    return {
      insert: this.db.prepare(
        `INSERT INTO webhook_subscriptions (id, url, filter, secret, status, position, created_at, created_by, pii)
         VALUES (@id, @url, @filter, @secret, 'active', @position, @createdAt, @createdBy, @pii)`,
      ),
      get: select('SELECT * FROM webhook_subscriptions WHERE id = ?'),
      list: select('SELECT * FROM webhook_subscriptions ORDER BY rowid'),
      delete: this.db.prepare('DELETE FROM webhook_subscriptions WHERE id = ?'),
      resume: this.db.prepare(
        `UPDATE webhook_subscriptions SET status = 'active', consecutive_failures = 0, next_attempt_at = NULL, paused_at = NULL WHERE id = ? AND status = 'paused'`,
      ),
      acknowledge: this.db.prepare(
        `UPDATE webhook_subscriptions SET position = @position, delivered_count = delivered_count + 1, consecutive_failures = 0,
           last_attempt_at = @at, next_attempt_at = NULL WHERE id = @id`,
      ),
      fail: this.db.prepare(
        `UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1, last_error = @error, last_attempt_at = @at,
           next_attempt_at = @nextAttemptAt,
           status = CASE WHEN @pause THEN 'paused' ELSE status END,
           paused_at = CASE WHEN @pause THEN @at ELSE paused_at END
         WHERE id = @id`,
      ),
    };
  }

  async create(s: NewWebhookSubscription): Promise<WebhookSubscription> {
    this.statements.insert.run({
      id: s.id,
      url: s.url,
      filter: JSON.stringify(s.filter),
      secret: s.secret,
      position: s.position === null ? null : toSqlitePosition(s.position),
      createdAt: s.createdAt,
      createdBy: s.createdBy,
      pii: s.pii ? 1 : 0,
    });
    return (await this.get(s.id))!;
  }

  async get(id: string): Promise<WebhookSubscription | null> {
    const row = this.statements.get.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async list(): Promise<WebhookSubscription[]> {
    return (this.statements.list.all() as Row[]).map(fromRow);
  }

  async delete(id: string): Promise<boolean> {
    return this.statements.delete.run(id).changes > 0;
  }

  async resume(id: string): Promise<WebhookSubscription | null> {
    this.statements.resume.run(id);
    return this.get(id);
  }

  async acknowledge(id: string, position: bigint, at: string): Promise<boolean> {
    return this.statements.acknowledge.run({ id, position: toSqlitePosition(position), at }).changes > 0;
  }

  async recordFailure(id: string, f: DeliveryFailure): Promise<boolean> {
    return this.statements.fail.run({ id, error: f.error, at: f.at, nextAttemptAt: f.nextAttemptAt, pause: f.pause ? 1 : 0 }).changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function fromRow(row: Row): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    filter: JSON.parse(row.filter) as FeedFilter,
    secret: row.secret,
    status: row.status as WebhookStatus,
    position: fromSqlitePosition(row.position),
    createdAt: row.created_at,
    createdBy: row.created_by,
    pii: Number(row.pii) === 1,
    deliveredCount: Number(row.delivered_count),
    consecutiveFailures: Number(row.consecutive_failures),
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    pausedAt: row.paused_at,
  };
}
