import * as path from 'node:path';
import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { AuthConfig, readAuthConfig } from './auth-config';
import { ConfigError, configError } from './config-error';
import { DEFAULT_STAGE_CATALOGUE, StageCatalogue, StageDefinition } from '@pipeline-ledger/domain';
import { MasterKey } from '@pipeline-ledger/privacy';
import { eventStoreDbConnectionStringError } from '@pipeline-ledger/event-store';
import { mongoConnectionStringError } from '@pipeline-ledger/read-models';
import { z } from 'zod';

/**
 * Typed configuration, read once from the environment and validated at start-up.
 * Every setting has a working default (embedded stores under ./data); a wrong one stops the process with a message
 * that names it and says why.
 */
const milliseconds = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const perMinute = (what: string) =>
  z.coerce.number({ error: `must be a number of ${what} per minute` }).int('must be a whole number').min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000');

/**
 * Which proxies in front of the api to believe about the client's address (X-Forwarded-For), as Express's
 * `trust proxy`: off (the default: the address is the connection's), the number of proxies in front, or their
 * addresses and subnets (also loopback, linklocal, uniquelocal). "Trust every proxy" is refused: any client could
 * then choose its own address, and the per-address rate limits would mean nothing.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === '' || value === 'off' || value === 'false') return false;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 10) return hops;
      if (hops === 0) return false;
    } else if (value === 'true' || value === 'on' || value === '*') {
      ctx.addIssue({ code: 'custom', message: 'would trust every proxy, so any client could choose its address: give the number of proxies in front of the api (e.g. 1), or their addresses' });
      return z.NEVER;
    } else {
      const entries = value.split(',').map((entry) => entry.trim());
      const bad = entries.filter((entry) => !isProxyAddress(entry));
      if (bad.length === 0) return entries;
      ctx.addIssue({ code: 'custom', message: `${bad.map((b) => JSON.stringify(b)).join(', ')}: not an address, a subnet (address/bits), loopback, linklocal or uniquelocal` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: 'must be off, a number of proxies from 1 to 10, or a comma-separated list of proxy addresses or subnets' });
    return z.NEVER;
  });

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

const schema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number, 0 to 65535' }).int('must be a whole number').min(0, 'must be 0 to 65535').max(65535, 'must be 0 to 65535').default(3000),
  HOST: z.string().min(1, 'must not be empty').default('0.0.0.0'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  /** sqlite: the embedded default, <DATA_DIR>/events.sqlite; eventstoredb: EVENTSTORE_URL (and MongoDB, see MONGO_URL). */
  EVENT_STORE: z.enum(['sqlite', 'eventstoredb'], { error: 'must be sqlite or eventstoredb' }).default('sqlite'),
  /** sqlite: <DATA_DIR>/read-models.sqlite; mongodb: MONGO_URL, database MONGO_DB. */
  READ_MODEL_STORE: z.enum(['sqlite', 'mongodb'], { error: 'must be sqlite or mongodb' }).default('sqlite'),
  EVENTSTORE_URL: z
    .string()
    .trim()
    .regex(/^esdb(\+discover)?:\/\/[^\s/?#]+(\/?\?\S*)?$/, 'must be an EventStoreDB connection string: esdb://host:2113?tls=false (esdb+discover://... for a cluster)')
    .superRefine((url, ctx) => {
      const error = /^esdb(\+discover)?:\/\//.test(url) ? eventStoreDbConnectionStringError(url) : null;
      if (error) ctx.addIssue({ code: 'custom', message: error });
    })
    .optional(),
  /**
   * MongoDB: the read models (READ_MODEL_STORE=mongodb), and with EVENT_STORE=eventstoredb the personal-data keys and
   * the subscribers' checkpoints (EventStoreDB cannot delete a key for an erasure). A replica set: batches are transactions.
   */
  MONGO_URL: z
    .string()
    .trim()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a MongoDB connection string: mongodb://host:27017/?replicaSet=rs0 (or mongodb+srv://...)')
    .superRefine((url, ctx) => {
      const error = /^mongodb(\+srv)?:\/\/\S+$/.test(url) ? mongoConnectionStringError(url) : null;
      if (error) ctx.addIssue({ code: 'custom', message: error });
    })
    .optional(),
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name: letters, digits, _ and -, at most 63 characters')
    .default('pipeline_ledger'),
  /** embedded: the api runs the projector itself (development, single process); off: apps/projector runs it. */
  PROJECTOR: z.enum(['embedded', 'off'], { error: 'must be embedded or off' }).default('embedded'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose'], { error: 'must be one of error, warn, log, debug, verbose' }).default('log'),
  /** A JSON file with the opportunity stage catalogue (an array of stages); default: the standard ten stages. */
  STAGES_FILE: z.string().min(1, 'must not be empty').optional(),
  /** How often the conversion completer saves how far it has read (ms). */
  CHECKPOINT_INTERVAL_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(10, 'must be at least 10').max(60_000, 'must be at most 60000').default(1000),
  /** GET /events: a heartbeat comment after this long without an event (ms). */
  FEED_HEARTBEAT_MS: milliseconds(100, 300_000).default(15_000),
  /** GET /events: how long a disconnected EventSource waits before reconnecting (the SSE retry field, ms). */
  FEED_RETRY_MS: milliseconds(10, 300_000).default(2000),
  /** GET /events: at most this many feeds open at once; more get 503 with Retry-After. */
  FEED_MAX_CLIENTS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(200),
  /** on: this process delivers webhooks; off on every other replica, so that only one delivers. */
  WEBHOOKS: z.enum(['on', 'off'], { error: 'must be on or off (only one replica should deliver webhooks)' }).default('on'),
  /** How long a webhook delivery may take before it counts as failed (ms). */
  WEBHOOK_TIMEOUT_MS: milliseconds(100, 600_000).default(10_000),
  /** The first retry's delay (ms); each further one doubles it, with jitter, up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_BASE_MS: milliseconds(1, 3_600_000).default(1000),
  WEBHOOK_RETRY_MAX_MS: milliseconds(1, 86_400_000).default(300_000),
  /** Consecutive failed attempts after which a subscription is paused until resumed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a number of attempts' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(10),
  /** How often the deliverer re-reads the subscriptions, for those created, resumed or deleted through another replica (ms). */
  WEBHOOK_REFRESH_MS: milliseconds(100, 3_600_000).default(5000),
  /** POST /intake/leads: submissions per minute through one form key. */
  INTAKE_RATE_PER_KEY: perMinute('submissions').default(60),
  /** POST /intake/leads: submissions per minute from one client address (an IPv6 client: its /64). */
  INTAKE_RATE_PER_ADDRESS: perMinute('submissions').default(10),
  /** POST /intake/leads: refused form keys one client address may present per 15 minutes before it is refused (429) outright. */
  INTAKE_FAILED_KEYS_PER_ADDRESS: z.coerce
    .number({ error: 'must be a number of attempts' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .default(20),
  /** See trustProxy above. */
  TRUST_PROXY: trustProxy.default(false),
  /**
   * The master key that wraps every person's data key: 32 bytes in base64 (`openssl rand -base64 32`). Production sets
   * this (or MASTER_KEY_FILE) from a secret store; with neither, the embedded default makes <DATA_DIR>/master.key.
   */
  MASTER_KEY: z
    .string()
    .refine((v) => isMasterKey(v), 'must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)')
    .optional(),
  /** A file holding the master key (base64); it must exist. */
  MASTER_KEY_FILE: z.string().min(1, 'must not be empty').optional(),
  /** Where the wrapped data keys are kept: by default in the event store's SQLite file (one fsync per command), or a file of its own. */
  KEY_STORE_FILE: z.string().min(1, 'must not be empty').optional(),
  /** Browser origins allowed to call the API (comma-separated, e.g. https://crm.example.com); unset: CORS off. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        if (!isOrigin(origin)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(origin)} is not an origin: scheme://host[:port], no path (e.g. https://crm.example.com)` });
      }
    }),
})
  .refine((c) => !(c.MASTER_KEY && c.MASTER_KEY_FILE), { path: ['MASTER_KEY_FILE'], message: 'give MASTER_KEY or MASTER_KEY_FILE, not both' })
  .refine((c) => c.EVENT_STORE !== 'eventstoredb' || c.EVENTSTORE_URL, { path: ['EVENTSTORE_URL'], message: 'must be set when EVENT_STORE=eventstoredb' })
  .refine((c) => c.READ_MODEL_STORE !== 'mongodb' || c.MONGO_URL, { path: ['MONGO_URL'], message: 'must be set when READ_MODEL_STORE=mongodb' })
  .refine((c) => c.EVENT_STORE !== 'eventstoredb' || c.MONGO_URL, {
    path: ['MONGO_URL'],
    message: 'must be set when EVENT_STORE=eventstoredb: the personal-data keys and the subscribers\' checkpoints are kept in MongoDB (EventStoreDB cannot delete a key when a person is erased)',
  })
  .refine((c) => c.EVENT_STORE !== 'eventstoredb' || !c.KEY_STORE_FILE, { path: ['KEY_STORE_FILE'], message: 'applies to EVENT_STORE=sqlite only (with eventstoredb the keys are kept in MongoDB)' })
  .refine((c) => c.WEBHOOK_RETRY_MAX_MS >= c.WEBHOOK_RETRY_BASE_MS, { path: ['WEBHOOK_RETRY_MAX_MS'], message: 'must be at least WEBHOOK_RETRY_BASE_MS' });

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: 'sqlite' | 'eventstoredb';
  /** The SQLite event store's file; with any event store, the webhook subscriptions are kept in it too. */
  eventStoreFile: string;
  /** EVENTSTORE_URL, with EVENT_STORE=eventstoredb. */
  eventStoreUrl: string | null;
  readModelStore: 'sqlite' | 'mongodb';
  readModelFile: string;
  /** MONGO_URL and MONGO_DB, when MongoDB is used (READ_MODEL_STORE=mongodb or EVENT_STORE=eventstoredb). */
  mongo: { url: string; database: string } | null;
  projector: 'embedded' | 'off';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  checkpointIntervalMs: number;
  stageCatalogue: StageCatalogue;
  feed: FeedConfig;
  webhooks: WebhookConfig;
  auth: AuthConfig;
  /** Origins allowed by CORS; empty: CORS off (no Access-Control-* headers). */
  corsOrigins: readonly string[];
  intake: IntakeConfig;
  /** Express's `trust proxy`: false, a number of proxies, or their addresses (TRUST_PROXY). */
  trustProxy: TrustProxy;
  privacy: PrivacyConfig;
}

export type TrustProxy = false | number | string[];

export interface IntakeConfig {
  /** `<DATA_DIR>/intake.sqlite`: the web forms and the submissions seen. */
  file: string;
  perKeyPerMinute: number;
  perAddressPerMinute: number;
  /** Refused form keys one address may present per 15 minutes. */
  failedKeysPerAddress: number;
}

export interface PrivacyConfig {
  /** Where the master key comes from: the MASTER_KEY setting, a file that must exist, or the default file, made on first start. */
  masterKey: { from: 'setting'; base64: string } | { from: 'file'; file: string } | { from: 'default-file'; file: string };
  /** The data keys, wrapped (the DataKeyStore's SQLite file): the event store's file unless KEY_STORE_FILE says otherwise. */
  keyStoreFile: string;
}

export interface WebhookConfig {
  /** Does this process deliver webhooks (the api serves the subscriptions either way)? */
  deliver: boolean;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  refreshMs: number;
}

export interface FeedConfig {
  heartbeatMs: number;
  retryMs: number;
  maxClients: number;
}

export { ConfigError };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw configError(parsed.error.issues.map((i) => `${i.path.join('.')}=${shownValue(String(i.path[0]), env[String(i.path[0])])}: ${i.message}`));
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir,
    eventStore: c.EVENT_STORE,
    eventStoreFile: path.join(dataDir, 'events.sqlite'),
    eventStoreUrl: c.EVENT_STORE === 'eventstoredb' ? c.EVENTSTORE_URL! : null,
    readModelStore: c.READ_MODEL_STORE,
    readModelFile: path.join(dataDir, 'read-models.sqlite'),
    mongo: (c.READ_MODEL_STORE === 'mongodb' || c.EVENT_STORE === 'eventstoredb') && c.MONGO_URL ? { url: c.MONGO_URL, database: c.MONGO_DB } : null,
    projector: c.PROJECTOR,
    logLevel: c.LOG_LEVEL,
    checkpointIntervalMs: c.CHECKPOINT_INTERVAL_MS,
    stageCatalogue: c.STAGES_FILE ? loadStageCatalogue(c.STAGES_FILE) : DEFAULT_STAGE_CATALOGUE,
    feed: { heartbeatMs: c.FEED_HEARTBEAT_MS, retryMs: c.FEED_RETRY_MS, maxClients: c.FEED_MAX_CLIENTS },
    privacy: {
      masterKey: c.MASTER_KEY
        ? { from: 'setting', base64: c.MASTER_KEY }
        : c.MASTER_KEY_FILE
          ? { from: 'file', file: path.resolve(c.MASTER_KEY_FILE) }
          : { from: 'default-file', file: path.join(dataDir, 'master.key') },
      keyStoreFile: c.KEY_STORE_FILE ? path.resolve(c.KEY_STORE_FILE) : path.join(dataDir, 'events.sqlite'),
    },
    webhooks: {
      deliver: c.WEBHOOKS === 'on',
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: c.WEBHOOK_RETRY_MAX_MS,
      maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      refreshMs: c.WEBHOOK_REFRESH_MS,
    },
    auth: readAuthConfig(env, dataDir),
    corsOrigins: c.CORS_ORIGINS,
    intake: {
      file: path.join(dataDir, 'intake.sqlite'),
      perKeyPerMinute: c.INTAKE_RATE_PER_KEY,
      perAddressPerMinute: c.INTAKE_RATE_PER_ADDRESS,
      failedKeysPerAddress: c.INTAKE_FAILED_KEYS_PER_ADDRESS,
    },
    trustProxy: c.TRUST_PROXY,
  };
}

/**
 * A setting's value as an error message shows it: a secret not at all, a connection string without its password
 * (messages end up in logs).
 */
export function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'undefined';
  if (name === 'MASTER_KEY') return '(hidden)';
  if (name === 'EVENTSTORE_URL' || name === 'MONGO_URL') return JSON.stringify(withoutPassword(value));
  return JSON.stringify(value);
}

/** A connection string with the password of its user info (scheme://user:password@hosts) replaced by ***. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/\s]*):[^@/\s]*@/i, '$1:***@');
}

function isMasterKey(text: string): boolean {
  try {
    MasterKey.fromBase64(text);
    return true;
  } catch {
    return false;
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** Reads and checks a stage catalogue file; a bad one is a configuration error naming STAGES_FILE. */
function loadStageCatalogue(file: string): StageCatalogue {
  const fail = (reason: string) => configError([`STAGES_FILE=${JSON.stringify(file)}: ${reason}`]);
  let stages: unknown;
  try {
    stages = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw fail(`cannot be read as JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(stages) || stages.some((s) => typeof s !== 'object' || s === null)) {
    throw fail('must be a JSON array of stages: {"name", "probability", "forecastCategory", "isClosed", "isWon"}');
  }
  try {
    return new StageCatalogue(stages as StageDefinition[]);
  } catch (error) {
    throw fail((error as Error).message);
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');
