import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore, MongoCheckpointStore, SqliteCheckpointStore, SqliteEventStore } from '@pipeline-ledger/event-store';
import { MongoDataKeyStore, SqliteDataKeyStore } from '@pipeline-ledger/privacy';
import { MongoReadModelStore, SqliteReadModelStore } from '@pipeline-ledger/read-models';
import { ConfigError, loadConfig } from '../config/app-config';
import { RateLimiterMemory, RateLimiterMongo } from 'rate-limiter-flexible';
import { MongoFormStore } from '../intake/mongodb.form-store';
import { MongoSubmissionStore } from '../intake/mongodb.submission-store';
import { SqliteFormStore } from '../intake/sqlite.form-store';
import { SqliteSubmissionStore } from '../intake/sqlite.submission-store';
import { MongoApiKeyStore } from '../auth/mongodb.api-key-store';
import { SqliteApiKeyStore } from '../auth/sqlite.api-key-store';
import { MongoWebhookStore } from '../webhooks/mongodb.webhook-store';
import { SqliteWebhookStore } from '../webhooks/sqlite.webhook-store';
import {
  describeStores,
  openApiKeyStore,
  openCheckpointStore,
  openEventStores,
  openFormStore,
  openRateLimiters,
  openReadModelStore,
  openSealedEventStore,
  openSubmissionStore,
  openWebhookStore,
} from './stores';

/**
 * Which adapter each configuration opens. The clients of EventStoreDB and MongoDB connect on first use, so opening
 * (and closing) them needs no server.
 */
describe('the configured stores', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'stores-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const production = (extra: Record<string, string> = {}) =>
    loadConfig({
      DATA_DIR: dir,
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: 'esdb://admin:changeit@localhost:2113?tls=false',
      READ_MODEL_STORE: 'mongodb',
      MONGO_URL: 'mongodb://app:secret@localhost:27017/?replicaSet=rs0',
      ...extra,
    });

  it('opens the embedded SQLite stores by default', async () => {
    const config = loadConfig({ DATA_DIR: dir, MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
    const stores = openEventStores(config);
    const checkpoints = openCheckpointStore(config);
    const readModels = openReadModelStore(config);
    const [forms, submissions, apiKeys, webhooks] = [openFormStore(config), openSubmissionStore(config), openApiKeyStore(config), openWebhookStore(config)];
    try {
      expect(apiKeys).toBeInstanceOf(SqliteApiKeyStore);
      expect(webhooks).toBeInstanceOf(SqliteWebhookStore);
      expect(stores.sealed).toBeInstanceOf(SqliteEventStore);
      expect(stores.keys).toBeInstanceOf(SqliteDataKeyStore);
      expect(checkpoints).toBeInstanceOf(SqliteCheckpointStore);
      expect(readModels).toBeInstanceOf(SqliteReadModelStore);
      expect(forms).toBeInstanceOf(SqliteFormStore);
      expect(submissions).toBeInstanceOf(SqliteSubmissionStore);
    } finally {
      await Promise.all([stores.close(), checkpoints.close(), readModels.close(), forms.close(), submissions.close(), apiKeys.close(), webhooks.close()]);
    }
  });

  it("opens EventStoreDB for the events and MongoDB for the keys, the checkpoints, the read models and the service's records", async () => {
    const config = production();
    const stores = openEventStores(config);
    const checkpoints = openCheckpointStore(config);
    const readModels = openReadModelStore(config);
    const [forms, submissions, apiKeys, webhooks] = [openFormStore(config), openSubmissionStore(config), openApiKeyStore(config), openWebhookStore(config)];
    try {
      expect(apiKeys).toBeInstanceOf(MongoApiKeyStore);
      expect(webhooks).toBeInstanceOf(MongoWebhookStore);
      expect(stores.sealed).toBeInstanceOf(EventStoreDbEventStore);
      expect(stores.keys).toBeInstanceOf(MongoDataKeyStore);
      expect(checkpoints).toBeInstanceOf(MongoCheckpointStore);
      expect(readModels).toBeInstanceOf(MongoReadModelStore);
      expect(forms).toBeInstanceOf(MongoFormStore);
      expect(submissions).toBeInstanceOf(MongoSubmissionStore);
    } finally {
      await Promise.all([stores.close(), checkpoints.close(), readModels.close(), forms.close(), submissions.close(), apiKeys.close(), webhooks.close()]);
    }
  });

  it('mixes them as configured: SQLite events with MongoDB read models', async () => {
    const config = production({ EVENT_STORE: 'sqlite' });
    const events = openSealedEventStore(config);
    const readModels = openReadModelStore(config);
    try {
      expect(events).toBeInstanceOf(SqliteEventStore);
      expect(readModels).toBeInstanceOf(MongoReadModelStore);
    } finally {
      await Promise.all([events.close(), readModels.close()]);
    }
  });

  it("stops with the setting's name should a client refuse a connection string the settings let through, hiding the password", () => {
    const base = production();
    const badEsdb = { ...base, eventStoreUrl: 'esdb://admin:changeit@localhost:2113?tls=maybe' };
    expect(() => openSealedEventStore(badEsdb)).toThrow(ConfigError);
    expect(() => openSealedEventStore(badEsdb)).toThrow(/EVENTSTORE_URL="esdb:\/\/admin:\*\*\*@localhost:2113\?tls=maybe": /);
    const badMongo = { ...base, mongo: { url: 'mongodb://app:secret@localhost:27017/?w=sometimes&journal=perhaps', database: 'x' } };
    expect(() => openReadModelStore(badMongo)).toThrow(/MONGO_URL="mongodb:\/\/app:\*\*\*@localhost:27017\/\?w=sometimes&journal=perhaps": /);
  });

  it('counts rate limits in memory with the embedded stores, and in MongoDB (memory as insurance) beside EventStoreDB', async () => {
    const embedded = openRateLimiters(loadConfig({ DATA_DIR: dir }));
    expect(embedded.limiter({ keyPrefix: 'k', points: 2, duration: 60 })).toBeInstanceOf(RateLimiterMemory);
    await embedded.close();

    const shared = openRateLimiters(production());
    const limiter = shared.limiter({ keyPrefix: 'k', points: 2, duration: 60 });
    expect(limiter).toBeInstanceOf(RateLimiterMongo);
    expect((limiter as unknown as { insuranceLimiter: unknown }).insuranceLimiter).toBeInstanceOf(RateLimiterMemory);
    await shared.close(); // nothing connected: constructing a limiter does not
  });

  it('opens the MongoDB-backed stores of a process on one shared client, closed with the last of them', async () => {
    const config = production();
    const clientOf = (store: unknown) => (store as { client: unknown }).client;
    const readModels = openReadModelStore(config);
    const checkpoints = openCheckpointStore(config);
    expect(clientOf(checkpoints)).toBe(clientOf(readModels));

    await readModels.close();
    const again = openReadModelStore(config);
    expect(clientOf(again)).toBe(clientOf(checkpoints)); // still held by the checkpoint store

    await Promise.all([checkpoints.close(), again.close()]);
    const fresh = openCheckpointStore(config);
    expect(clientOf(fresh)).not.toBe(clientOf(checkpoints)); // the last close let it go: a new one
    await fresh.close();
    await fresh.close(); // closing twice lets go once
  });

  it('describes where the stores are without passwords', () => {
    expect(describeStores(production())).toBe(
      'events: EventStoreDB esdb://admin:***@localhost:2113?tls=false; read models: MongoDB mongodb://app:***@localhost:27017/?replicaSet=rs0 database pipeline_ledger',
    );
  });
});
