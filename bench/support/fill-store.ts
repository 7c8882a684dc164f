/**
 * Writes generated appends into an EventStore with many appends in flight, so that the SQLite store's group commit
 * puts a few hundred appends into each transaction (one fsync each).
 *
 * Appends are taken from the iterable in order and handed to the store in that order (appendToStream queues
 * synchronously), so appends to the same stream reach the store in timeline order even when several are in flight
 * at once; each one names the revision it expects, and any refusal (wrong expected revision, id conflict) stops the
 * fill with that error: for generated data it is a generator bug.
 */
import { performance } from 'node:perf_hooks';
import type { EventStore } from '@pipeline-ledger/event-store';
import type { GeneratedAppend } from '../../apps/cli/src/demo/event-generator';

export interface FillProgress {
  appends: number;
  events: number;
  elapsedMs: number;
  /** Events per second since the start. */
  eventsPerSecond: number;
}

export interface FillOptions {
  /** Appends in flight. Default 256. */
  concurrency?: number;
  onProgress?: (progress: FillProgress) => void;
  /** How often onProgress is called, in events. Default 50,000. */
  progressEvery?: number;
}

export interface FillResult extends FillProgress {
  eventsByType: Record<string, number>;
  /** From the store's stats(), when it has one (SqliteEventStore): transactions committed, and appends per commit. */
  commits: number | null;
  appendsPerCommit: number | null;
}

interface WithStats {
  stats(): { commits: number; appends: number };
}

export async function fillStore(store: EventStore, appends: Iterable<GeneratedAppend>, options: FillOptions = {}): Promise<FillResult> {
  const concurrency = options.concurrency ?? 256;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const progressEvery = options.progressEvery ?? 50_000;
  const statsOf = (store as Partial<WithStats>).stats?.bind(store);
  const statsBefore = statsOf?.();

  const iterator = appends[Symbol.iterator]();
  const eventsByType: Record<string, number> = {};
  let appended = 0;
  let events = 0;
  let nextProgress = progressEvery;
  let exhausted = false;
  let failure: { error: unknown } | null = null;
  const started = performance.now();
  const progress = (): FillProgress => {
    const elapsedMs = performance.now() - started;
    return { appends: appended, events, elapsedMs, eventsPerSecond: events / (elapsedMs / 1000) };
  };

  const worker = async (): Promise<void> => {
    while (!exhausted && !failure) {
      let next: IteratorResult<GeneratedAppend>;
      try {
        next = iterator.next();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (next.done) {
        exhausted = true;
        return;
      }
      const { streamId, expectedRevision, events: batch } = next.value;
      try {
        const result = await store.appendToStream(streamId, batch, { expectedRevision });
        const expectedNext = (typeof expectedRevision === 'number' ? expectedRevision : -1) + batch.length;
        if (!result.written || result.nextExpectedRevision !== expectedNext) {
          throw new Error(
            `append to ${streamId} expecting revision ${String(expectedRevision)} came back written=${result.written}, ` +
              `nextExpectedRevision=${result.nextExpectedRevision} (wanted ${expectedNext})`,
          );
        }
      } catch (error) {
        failure ??= { error: Object.assign(error as object, { append: { streamId, expectedRevision, types: batch.map((e) => e.type) } }) };
        return;
      }
      appended += 1;
      events += batch.length;
      for (const event of batch) eventsByType[event.type] = (eventsByType[event.type] ?? 0) + 1;
      if (options.onProgress && events >= nextProgress) {
        nextProgress += progressEvery;
        options.onProgress(progress());
      }
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) throw (failure as { error: unknown }).error;

  const done = progress();
  const statsAfter = statsOf?.();
  const commits = statsBefore && statsAfter ? statsAfter.commits - statsBefore.commits : null;
  const storeAppends = statsBefore && statsAfter ? statsAfter.appends - statsBefore.appends : null;
  return {
    ...done,
    eventsByType,
    commits,
    appendsPerCommit: commits && storeAppends !== null ? storeAppends / commits : null,
  };
}
