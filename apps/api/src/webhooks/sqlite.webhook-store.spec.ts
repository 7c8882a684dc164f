import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { SqliteWebhookStore } from './sqlite.webhook-store';
import { NewWebhookSubscription } from './webhook-store.port';

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

  it('creates an active subscription with nothing delivered, and reads it back as it was given', async () => {
    const created = await store.create(subscription('a', { position: 41n }));
    expect(created).toEqual({
      ...subscription('a', { position: 41n }),
      status: 'active',
      deliveredCount: 0,
      consecutiveFailures: 0,
      lastError: null,
      lastAttemptAt: null,
      nextAttemptAt: null,
      pausedAt: null,
    });
    expect(await store.get('a')).toEqual(created);
    expect(await store.get('nope')).toBeNull();
  });

  it('keeps whether the creator had the pii grant', async () => {
    await store.create(subscription('p', { pii: true, createdBy: 'user:ida' }));
    expect(await store.get('p')).toMatchObject({ pii: true, createdBy: 'user:ida' });
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

  it('keeps an empty filter (everything) and a position past 2^53 exactly', async () => {
    await store.create(subscription('big', { filter: {}, position: 9_007_199_254_740_993n }));
    expect(await store.get('big')).toMatchObject({ filter: {}, position: 9_007_199_254_740_993n });
  });

  it('keeps positions wider than 64 bits (an EventStoreDB commit/prepare pair) exactly, created and acknowledged', async () => {
    const pair = (commit: bigint, prepare: bigint) => (commit << 64n) | prepare;
    await store.create(subscription('esdb', { position: pair(5_000_000_000n, 5_000_000_100n) }));
    expect((await store.get('esdb'))?.position).toBe(pair(5_000_000_000n, 5_000_000_100n));
    await store.acknowledge('esdb', pair(5_000_000_200n, 5_000_000_250n), 't1');
    expect((await store.get('esdb'))?.position).toBe(pair(5_000_000_200n, 5_000_000_250n));
  });

  it('lists oldest first, and deletes', async () => {
    for (const id of ['c', 'a', 'b']) await store.create(subscription(id));
    expect((await store.list()).map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect((await store.list()).map((s) => s.id)).toEqual(['c', 'b']);
  });

  it('counts failures, pauses when told, and an acknowledgement clears the count but keeps the last error', async () => {
    await store.create(subscription('a'));
    expect(await store.recordFailure('a', { error: 'HTTP 500', at: 't1', nextAttemptAt: 't2', pause: false })).toBe(true);
    expect(await store.get('a')).toMatchObject({ status: 'active', consecutiveFailures: 1, lastError: 'HTTP 500', lastAttemptAt: 't1', nextAttemptAt: 't2', pausedAt: null });
    expect(await store.acknowledge('a', 7n, 't3')).toBe(true);
    expect(await store.get('a')).toMatchObject({ position: 7n, deliveredCount: 1, consecutiveFailures: 0, lastError: 'HTTP 500', lastAttemptAt: 't3', nextAttemptAt: null });

    await store.recordFailure('a', { error: 'HTTP 502', at: 't4', nextAttemptAt: 't5', pause: false });
    await store.recordFailure('a', { error: 'timed out', at: 't6', nextAttemptAt: null, pause: true });
    expect(await store.get('a')).toMatchObject({ status: 'paused', pausedAt: 't6', consecutiveFailures: 2, lastError: 'timed out', nextAttemptAt: null, position: 7n });
  });

  it('resumes a paused subscription from the same position with a fresh failure count; an active one is left alone', async () => {
    await store.create(subscription('a', { position: 3n }));
    await store.recordFailure('a', { error: 'HTTP 500', at: 't1', nextAttemptAt: null, pause: true });
    expect(await store.resume('a')).toMatchObject({ status: 'active', pausedAt: null, consecutiveFailures: 0, nextAttemptAt: null, position: 3n, lastError: 'HTTP 500' });
    await store.recordFailure('a', { error: 'HTTP 500', at: 't2', nextAttemptAt: 't3', pause: false });
    expect(await store.resume('a')).toMatchObject({ status: 'active', consecutiveFailures: 1, nextAttemptAt: 't3' });
    expect(await store.resume('nope')).toBeNull();
  });

  it('says when the subscription is gone', async () => {
    expect(await store.acknowledge('gone', 1n, 't')).toBe(false);
    expect(await store.recordFailure('gone', { error: 'x', at: 't', nextAttemptAt: null, pause: true })).toBe(false);
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
