import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { DEFAULT_STAGE_CATALOGUE, StageCatalogue, StageDefinition } from '@pipeline-ledger/domain';
import { z } from 'zod';

/**
 * Typed configuration, read once from the environment and validated at start-up.
 * Every setting has a working default (embedded stores under ./data); a wrong one stops the process with a message
 * that names it and says why.
 */
const schema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number, 0 to 65535' }).int('must be a whole number').min(0, 'must be 0 to 65535').max(65535, 'must be 0 to 65535').default(3000),
  HOST: z.string().min(1, 'must not be empty').default('0.0.0.0'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  EVENT_STORE: z.enum(['sqlite'], { error: 'must be sqlite (eventstoredb comes with the production adapters)' }).default('sqlite'),
  READ_MODEL_STORE: z.enum(['sqlite'], { error: 'must be sqlite (mongodb comes with the production adapters)' }).default('sqlite'),
  /** embedded: the api runs the projector itself (development, single process); off: apps/projector runs it. */
  PROJECTOR: z.enum(['embedded', 'off'], { error: 'must be embedded or off' }).default('embedded'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose'], { error: 'must be one of error, warn, log, debug, verbose' }).default('log'),
  /** A JSON file with the opportunity stage catalogue (an array of stages); default: the standard ten stages. */
  STAGES_FILE: z.string().min(1, 'must not be empty').optional(),
  /** How often the conversion completer saves how far it has read (ms). */
  CHECKPOINT_INTERVAL_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(10, 'must be at least 10').max(60_000, 'must be at most 60000').default(1000),
  /** GET /events: a heartbeat comment after this long without an event (ms). */
  FEED_HEARTBEAT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(100, 'must be at least 100').max(300_000, 'must be at most 300000').default(15_000),
  /** GET /events: how long a disconnected EventSource waits before reconnecting (the SSE retry field, ms). */
  FEED_RETRY_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(10, 'must be at least 10').max(300_000, 'must be at most 300000').default(2000),
  /** GET /events: at most this many feeds open at once; more get 503 with Retry-After. */
  FEED_MAX_CLIENTS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(200),
});

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: 'sqlite';
  eventStoreFile: string;
  readModelStore: 'sqlite';
  readModelFile: string;
  projector: 'embedded' | 'off';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  checkpointIntervalMs: number;
  stageCatalogue: StageCatalogue;
  feedHeartbeatMs: number;
  feedRetryMs: number;
  feedMaxClients: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir,
    eventStore: c.EVENT_STORE,
    eventStoreFile: path.join(dataDir, 'events.sqlite'),
    readModelStore: c.READ_MODEL_STORE,
    readModelFile: path.join(dataDir, 'read-models.sqlite'),
    projector: c.PROJECTOR,
    logLevel: c.LOG_LEVEL,
    checkpointIntervalMs: c.CHECKPOINT_INTERVAL_MS,
    stageCatalogue: c.STAGES_FILE ? loadStageCatalogue(c.STAGES_FILE) : DEFAULT_STAGE_CATALOGUE,
    feedHeartbeatMs: c.FEED_HEARTBEAT_MS,
    feedRetryMs: c.FEED_RETRY_MS,
    feedMaxClients: c.FEED_MAX_CLIENTS,
  };
}

/** Reads and checks a stage catalogue file; a bad one is a configuration error naming STAGES_FILE. */
function loadStageCatalogue(file: string): StageCatalogue {
  const fail = (reason: string) => new ConfigError(`Invalid configuration:\n  STAGES_FILE=${JSON.stringify(file)}: ${reason}`);
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
