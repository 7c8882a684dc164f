import { mkdirSync } from 'node:fs';
import {
  CheckpointStore,
  EventStore,
  EventStoreDbEventStore,
  MongoCheckpointStore,
  SqliteCheckpointStore,
  SqliteEventStore,
} from '@pipeline-ledger/event-store';
import { DataKeyStore, DataKeyring, MasterKey, MongoDataKeyStore, PersonalDataEventStore, PersonalDataProtector, SqliteDataKeyStore } from '@pipeline-ledger/privacy';
import { MongoReadModelStore, ReadModelStore, SqliteReadModelStore } from '@pipeline-ledger/read-models';
import { MongoClient } from 'mongodb';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterMongo } from 'rate-limiter-flexible';
import { AppConfig, ConfigError, withoutPassword } from '../config/app-config';
import { ApiKeyStore } from '../auth/api-key-store.port';
import { MongoApiKeyStore } from '../auth/mongodb.api-key-store';
import { SqliteApiKeyStore } from '../auth/sqlite.api-key-store';
import { FormStore } from '../intake/form-store.port';
import { MongoFormStore } from '../intake/mongodb.form-store';
import { MongoSubmissionStore } from '../intake/mongodb.submission-store';
import { SqliteFormStore } from '../intake/sqlite.form-store';
import { SqliteSubmissionStore } from '../intake/sqlite.submission-store';
import { SubmissionStore } from '../intake/submission-store.port';
import { MongoWebhookStore } from '../webhooks/mongodb.webhook-store';
import { SqliteWebhookStore } from '../webhooks/sqlite.webhook-store';
import { WebhookStore } from '../webhooks/webhook-store.port';

/**
 * The one place that knows which stores are configured (EVENT_STORE, READ_MODEL_STORE): everything else sees the
 * ports. The api, the projector and the CLI open their stores here.
 * - EVENT_STORE=sqlite: events, personal-data keys and subscriber checkpoints in <DATA_DIR>/events.sqlite;
 * - EVENT_STORE=eventstoredb: events in EventStoreDB; keys and checkpoints in MongoDB (MONGO_URL, MONGO_DB);
 * - READ_MODEL_STORE=sqlite: <DATA_DIR>/read-models.sqlite; mongodb: MongoDB.
 * - the service's own records (web forms and intake submissions; API keys; webhook subscriptions) go with the event
 *   store too: SQLite files in DATA_DIR, or MongoDB beside EventStoreDB, where every api replica shares them.
 * The MongoDB-backed stores of a process share one client (one pool), made on the first and closed with the last;
 * it connects on first use.
 */

/** The event store as the service uses it, and what it is made of. */
export interface EventStores {
  /** Personal fields opened on read and sealed on append: what everything but the hash-chain check uses. */
  events: PersonalDataEventStore;
  /** The store as written (personal fields sealed): what the hash chains cover. */
  sealed: EventStore;
  keys: DataKeyStore;
  protector: PersonalDataProtector;
  close(): Promise<void>;
}

/** Opens the configured event store behind the personal-data layer (the api, the projector and the CLI alike). */
export function openEventStores(config: AppConfig, log: (message: string) => void = () => undefined): EventStores {
  mkdirSync(config.dataDir, { recursive: true });
  const master = masterKey(config, log);
  const sealed = openSealedEventStore(config, log);
  const keys = openDataKeyStore(config);
  const protector = new PersonalDataProtector(new DataKeyring(keys, master));
  const events = new PersonalDataEventStore(sealed, protector);
  return {
    events,
    sealed,
    keys,
    protector,
    close: async () => {
      await events.close();
      await keys.close();
    },
  };
}

