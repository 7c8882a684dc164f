/**
 * Demo data: fills an empty event store with a realistic, reproducible history (the event generator of this folder,
 * steered by a lead count), written under the same rules as the service, then builds the read models.
 *
 * The same rules as the service, that is as EventSourcedRepository writes:
 * - personal fields sealed under each person's data key before anything else (PersonalDataProtector of the
 *   configured store, openEventStores: master key, key store and event store as the api opens them);
 * - each stream hash-chained over what is stored (chainNewEvents from the stream's previous hash), so that
 *   `pipeline-ledger verify` passes and histories show every event as verified;
 * - appended through the PersonalDataEventStore with the revision each append expects.
 * The few people the simulation erases (POST /people/:id/erase in a real CRM) get the erasure events and also lose
 * their data keys afterwards, as PersonErasureService does: their fields read "[erased]".
 *
 * Appends are chained in timeline order (one stream's appends one after another, each from the previous hash) and
 * written a thousand at a time through the store's batch append (appendToStreams), a transaction each.
 */
import { PERSONAL_DATA_ERASURE_EVENTS } from '@pipeline-ledger/domain';
import { CHAIN_GENESIS, chainNewEvents } from '@pipeline-ledger/event-store';
import { keyIdsOf } from '@pipeline-ledger/privacy';
import { ALL_PROJECTIONS, ProjectorLeaseError, ProjectorRunner, RebuildProgress } from '@pipeline-ledger/read-models';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '../../../api/src/config/app-config';
import { EventStores, describeEventStore, openEventStores, openReadModelStore } from '../../../api/src/infrastructure/stores';
import { GeneratedAppend, GenerationSummary, createEventGenerator } from './event-generator';

/** `metadata.actor` of every seeded event: demo data says what it is in every history. */
export const SEED_ACTOR = 'seed';

export interface SeedOptions {
  /** Leads to create, exactly. */
  leads: number;
  /** PRNG seed: the same seed and window give the same records, events and ids. Default 42. */
  seed?: number;
  /** Length of the timeline in months. Default 18. */
  months?: number;
  /** First day of the timeline. Default: the first of the month `months` months ago (the last full months). */
  startDate?: Date;
  /** Appends written together (one batch append of the store). Default 1000. */
  batchSize?: number;
  /** Build the read models afterwards (the projections' catch-up). Default true. */
  readModels?: boolean;
  onProgress?: (progress: SeedProgress) => void;
  /** Warnings (a new master key made). */
  log?: (message: string) => void;
}

export type SeedProgress =
  | { phase: 'events'; leads: number; totalLeads: number; events: number; elapsedMs: number }
  | { phase: 'read-models'; events: number; totalEvents: number; elapsedMs: number };

export interface SeedResult {
  summary: GenerationSummary;
  events: number;
  appends: number;
  /** People whose data keys were deleted after their erasure events. */
  erased: number;
  /** Seconds writing the events (generation, sealing, chaining, durable appends). */
  writeSeconds: number;
  /** Seconds building the read models; null when they were not built (see readModelsSkipped). */
  readModelSeconds: number | null;
  readModelsSkipped: string | null;
  seconds: number;
}

/** The store already holds events: a demo mixed into real data could never be told apart from it. */
export class StoreNotEmptyError extends Error {
  override readonly name = 'StoreNotEmptyError';
  constructor(
    readonly where: string,
    readonly head: bigint,
  ) {
    super(
      `the event store ${where} is not empty (its last event is at position ${head}): seed only fills an empty store, ` +
        'since demo records mixed into real ones could never be told apart. Point DATA_DIR at an empty (or new) directory, ' +
        'e.g. DATA_DIR=./data-demo npm run seed -- --leads 10000, and start the service with the same DATA_DIR.',
    );
  }
}

export async function seedDemo(config: AppConfig, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const generator = createEventGenerator({ leads: options.leads, seed: options.seed ?? 42, months: options.months ?? 18, startDate: options.startDate, actor: SEED_ACTOR });
  const stores = openEventStores(config, log);
  let written: Written;
  let erased: number;
  let writeSeconds: number;
  let readModelSeconds: number | null = null;
  let readModelsSkipped: string | null = null;
  try {
    const head = await stores.events.headPosition();
    if (head !== null) throw new StoreNotEmptyError(describeEventStore(config), head);
    written = await writeAppends(stores, generator.appends, options.leads, options.batchSize ?? 1000, options.onProgress, started);
    erased = await eraseKeys(stores, written.erasures);
    writeSeconds = (performance.now() - started) / 1000;
    if (options.readModels !== false) {
      const began = performance.now();
      readModelsSkipped = await buildReadModels(config, stores, written.events, options.onProgress);
      if (readModelsSkipped === null) readModelSeconds = (performance.now() - began) / 1000;
    } else {
      readModelsSkipped = 'not asked for';
    }
  } finally {
    await stores.close();
  }
  return {
    summary: generator.summary(),
    events: written.events,
    appends: written.appends,
    erased,
    writeSeconds,
    readModelSeconds,
    readModelsSkipped,
    seconds: (performance.now() - started) / 1000,
  };
}

