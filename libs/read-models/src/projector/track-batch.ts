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

/**
 * Applies one batch of events to one projection and turns it into one ReadModelBatch: entity documents loaded once
 * per batch, events applied in order (each seeing the previous one's document), a document written once however
 * often the batch changed it, and increments to the same counter added up before they reach the store.
 * Events at or before the track's checkpoint are skipped: they are in the read model already.
 */
export async function buildTrackBatch(track: Track, events: readonly StoredEvent[], store: ReadModelStore): Promise<ReadModelBatch | null> {
  const { projection } = track;
  const types = new Set(projection.eventTypes);
  const relevant = events.filter((e) => types.has(e.type) && (track.checkpoint === null || e.position > track.checkpoint));
  const last = events.at(-1);
  if (!last || (track.checkpoint !== null && last.position <= track.checkpoint)) return null;

  const ids = new Set<string>();
  for (const event of relevant) {
    const id = projection.entityId(event);
    if (id !== null) ids.add(id);
  }
  const documents: Map<string, ReadModelDocument | null> = await store.getDocuments(
    projection.name,
    track.generation,
    projection.entityCollection,
    [...ids],
  );

  const changed = new Set<string>();
  const counters = new Map<string, CounterIncrement>();
  for (const event of relevant) {
    const id = projection.entityId(event);
    let result;
    try {
      result = projection.apply(event, id === null ? null : (documents.get(id) ?? null));
    } catch (error) {
      throw new ProjectionFailedError(projection.name, event, error);
    }
    if (id !== null && result.document !== undefined) {
      documents.set(id, result.document);
      changed.add(id);
    }
    for (const increment of result.increments ?? []) addIncrement(counters, increment);
  }

  const upserts: ReadModelBatch['upserts'][number][] = [];
  const deletes: ReadModelBatch['deletes'][number][] = [];
  for (const id of changed) {
    const document = documents.get(id);
    if (document) upserts.push({ collection: projection.entityCollection, document });
    else deletes.push({ collection: projection.entityCollection, id });
  }
  // The checkpoint moves to the batch's last event even when none of them concerned this projection.
  return { projection: projection.name, generation: track.generation, upserts, deletes, increments: [...counters.values()], checkpoint: last.position };
}

function addIncrement(counters: Map<string, CounterIncrement>, increment: CounterIncrement): void {
  const key = `${increment.collection}\u0000${increment.id}`;
  const existing = counters.get(key);
  if (!existing) {
    counters.set(key, { ...increment, add: { ...increment.add } });
    return;
  }
  for (const [field, value] of Object.entries(increment.add)) existing.add[field] = (existing.add[field] ?? 0) + value;
}
