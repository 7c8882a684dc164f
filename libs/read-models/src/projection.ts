import { StoredEvent } from '@pipeline-ledger/event-store';
import { CollectionDefinition, CounterIncrement, ReadModelDocument } from './read-model-store.port';

/** What one event does to a projection: its entity document's new state, and numbers to add to counters. */
export interface ProjectionResult<D extends ReadModelDocument> {
  /** undefined: the entity document is unchanged; null: delete it; a document: write it whole. */
  document?: D | null;
  increments?: readonly CounterIncrement[];
}

/**
 * A projection: pure functions from events to documents (no I/O, no clock), run by the ProjectorRunner.
 *
 * Each event concerns at most one *entity* document (a lead's row, an opportunity's row), which the runner loads
 * before calling apply. Aggregates are *counter* documents that apply adds to (CounterIncrement): moving an
 * opportunity from one stage to another is -1 on the old bucket and +1 on the new one, worked out from the entity
 * document, which remembers where the opportunity was counted.
 *
 * Changing what apply does, or the documents' shape, means bumping `version`: a start-up with a new version
 * rebuilds the projection from position 0.
 */
export interface Projection<D extends ReadModelDocument = ReadModelDocument> {
  readonly name: string;
  readonly version: number;
  /** Every collection it writes, entity and counters; names unique across projections. */
  readonly collections: readonly CollectionDefinition[];
  /** The event types it reads; the runner subscribes to these only. */
  readonly eventTypes: readonly string[];
  /** The collection of its entity documents. */
  readonly entityCollection: string;
  /** The entity document an event is about; null when the event concerns none. */
  entityId(event: StoredEvent): string | null;
  apply(event: StoredEvent, current: D | null): ProjectionResult<D>;
}
