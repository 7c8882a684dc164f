import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { SqliteWebhookStore } from './sqlite.webhook-store';
import { describeWebhookStoreContract } from './webhook-store.contract';
import { NewWebhookSubscription } from './webhook-store.port';

describeWebhookStoreContract('SqliteWebhookStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-store-'));
  const file = join(dir, 'events.sqlite');
  return { open: () => new SqliteWebhookStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SqliteWebhookStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteWebhookStore;
  const subscription = (id: string, extra: Partial<NewWebhookSubscription> = {}): NewWebhookSubscription => ({
    id,
    url: `https://hooks.example.com/${id}`,
    filter: { eventTypes: ['LeadCreated'], streamPrefixes: ['lead-'] },
    secret: `secret-${id}`,
    position: null,
    createdAt: '2026-03-01T09:00:00.000Z',
    createdBy: 'key:0123456789abcdef',
    pii: false,
    ...extra,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-store-'));
    file = join(dir, 'events.sqlite');
    store = new SqliteWebhookStore(file);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the creator columns to a table made before them; its subscriptions get no personal fields', async () => {
    await store.close();
    rmSync(file, { force: true });
    const db = new Database(file);
    db.exec(`CREATE TABLE webhook_subscriptions (id TEXT PRIMARY KEY, url TEXT NOT NULL, filter TEXT NOT NULL, secret TEXT NOT NULL,
      status TEXT NOT NULL, position INTEGER, created_at TEXT NOT NULL, delivered_count INTEGER NOT NULL DEFAULT 0,
      consecutive_failures INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_attempt_at TEXT, next_attempt_at TEXT, paused_at TEXT)`);
    db.prepare(`INSERT INTO webhook_subscriptions (id, url, filter, secret, status, created_at) VALUES ('old', 'https://x.example/h', '{}', 's', 'active', 't')`).run();
    db.close();
    store = new SqliteWebhookStore(file);
    expect(await store.get('old')).toMatchObject({ id: 'old', createdBy: null, pii: false });
  });

  it('shares the events file with the event store, and keeps everything across reopening', async () => {
    const events = new SqliteEventStore({ filename: file });
    await store.create(subscription('a'));
    await store.acknowledge('a', 12n, 't1');
    await store.close();
    store = new SqliteWebhookStore(file);
    expect(await store.get('a')).toMatchObject({ position: 12n, deliveredCount: 1, secret: 'secret-a' });
    expect(await events.headPosition()).toBeNull();
    await events.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'webhook_subscriptions'").get()).toBeTruthy();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
