import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EventStore, StoredEvent } from '@pipeline-ledger/event-store';
import { Projection } from '../projection';
import { ProjectionState, ReadModelStore } from '../read-model-store.port';
import { ProjectionFailedError, Track, TrackBuffer, applyAndWrite } from './track-batch';
import { yieldToEventLoop } from '../yield-to-event-loop';

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface ProjectorOptions {
  /** Most events applied in one transaction while following live. Default 1000. */
  liveBatchSize?: number;
  /** How long a live event may wait for others to share its batch (ms). Default 50: well inside the freshness aim (200 ms p99), and batches big enough that following the store costs the write side little. */
  maxDelayMs?: number;
  /**
   * Largest batch while catching up (after a restart, or a new read-model file): full batches double from
   * liveBatchSize up to this. Default 10,000.
   */
  catchUpBatchSize?: number;
  /** Events read from the store per page during a rebuild. Default 5000. */
  rebuildBatchSize?: number;
  /**
   * Changed entity documents and counters (all projections together) a rebuild holds in memory before it writes
   * them, one transaction per projection. Default 100,000: a lead's or an opportunity's events are mostly a few
   * thousand apart, so most documents and counters are written once or twice per rebuild rather than once per
   * event, and memory stays bounded.
   */
  rebuildFlushWrites?: number;
  /** Entity documents per projection a rebuild keeps in memory after a write (least recently used go). Default 10,000. */
  rebuildCacheDocuments?: number;
  /**
   * How long the projector's claim on the read-model store lasts unless renewed (it renews every third of it).
   * Default 15,000 ms: another projector (or a CLI rebuild) on the same store is refused meanwhile.
   */
  leaseTtlMs?: number;
  /** false: never follow the store live (a one-off rebuild from the CLI). Default true. */
  follow?: boolean;
  logger?: ProjectorLogger;
}

export interface RebuildProgress {
  projections: string[];
  /** Position reached, and the store's head when the rebuild started (for an ETA). */
  position: bigint | null;
  head: bigint | null;
  events: number;
}

export interface ProjectionReport extends ProjectionState {
  version: number;
  /** Events the active generation is behind the store (by position). */
  lag: string | null;
}

const SILENT: ProjectorLogger = { log: () => undefined, error: () => undefined };

/** Another projector writes the read-model store: two would overwrite each other's generations. */
export class ProjectorLeaseError extends Error {
  override readonly name = 'ProjectorLeaseError';
  constructor(
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(
      `the read models are being written by another projector (${holder}, its lease runs until ${expiresAt} unless renewed): ` +
        'run one projector per read-model store (an api with PROJECTOR=embedded, apps/projector, or a CLI rebuild)',
    );
  }
}

