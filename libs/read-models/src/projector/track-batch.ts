import { upcast } from '@pipeline-ledger/contracts';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { Projection } from '../projection';
import { CounterIncrement, ReadModelBatch, ReadModelDocument, ReadModelStore } from '../read-model-store.port';

/** A projection the runner feeds: which generation it writes and how far that generation has got. */
export interface Track {
  projection: Projection;
  generation: number;
  checkpoint: bigint | null;
}

/** The event a projection could not apply: the batch is dropped and the checkpoint stays where it was. */
export class ProjectionFailedError extends Error {
  override readonly name = 'ProjectionFailedError';
  constructor(
    readonly projection: string,
    readonly event: StoredEvent,
    override readonly cause: unknown,
  ) {
    super(`projection ${projection} failed on event ${event.eventId} (${event.type} at position ${event.position}): ${(cause as Error)?.message ?? String(cause)}`);
  }
}

export interface TrackBufferOptions {
  /**
   * The generation held no documents when the buffer was made (a rebuild from position 0): an entity the buffer has
   * never seen is known to be absent, so nothing is read from the store until documents have been evicted.
   */
  startsEmpty?: boolean;
  /** Clean entity documents kept in memory after a flush, most recently used first. Default 0 (keep none). */
  cacheDocuments?: number;
}

/**
 * What the events applied since the last flush did to one projection, held in memory until flush() writes it as one
 * ReadModelBatch: entity documents loaded once, events applied in order (each seeing the previous one's document),
 * a document written once however often the events changed it, and increments to the same counter added up before
 * they reach the store. Events at or before the track's checkpoint are skipped: they are in the read model already.
 *
 * Following the store live, the runner flushes after every batch and keeps nothing (cacheDocuments 0): each batch
 * is one transaction with its checkpoint. A rebuild applies many pages before it flushes and keeps the documents it
 * touched most recently, so that a lead's next event (usually days later, a few thousand events on) finds its
 * document in memory rather than in the store: most documents are written once or twice instead of once per event,
 * and read never. Memory stays bounded by cacheDocuments plus what one flush interval touches.
 */
export class TrackBuffer {
  /** Entity documents by id; null: known not to exist. Map order is least recently used first. */
  private readonly documents = new Map<string, ReadModelDocument | null>();
  private readonly dirty = new Set<string>();
  private readonly counters = new Map<string, CounterIncrement>();
  /** Position of the last event applied (or skipped as irrelevant) since the last flush. */
  private position: bigint | null = null;
  /** Whether an id missing from `documents` may still exist in the store. */
  private mayMiss: boolean;
  private readonly types: ReadonlySet<string>;
  private readonly cacheDocuments: number;

  constructor(
    readonly track: Track,
    private readonly store: ReadModelStore,
    options: TrackBufferOptions = {},
  ) {
    this.types = new Set(track.projection.eventTypes);
    this.mayMiss = !options.startsEmpty;
    this.cacheDocuments = options.cacheDocuments ?? 0;
  }

  /** Entity documents changed, and counters added to, since the last flush: what the next flush writes. */
  get pendingWrites(): number {
    return this.dirty.size + this.counters.size;
  }