interface Erasure {
  streamId: string;
  subject: string;
  erasedAt: string;
}

interface Written {
  appends: number;
  events: number;
  erasures: Erasure[];
}

async function writeAppends(
  stores: EventStores,
  appends: Iterable<GeneratedAppend>,
  totalLeads: number,
  batchSize: number,
  onProgress: SeedOptions['onProgress'],
  started: number,
): Promise<Written> {
  /** The hash each stream's next event chains from. */
  const heads = new Map<string, string>();
  const erasures: Erasure[] = [];
  let appended = 0;
  let events = 0;
  let leads = 0;
  let batch: GeneratedAppend[] = [];

  // A batch of appends in timeline order, through the store's batch append (which keeps the order of a stream's
  // appends within a batch): sealed, then chained over what is stored, the repository's order.
  const flush = async () => {
    if (batch.length === 0) return;
    const sealed = await stores.protector.seal(batch.flatMap((a) => a.events));
    let next = 0;
    const chained = batch.map(({ streamId, expectedRevision, events: own }) => {
      const firstRevision = expectedRevision === 'no_stream' ? 0 : (expectedRevision as number) + 1;
      const chainedEvents = chainNewEvents(streamId, firstRevision, heads.get(streamId) ?? CHAIN_GENESIS, sealed.slice(next, (next += own.length)));
      heads.set(streamId, chainedEvents[chainedEvents.length - 1]!.metadata['hash'] as string);
      return { streamId, events: chainedEvents, expectedRevision, firstRevision };
    });
    const outcomes = await stores.events.appendToStreams(chained);
    outcomes.forEach((outcome, i) => {
      const { streamId, events: written, firstRevision } = chained[i]!;
      if (!outcome.ok) throw outcome.error;
      if (!outcome.result.written || outcome.result.nextExpectedRevision !== firstRevision + written.length - 1) {
        throw new Error(`append to ${streamId} at revision ${firstRevision} came back written=${outcome.result.written}, nextExpectedRevision=${outcome.result.nextExpectedRevision}`);
      }
      events += written.length;
    });
    appended += batch.length;
    leads += batch.reduce((n, a) => n + a.events.filter((e) => e.type === 'LeadCreated').length, 0);
    batch = [];
    onProgress?.({ phase: 'events', leads, totalLeads, events, elapsedMs: performance.now() - started });
  };

  for (const append of appends) {
    for (const event of append.events) {
      const field = PERSONAL_DATA_ERASURE_EVENTS[event.type];
      if (field) erasures.push({ streamId: append.streamId, subject: event.data[field] as string, erasedAt: event.metadata.occurredAt });
    }
    batch.push(append);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { appends: appended, events, erasures };
}

/** What PersonErasureService does after the erasure events: the data keys the erased records' events name are deleted. */
async function eraseKeys(stores: EventStores, erasures: readonly Erasure[]): Promise<number> {
  const people = new Set<string>();
  for (const { streamId, subject, erasedAt } of erasures) {
    await stores.protector.erase([subject], keyIdsOf(await stores.sealed.readStream(streamId)), erasedAt);
    people.add(subject);
  }
  return people.size;
}

/**
 * The projections' catch-up, as `pipeline-ledger rebuild` runs it: every projection from position 0 (the store was
 * empty, so there is nothing else to catch up from; stale read models of an earlier store are replaced). Returns
 * why it did not run, when another projector (a running api) holds the read models: that one follows the store.
 */
async function buildReadModels(config: AppConfig, stores: EventStores, totalEvents: number, onProgress: SeedOptions['onProgress']): Promise<string | null> {
  const store = openReadModelStore(config);
  const runner = new ProjectorRunner(stores.events, store, ALL_PROJECTIONS, { follow: false });
  const started = performance.now();
  try {
    await runner.rebuild(undefined, (p: RebuildProgress) => onProgress?.({ phase: 'read-models', events: p.events, totalEvents, elapsedMs: performance.now() - started }));
    return null;
  } catch (error) {
    if (!(error instanceof ProjectorLeaseError)) throw error;
    return `read models not built here: ${error.message}. That projector follows the store and will show the demo once it has caught up.`;
  } finally {
    await runner.stop();
    await store.close();
  }
}