/** host/pid/nonce: a holder on this host whose process no longer exists is gone (it crashed), whatever its lease says. */
function leaseHolder(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

function holderIsGone(holder: string): boolean {
  const [host, pid] = holder.split('/');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Feeds projections from the event store. One subscription to the global stream serves every live projection;
 * each keeps its own generation and checkpoint (events at or before it are skipped for it), so they can be at
 * different places after a failure or a rebuild. Events are applied in batches; each projection's batch and its
 * new checkpoint are written in one transaction, so a crash at any moment loses nothing and counts nothing twice:
 * the next run starts from the checkpoints.
 *
 * A projection that throws stops alone: its failure (event id, error) is recorded, its checkpoint stays before the
 * event, and the others go on. A projection whose stored version differs from its code's, or that was never built
 * while the store has events, is rebuilt at start-up into a fresh generation (all such in one pass over the store),
 * while its old generation keeps answering queries; so is one rebuilt on request. A rebuild buffers its writes (see
 * TrackBuffer); following live writes each batch with its checkpoint.
 *
 * One runner writes a read-model store at a time: it holds the store's lease from start() or rebuild() to stop().
 */
export class ProjectorRunner {
  private readonly live = new Map<string, Track>();
  private readonly byName: Map<string, Projection>;
  private readonly logger: ProjectorLogger;
  private liveLoop: { abort: AbortController; done: Promise<void> } | null = null;
  private pending: StoredEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Rebuilds in progress by their projections, with whoever wants their progress (a second request joins the first). */
  private readonly rebuilds = new Map<string, { job: Promise<void>; listeners: Set<(progress: RebuildProgress) => void> }>();
  private stopped = false;
  private lease: { holder: string; renew: NodeJS.Timeout } | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadModelStore,
    readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.byName = new Map(projections.map((p) => [p.name, p]));
    if (this.byName.size !== projections.length) throw new Error('projection names must be unique');
    this.logger = options.logger ?? SILENT;
  }

  /** Prepares every projection, starts following the store, and starts the rebuilds that versions call for. */
  async start(): Promise<void> {
    await this.claimLease();
    const head = await this.events.headPosition();
    const toRebuild: Projection[] = [];
    for (const projection of this.projections) {
      const state = await this.store.prepare(definition(projection));
      if (state.status === 'failed') await this.store.setFailure(projection.name, null); // try again after a restart
      // Never built (a new projection, or a new read-model file) beside a store with events: the rebuild's buffered
      // path builds it about twice as fast as live batches (1M events: 70 s instead of 150 s).
      const neverBuilt = state.active.checkpoint === null && head !== null;
      if (state.active.version === projection.version && !neverBuilt) {
        this.live.set(projection.name, { projection, generation: state.active.generation, checkpoint: state.active.checkpoint });
      } else {
        const why = neverBuilt && state.active.version === projection.version ? 'not built yet' : `stored version ${state.active.version}, code version ${projection.version}`;
        this.logger.log(`projection ${projection.name}: ${why}: rebuilding`);
        toRebuild.push(projection);
      }
    }
    this.startLive();
    // One rebuild for all of them: one read of the store, and a projection that fails there stops alone. Meanwhile
    // their active generations keep answering (empty, for one never built, with its lag saying so).
    if (toRebuild.length) {
      this.startRebuild(toRebuild).catch(async (error: unknown) => {
        for (const projection of toRebuild) await this.rebuildFailed(projection, error);
      });
    }
  }

  /** Stops following the store; waits for the batch in hand to be written. Rebuilds in progress are abandoned. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopLive();
    await Promise.allSettled([...this.rebuilds.values()].map((r) => r.job));
    const lease = this.lease;
    this.lease = null;
    if (lease) {
      clearInterval(lease.renew);
      await this.store.releaseLease(lease.holder).catch(() => undefined);
    }
  }

  /**
   * Rebuilds projections (all when none is named) from position 0 into fresh generations, then swaps them in.
   * Queries keep reading the old generations meanwhile. Resolves when they are live again.
   */
  async rebuild(names?: readonly string[], onProgress?: (progress: RebuildProgress) => void): Promise<void> {
    const projections = names?.length ? names.map((n) => this.projection(n)) : [...this.projections];
    await this.claimLease(); // held already when started; a one-off rebuild (the CLI) claims it here
    return this.startRebuild(projections, onProgress);
  }

  /** Where every projection is: generation, version, checkpoint, status, failure, lag behind the store. */
  async status(): Promise<ProjectionReport[]> {
    const head = await this.events.headPosition();
    const result: ProjectionReport[] = [];
    for (const projection of this.projections) {
      const state = await this.store.state(projection.name);
      if (!state) continue;
      const checkpoint = state.active.checkpoint;
      const lag = head === null ? null : (head - (checkpoint ?? 0n)).toString();
      result.push({ ...state, version: projection.version, lag });
    }
    return result;
  }

  projection(name: string): Projection {
    const projection = this.byName.get(name);
    if (!projection) throw new Error(`unknown projection ${name}; known: ${[...this.byName.keys()].join(', ')}`);
    return projection;
  }

  // ---------------------------------------------------------------- lease

  /**
   * One projector per read-model store: claims the store's lease (or throws ProjectorLeaseError naming its holder)
   * and renews it until stop(). Losing it (the store was unreachable past the lease, and another took over) stops
   * this projector.
   */
  private async claimLease(): Promise<void> {
    if (this.lease) return;
    const ttlMs = this.options.leaseTtlMs ?? 15_000;
    const holder = leaseHolder();
    const claim = await this.store.claimLease({ holder, ttlMs, isGone: holderIsGone });
    if (!claim.granted) throw new ProjectorLeaseError(claim.holder, claim.expiresAt);
    const renew = setInterval(() => {
      this.store.claimLease({ holder, ttlMs }).then(
        (again) => {
          if (again.granted || this.lease?.holder !== holder) return;
          this.logger.error(`projector lost its lease to ${again.holder}: stopping`);
          void this.stop();
        },
        (error: unknown) => this.logger.error(`projector could not renew its lease: ${(error as Error).message}`),
      );
    }, Math.max(1, Math.floor(ttlMs / 3)));
    renew.unref();
    this.lease = { holder, renew };
  }

  // ---------------------------------------------------------------- live

  private startLive(): void {
    if (this.stopped || this.live.size === 0 || this.options.follow === false) return;
    const abort = new AbortController();
    const after = minCheckpoint([...this.live.values()]);
    const done = (async () => {
      try {
        const liveBatchSize = this.options.liveBatchSize ?? 1000;
        // A batch that fills up means the projector is behind (after a restart, say): batches double, up to
        // catchUpBatchSize, so that catching up pays for fewer transactions; a timed flush means it is live again.
        let batchLimit = liveBatchSize;
        for await (const event of this.events.subscribeToAll({ after, signal: abort.signal })) {
          await this.flushing; // a timed flush may be writing
          this.pending.push(event);
          if (this.pending.length >= batchLimit) {
            await this.flush();
            batchLimit = Math.max(liveBatchSize, Math.min(batchLimit * 2, this.options.catchUpBatchSize ?? 10_000));
            await yieldToEventLoop(); // catching up: pages are read and written synchronously, let requests in
          } else {
            this.flushTimer ??= setTimeout(() => {
              batchLimit = liveBatchSize;
              void this.flush();
            }, this.options.maxDelayMs ?? 50);
          }
        }
      } catch (error) {
        if (!abort.signal.aborted) this.logger.error(`projector stopped reading the store: ${(error as Error).message}`);
      }
      await this.flush();
    })();
    this.liveLoop = { abort, done };
  }

  private async stopLive(): Promise<void> {
    const loop = this.liveLoop;
    this.liveLoop = null;
    if (!loop) return;
    loop.abort.abort();
    await loop.done;
  }

  /** Applies the pending events to every live projection; one transaction per projection. */
  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const events = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.applyToTracks([...this.live.values()], events));
    return this.flushing;
  }

  private async applyToTracks(tracks: Track[], events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const track of tracks) {
      try {
        await applyAndWrite(track, events, this.store);
      } catch (error) {
        await this.fail(track, error);
      }
      if (events.length >= 1000) await yieldToEventLoop(); // a catch-up batch: let requests in between projections
    }
  }

  private async fail(track: Track, error: unknown): Promise<void> {
    const name = track.projection.name;
    this.live.delete(name);
    const failure =
      error instanceof ProjectionFailedError
        ? { eventId: error.event.eventId, position: error.event.position.toString(), message: String((error.cause as Error)?.message ?? error.cause), at: new Date().toISOString() }
        : { eventId: '', position: '', message: (error as Error)?.message ?? String(error), at: new Date().toISOString() };
    this.logger.error(`projection ${name} stopped at checkpoint ${track.checkpoint ?? 'start'}: ${(error as Error).message}`);
    await this.store.setFailure(name, failure).catch(() => undefined);
  }

  // ---------------------------------------------------------------- rebuild

  private async rebuildFailed(projection: Projection, error: unknown): Promise<void> {
    await this.fail({ projection, generation: 0, checkpoint: null }, error);
  }

  private startRebuild(projections: readonly Projection[], onProgress?: (progress: RebuildProgress) => void): Promise<void> {
    const key = projections.map((p) => p.name).sort().join(',');
    const running = this.rebuilds.get(key);
    if (running) {
      if (onProgress) running.listeners.add(onProgress);
      return running.job;
    }
    const listeners = new Set(onProgress ? [onProgress] : []);
    const job = this.runRebuild(projections, (progress) => listeners.forEach((listener) => listener(progress))).finally(() => this.rebuilds.delete(key));
    this.rebuilds.set(key, { job, listeners });
    return job;
  }

  private async runRebuild(projections: readonly Projection[], onProgress?: (progress: RebuildProgress) => void): Promise<void> {
    const tracks: Track[] = [];
    for (const projection of projections) {
      await this.store.prepare(definition(projection));
      const generation = await this.store.beginRebuild(definition(projection));
      tracks.push({ projection, generation: generation.generation, checkpoint: null });
    }
    const names = projections.map((p) => p.name);
    const head = await this.events.headPosition();
    const pageSize = this.options.rebuildBatchSize ?? 5000;
    const flushWrites = this.options.rebuildFlushWrites ?? 100_000;
    const buffers = tracks.map(
      (track) => new TrackBuffer(track, this.store, { startsEmpty: true, cacheDocuments: this.options.rebuildCacheDocuments ?? 10_000 }),
    );
    let after: bigint | null = null;
    let count = 0;
    for (;;) {
      if (this.stopped) return;
      const page = await this.events.readAll({ after, maxCount: pageSize });
      if (page.length > 0) {
        for (const buffer of [...buffers]) {
          try {
            await buffer.apply(page);
          } catch (error) {
            // It stops alone: its failure is recorded, the others go on and are swapped in.
            buffers.splice(buffers.indexOf(buffer), 1);
            await this.fail(buffer.track, error);
          }
          await yieldToEventLoop();
        }
        after = page[page.length - 1].position;
        count += page.length;
        if (buffers.reduce((sum, buffer) => sum + buffer.pendingWrites, 0) >= flushWrites) await flushAll(buffers);
        onProgress?.({ projections: names, position: after, head, events: count });
      }
      if (page.length < pageSize) break; // caught up with the store as it was a moment ago
    }
    await flushAll(buffers);
    // Swap in what did not fail: stop the live loop, activate, and follow live from the rebuilt checkpoints.
    await this.stopLive();
    for (const { track } of buffers) {
      await this.store.activate(track.projection.name, track.generation);
      await this.store.setFailure(track.projection.name, null);
      this.live.set(track.projection.name, track);
    }
    if (buffers.length) this.logger.log(`rebuilt ${buffers.map((b) => b.track.projection.name).join(', ')} over ${count} events`);
    this.startLive();
  }
}

async function flushAll(buffers: readonly TrackBuffer[]): Promise<void> {
  for (const buffer of buffers) {
    await buffer.flush();
    await yieldToEventLoop();
  }
}

function definition(projection: Projection) {
  return { name: projection.name, version: projection.version, collections: projection.collections };
}

/** Where the shared subscription starts: the checkpoint of the projection that is furthest behind. */
function minCheckpoint(tracks: readonly Track[]): bigint | null {
  let min: bigint | undefined;
  for (const { checkpoint } of tracks) {
    if (checkpoint === null) return null;
    if (min === undefined || checkpoint < min) min = checkpoint;
  }
  return min ?? null;
}