/** The configured event store as written (personal fields sealed): for the hash-chain check, which needs no keys. */
export function openSealedEventStore(config: AppConfig, log: (message: string) => void = () => undefined): EventStore {
  if (config.eventStore === 'eventstoredb') {
    return connecting('EVENTSTORE_URL', config.eventStoreUrl!, (connectionString) =>
      new EventStoreDbEventStore({
        connectionString,
        onSubscriptionDropped: (error, attempt, delayMs) => log(`EventStoreDB subscription dropped (${error.message}); resubscribing in ${delayMs} ms (attempt ${attempt})`),
      }),
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore({ filename: config.eventStoreFile });
}

/** Where subscribers of the write side (the conversion completer) keep how far they have read: with the event store. */
export function openCheckpointStore(config: AppConfig): CheckpointStore {
  return withEventStore<CheckpointStore>(config, (options) => new MongoCheckpointStore(options), () => new SqliteCheckpointStore(config.eventStoreFile));
}

export function openReadModelStore(config: AppConfig): ReadModelStore {
  if (config.readModelStore === 'mongodb') return onSharedMongo(config, (options) => new MongoReadModelStore(options));
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadModelStore({ filename: config.readModelFile });
}

export function openApiKeyStore(config: AppConfig): ApiKeyStore {
  return withEventStore<ApiKeyStore>(config, (options) => new MongoApiKeyStore(options), () => new SqliteApiKeyStore(config.auth.accessFile));
}

/** Webhook subscriptions: with the SQLite event store, in its file. */
export function openWebhookStore(config: AppConfig): WebhookStore {
  return withEventStore<WebhookStore>(config, (options) => new MongoWebhookStore(options), () => new SqliteWebhookStore(config.eventStoreFile));
}

export function openFormStore(config: AppConfig): FormStore {
  return withEventStore<FormStore>(config, (options) => new MongoFormStore(options), () => new SqliteFormStore(config.intake.file));
}

export function openSubmissionStore(config: AppConfig): SubmissionStore {
  return withEventStore<SubmissionStore>(config, (options) => new MongoSubmissionStore(options), () => new SqliteSubmissionStore(config.intake.file));
}

/** The personal-data keys: with a SQLite event store, in its file (one fsync per command) or KEY_STORE_FILE; else MongoDB. */
function openDataKeyStore(config: AppConfig): DataKeyStore {
  return withEventStore<DataKeyStore>(
    config,
    (options) => new MongoDataKeyStore(options),
    // Sharing the event store's file (the default), a key's commit becomes durable with the event's own fsync.
    () => new SqliteDataKeyStore({ filename: config.privacy.keyStoreFile, ownFsync: config.privacy.keyStoreFile !== config.eventStoreFile }),
  );
}

/**
 * A store of what goes with the event store (keys, checkpoints, the service's records): in MongoDB beside
 * EventStoreDB, where every replica shares it; a SQLite file in DATA_DIR beside the embedded store.
 */
function withEventStore<T extends { close(): Promise<void> }>(config: AppConfig, mongo: (options: { url: string; database: string; client: MongoClient }) => T, sqlite: () => T): T {
  if (config.eventStore === 'eventstoredb') return onSharedMongo(config, mongo);
  mkdirSync(config.dataDir, { recursive: true });
  return sqlite();
}

/** Makes the rate limiters of one process, and lets go of what they share. */
export interface RateLimiters {
  limiter(options: { keyPrefix: string; points: number; duration: number }): RateLimiterAbstract;
  /** Makes what a shared limiter needs (MongoDB: its collection's indexes); a failure here is logged, not fatal. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Rate limits (rate-limiter-flexible) that every replica shares when the service's state is in MongoDB
 * (EVENT_STORE=eventstoredb): one `rate_limits` collection, its counters expiring by a TTL index, and this process's
 * memory as the insurance limiter should MongoDB fail (limits then hold per replica until it is back). With the
 * embedded stores, in this process's memory.
 */
export function openRateLimiters(config: AppConfig): RateLimiters {
  if (config.eventStore !== 'eventstoredb') {
    return { limiter: (options) => new RateLimiterMemory(options), start: async () => undefined, close: async () => undefined };
  }
  const { client, release } = acquireMongo(config);
  const shared: RateLimiterMongo[] = [];
  return {
    limiter: (options) => {
      const limiter = new RateLimiterMongo({
        ...options,
        storeClient: client,
        dbName: config.mongo!.database,
        tableName: RATE_LIMITS_COLLECTION,
        disableIndexesCreation: true, // made in start(): constructing a limiter must not connect
        insuranceLimiter: new RateLimiterMemory(options),
      });
      shared.push(limiter);
      return limiter;
    },
    start: async () => {
      await shared[0]?.createIndexes(); // one collection for every limiter: one set of indexes
    },
    close: release,
  };
}

export const RATE_LIMITS_COLLECTION = 'rate_limits';

/** The process's MongoDB clients, by connection string, and how many stores (or rate limiters) hold each. */
const mongoClients = new Map<string, { client: MongoClient; holders: number }>();

/** The shared client for MONGO_URL (made on first use), and how to let go of it: the last release closes it. */
function acquireMongo(config: AppConfig): { client: MongoClient; release: () => Promise<void> } {
  const url = config.mongo!.url;
  let entry = mongoClients.get(url);
  if (!entry) {
    entry = { client: connecting('MONGO_URL', url, (u) => new MongoClient(u)), holders: 0 };
    mongoClients.set(url, entry);
  }
  const held = entry;
  held.holders += 1;
  let released = false;
  return {
    client: held.client,
    release: async () => {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      mongoClients.delete(url);
      await held.client.close();
    },
  };
}

/** A MongoDB-backed store on the shared client; closing it closes the store, then lets go of the client. */
function onSharedMongo<T extends { close(): Promise<void> }>(config: AppConfig, open: (options: { url: string; database: string; client: MongoClient }) => T): T {
  const { client, release } = acquireMongo(config);
  let store: T;
  try {
    store = open({ url: config.mongo!.url, database: config.mongo!.database, client });
  } catch (error) {
    void release();
    throw error;
  }
  const closeStore = store.close.bind(store);
  store.close = async () => {
    try {
      await closeStore();
    } finally {
      await release();
    }
  };
  return store;
}

/** Makes a client of a connection string; one the client cannot parse stops start-up naming the setting. */
function connecting<T>(setting: string, url: string, open: (url: string) => T): T {
  try {
    return open(url);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${setting}=${JSON.stringify(withoutPassword(url))}: ${(error as Error).message}`);
  }
}

/** Where the event store is, for messages (no passwords). */
export function describeEventStore(config: AppConfig): string {
  return config.eventStore === 'eventstoredb' ? `EventStoreDB ${withoutPassword(config.eventStoreUrl!)}` : config.eventStoreFile;
}

/** Where the stores are, for the start-up log line (no passwords). */
export function describeStores(config: AppConfig): string {
  const events = describeEventStore(config);
  const readModels = config.readModelStore === 'mongodb' ? `MongoDB ${withoutPassword(config.mongo!.url)} database ${config.mongo!.database}` : config.readModelFile;
  return `events: ${events}; read models: ${readModels}`;
}

function masterKey(config: AppConfig, log: (message: string) => void): MasterKey {
  const source = config.privacy.masterKey;
  try {
    switch (source.from) {
      case 'setting':
        return MasterKey.fromBase64(source.base64);
      case 'file':
        return MasterKey.fromFile(source.file, { create: false });
      case 'default-file':
        return MasterKey.fromFile(source.file, {
          create: true,
          created: (file) => log(`made a new master key in ${file}: fine for trying things out; in production set MASTER_KEY or MASTER_KEY_FILE from your secret store`),
        });
    }
  } catch (error) {
    const setting = source.from === 'setting' ? 'MASTER_KEY' : source.from === 'file' ? `MASTER_KEY_FILE=${JSON.stringify(source.file)}` : `the master key file ${source.file}`;
    throw new ConfigError(`Invalid configuration:\n  ${setting}: ${(error as Error).message}`);
  }
}