  /**
   * Applies events in order; throws ProjectionFailedError on the first one the projection cannot apply. Projections see
   * every event upcast to its type's current schema version (libs/contracts); one that cannot be (a version newer than
   * this code) fails the projection on that event, like an event it cannot apply.
   */
  async apply(events: readonly StoredEvent[]): Promise<void> {
    const { projection, checkpoint } = this.track;
    const last = events.at(-1);
    if (!last || (checkpoint !== null && last.position <= checkpoint)) return;
    const relevant: StoredEvent[] = [];
    for (const event of events) {
      if (!this.types.has(event.type) || (checkpoint !== null && event.position <= checkpoint)) continue;
      try {
        relevant.push(upcast(event));
      } catch (error) {
        throw new ProjectionFailedError(projection.name, event, error);
      }
    }
    const ids = relevant.map((e) => projection.entityId(e));
    await this.load(ids);

    for (let i = 0; i < relevant.length; i++) {
      const event = relevant[i];
      const id = ids[i];
      let current: ReadModelDocument | null = null;
      if (id !== null) {
        current = this.documents.get(id) ?? null;
        this.documents.delete(id); // re-inserted below: most recently used
        this.documents.set(id, current);
      }
      let result;
      try {
        result = projection.apply(event, current);
      } catch (error) {
        throw new ProjectionFailedError(projection.name, event, error);
      }
      if (id !== null && result.document !== undefined) {
        this.documents.set(id, result.document);
        this.dirty.add(id);
      }
      if (result.increments) for (const increment of result.increments) addIncrement(this.counters, increment);
    }
    // The checkpoint moves to the last event even when none of them concerned this projection.
    this.position = last.position;
  }

  /**
   * Writes everything applied since the last flush, with the position of the last event as the new checkpoint, in
   * one transaction; then forgets the least recently used documents beyond cacheDocuments. Nothing to write: no-op.
   */
  async flush(): Promise<ReadModelBatch | null> {
    if (this.position === null) return null;
    const collection = this.track.projection.entityCollection;
    const upserts: ReadModelBatch['upserts'][number][] = [];
    const deletes: ReadModelBatch['deletes'][number][] = [];
    for (const id of this.dirty) {
      const document = this.documents.get(id);
      if (document) upserts.push({ collection, document });
      else deletes.push({ collection, id });
    }
    const batch: ReadModelBatch = {
      projection: this.track.projection.name,
      generation: this.track.generation,
      upserts,
      deletes,
      increments: [...this.counters.values()],
      checkpoint: this.position,
    };
    await this.store.writeBatch(batch);
    this.track.checkpoint = this.position;
    this.position = null;
    this.dirty.clear();
    this.counters.clear();
    this.evict();
    return batch;
  }

  private evict(): void {
    let excess = this.documents.size - this.cacheDocuments;
    if (excess <= 0) return;
    this.mayMiss = true;
    for (const id of this.documents.keys()) {
      if (excess-- <= 0) break;
      this.documents.delete(id);
    }
  }

  /** Reads from the store, in one call, the documents of these ids that are not in memory. */
  private async load(ids: ReadonlyArray<string | null>): Promise<void> {
    const missing = new Set<string>();
    for (const id of ids) if (id !== null && !this.documents.has(id)) missing.add(id);
    if (missing.size === 0) return;
    const found = this.mayMiss
      ? await this.store.getDocuments(this.track.projection.name, this.track.generation, this.track.projection.entityCollection, [...missing])
      : new Map<string, ReadModelDocument>();
    for (const id of missing) this.documents.set(id, found.get(id) ?? null);
  }
}

/**
 * Applies one batch of events to one projection and writes it with its checkpoint in one transaction (what the
 * runner does for each live batch). Returns the batch written, or null when the events were all at or before the
 * checkpoint.
 */
export async function applyAndWrite(track: Track, events: readonly StoredEvent[], store: ReadModelStore): Promise<ReadModelBatch | null> {
  const buffer = new TrackBuffer(track, store);
  await buffer.apply(events);
  return buffer.flush();
}

function addIncrement(counters: Map<string, CounterIncrement>, increment: CounterIncrement): void {
  const key = increment.collection + '\u0000' + increment.id;
  const existing = counters.get(key);
  if (existing) {
    const add = existing.add as Record<string, number>;
    for (const field in increment.add) add[field] = (add[field] ?? 0) + increment.add[field];
    return;
  }
  const add: Record<string, number> = {};
  for (const field in increment.add) add[field] = increment.add[field];
  counters.set(key, { collection: increment.collection, id: increment.id, group: increment.group, add });
}
