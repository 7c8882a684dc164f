/**
 * The ReadModelStore port: where projections keep their documents and checkpoints, and where queries read them.
 * Adapters: sqlite.read-model-store.ts (embedded default, a file of its own) and mongodb.read-model-store.ts
 * (production: a replica set of MongoDB 5.0+, one collection per collection and generation). Every adapter must pass
 * read-model-store.contract.ts (the MongoDB one in mongodb.read-model-store.integration-spec.ts, when MONGO_URL is set).
 *
 * Vocabulary
 * - A projection owns collections of documents. Its *entity* documents (one per lead, per opportunity) are
 *   replaced whole; its *counter* documents (one per group of an aggregate: stage x currency x owner x day, ...)
 *   hold numbers that batches add to, so an analytics query reads a number of groups that does not grow with the
 *   number of leads.
 * - A projection's documents live in a *generation*. Queries read the active generation. A rebuild fills a new
 *   generation from position 0 while the active one keeps answering, then activates it (and the old one is dropped)
 *   in one step.
 * - Each generation has its checkpoint: the global position of the last event it includes. It is written in the
 *   same transaction as the documents of the batch that reached it, so a crash never double-counts nor skips.
 */

export interface ReadModelDocument {
  id: string;
  [field: string]: unknown;
}

export interface CollectionDefinition {
  /** Logical name, unique across projections, e.g. "pipeline_buckets". Lowercase letters, digits, underscores. */
  name: string;
  /**
   * What queries filter or sort on: the adapter indexes each entry. A field name (top-level) gets an index of its
   * own; a list of field names gets one compound index, in that order (an equality on the first and a range on the
   * second, say owner and close date, then read only the matching entries).
   */
  indexedFields: ReadonlyArray<string | readonly string[]>;
}

export interface ProjectionDefinition {
  name: string;
  version: number;
  collections: readonly CollectionDefinition[];
}

export type ProjectionStatus = 'running' | 'failed';

export interface ProjectionGeneration {
  generation: number;
  /** The projection version whose code filled this generation. */
  version: number;
  /** Global position of the last event included; null before the first batch. */
  checkpoint: bigint | null;
}

export interface ProjectionState {
  name: string;
  /** What queries read. */
  active: ProjectionGeneration;
  /** A generation being rebuilt (not yet answering queries), if any. */
  rebuilding: ProjectionGeneration | null;
  status: ProjectionStatus;
  /** Why it stopped: the event it could not apply and the error. */
  failure: { eventId: string; position: string; message: string; at: string } | null;
}

/** Numbers to add to one counter document; `group` holds its grouping fields (written when it is created). */
export interface CounterIncrement {
  collection: string;
  id: string;
  group: Record<string, string | number | boolean | null>;
  add: Record<string, number>;
}

/** Everything one batch of events changed in one generation of one projection, written in one transaction. */
export interface ReadModelBatch {
  projection: string;
  generation: number;
  /** Entity documents to write whole (insert or replace). */
  upserts: ReadonlyArray<{ collection: string; document: ReadModelDocument }>;
  deletes: ReadonlyArray<{ collection: string; id: string }>;
  /** Added to the counter documents (created with zeros first when missing). */
  increments: readonly CounterIncrement[];
  /** The new checkpoint: the position of the batch's last event. */
  checkpoint: bigint;
}

/** Conditions on top-level fields. Strings compare as strings, numbers as numbers; null matches missing. */
export type Filter =
  | { field: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: string | number | boolean | null }
  | { field: string; op: 'in'; value: ReadonlyArray<string | number | boolean | null> }
  /** Case-insensitive substring match on any of the fields. */
  | { fields: readonly string[]; op: 'contains'; value: string };

export interface FindQuery {
  filters?: readonly Filter[];
  sort?: ReadonlyArray<{ field: string; direction: 'asc' | 'desc' }>;
  limit: number;
  offset?: number;
}

export interface FindResult {
  documents: ReadModelDocument[];
  /** How many documents match the filters in all. */
  total: number;
}

export interface SumQuery {
  filters?: readonly Filter[];
  /** Fields to group by (none: one row for everything that matches). */
  groupBy: readonly string[];
  /** Numeric fields to add up per group. */
  sum: readonly string[];
}

/** One row per group: its groupBy values, the sums, and `documents` (how many documents were added up). */
export type SumRow = Record<string, string | number | boolean | null> & { documents: number };

/** The answer to a lease claim: granted (until when), or who holds it (until when, unless renewed). */
export type LeaseClaim = { granted: true; expiresAt: string } | { granted: false; holder: string; expiresAt: string };

export interface ReadModelStore {
  /**
   * Makes sure the projection exists with its collections and returns its state. A projection seen for the first
   * time gets an empty active generation 1 with the given version.
   */
  prepare(definition: ProjectionDefinition): Promise<ProjectionState>;
  state(projection: string): Promise<ProjectionState | null>;
  /** Starts a new, empty generation for a rebuild (replacing an unfinished one). */
  beginRebuild(definition: ProjectionDefinition): Promise<ProjectionGeneration>;
  /** Makes a rebuilt generation the active one and drops the old one, in one step. */
  activate(projection: string, generation: number): Promise<void>;
  /** Entity documents of one generation by id (missing ids are absent from the map). */
  getDocuments(projection: string, generation: number, collection: string, ids: readonly string[]): Promise<Map<string, ReadModelDocument>>;
  /** Writes a batch and its checkpoint atomically. Refuses (throws) a checkpoint that does not move forward. */
  writeBatch(batch: ReadModelBatch): Promise<void>;
  /** Records that the projection stopped on an event (status failed), or clears it (status running). */
  setFailure(projection: string, failure: ProjectionState['failure']): Promise<void>;
  /** Queries read the active generation of the projection that owns the collection. */
  find(collection: string, query: FindQuery): Promise<FindResult>;
  sum(collection: string, query: SumQuery): Promise<SumRow[]>;
  /**
   * Several sums read from one snapshot: no batch is half seen, so sums over disjoint slices of the same counts
   * (a window's whole months from one collection, its edge days from another) add up to a consistent answer.
   */
  sumEach(requests: ReadonlyArray<{ collection: string; query: SumQuery }>): Promise<SumRow[][]>;
  /**
   * At most one projector writes a read-model store: it claims this lease before it writes and claims it again to
   * renew it. A claim is granted when the lease is free, expired, already the holder's, or held by a holder that
   * `isGone` says no longer exists (a crashed process on this host: it need not wait out the lease).
   */
  claimLease(claim: { holder: string; ttlMs: number; isGone?: (holder: string) => boolean }): Promise<LeaseClaim>;
  /** Gives the lease up, if this holder has it. */
  releaseLease(holder: string): Promise<void>;
  close(): Promise<void>;
}

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');
