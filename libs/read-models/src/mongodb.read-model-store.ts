import { ClientSession, Collection, Db, DbOptions, MongoClient, MongoServerError, TransactionOptions } from 'mongodb';
import {
  LEASE_COLLECTION,
  LEASE_ID,
  PROJECTIONS_COLLECTION,
  StoredDocument,
  StoredGeneration,
  StoredProjection,
  batchOperations,
  checkpointUpdate,
  decodeCheckpoint,
  encodeCheckpoint,
  fromStoredDocument,
  fromStoredValue,
  indexDescriptions,
  mongoFind,
  newProjection,
  physicalCollection,
  slotOf,
  sumPipeline,
  sumRows,
  toProjectionState,
} from './mongodb-read-model-mapping';
import {
  FindQuery,
  FindResult,
  LeaseClaim,
  ProjectionDefinition,
  ProjectionGeneration,
  ProjectionState,
  ProjectionStatus,
  ReadModelBatch,
  ReadModelDocument,
  ReadModelStore,
  SumQuery,
  SumRow,
} from './read-model-store.port';
import { assertCollectionName, checkDefinition } from './read-model-validation';

/** Why the driver cannot use this connection string, or null when it can (a parse: nothing is connected). */
export function mongoConnectionStringError(url: string): string | null {
  try {
    new MongoClient(url); // eslint-disable-line no-new -- the driver parses and checks every option here
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export interface MongoReadModelStoreOptions {
  /**
   * Connection string, e.g. mongodb://mongo:27017/?replicaSet=rs0. The server must be a replica set (a single-node one
   * will do) of MongoDB 5.0 or later: batches are multi-document transactions, and queries read from a snapshot.
   * The store makes its client from it (connecting on first use) unless `client` is given.
   */
  url: string;
  /** The database holding the read models: the bookkeeping collections and every generation's collections. */
  database: string;
  /** A client to share instead of making one; the store then leaves it open on close(). */
  client?: MongoClient;
}

/** Ids per getDocuments query: a bounded $in, far below the 16 MB command limit. */
const IDS_PER_QUERY = 10_000;
/** How many times a snapshot read is tried when the server cannot give a snapshot yet (SnapshotUnavailable). */
const SNAPSHOT_ATTEMPTS = 3;
const LEASE_ATTEMPTS = 5;

/**
 * Set on the database, so that a shared client's own settings do not change them:
 * - every Int64 is read as a bson Long (promoteLongs off) and turned into a number by the mapping, which refuses one
 *   beyond Number.MAX_SAFE_INTEGER;
 * - every write is acknowledged by a majority (of one, on a single node): queries read majority-committed snapshots,
 *   so a write acknowledged any earlier (a prepare, an activation) could be missing from the next query.
 */
const DB_OPTIONS: DbOptions = {
  promoteLongs: false,
  promoteValues: true,
  useBigInt64: false,
  bsonRegExp: false,
  ignoreUndefined: true,
  writeConcern: { w: 'majority' },
};

/** Said on every read of a snapshot session, so that a readConcern the client may have by default does not replace it. */
const SNAPSHOT_READ = { readConcern: { level: 'snapshot' } } as const;

/** A batch and its checkpoint commit together, read from one snapshot, acknowledged by a majority (of one, on a single node). */
const BATCH_TRANSACTION: TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, readPreference: 'primary' };

interface StoredLease {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * The production ReadModelStore, on MongoDB (the official driver). Layout, in one database:
 * - `rm_projections`: one document per projection: its active and its rebuilding generation, each with its version,
 *   checkpoint (32 hex digits: see encodeCheckpoint) and collections (name -> indexedFields), plus status and failure;
 * - `rm_<collection>_g<generation>`: the documents of one collection in one generation, the id as _id, with one index
 *   per indexedFields entry (created when the generation is, by prepare and beginRebuild);
 * - `rm_lease`: the projector lease, one document.
 *
 * A batch is one multi-document transaction (retried by the driver on TransientTransactionError, its commit on
 * UnknownTransactionCommitResult): it reads the projection, moves the checkpoint under a guard (the generation still
 * there, its checkpoint below the new one), then writes one ordered bulkWrite per collection touched. A refused or
 * failing batch aborts, leaving nothing of it. Queries find the active generation in `rm_projections` and read it in
 * one snapshot session (readConcern snapshot): a find's page and total, and every sum of a sumEach, see the same
 * committed batches and never half of one. Activation switches the generation in one update of the projection's
 * document and then drops the old generation's collections.
 *
 * Nothing is cached between calls: another process (apps/projector beside an api) may prepare, rebuild and activate,
 * and each query looks the active generation up again (one more read, of a collection of a few documents).
 *
 * Where it can differ from the SQLite adapter in time (the port says nothing of either):
 * - a query that is reading the old generation when activate() drops it may fail once (MongoDB keeps snapshot
 *   isolation only without concurrent drops); the next one reads the new generation;
 * - a crash between the steps of beginRebuild or activate (bookkeeping update, then collections created or dropped)
 *   leaves, at worst, collections of a generation that nothing refers to any more; prepare and activate create what
 *   a live generation lacks.
 * The pure mapping (queries, pipelines, bulk operations, numbers, checkpoints) lives in mongodb-read-model-mapping.ts.
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly client: MongoClient;
  private readonly ownsClient: boolean;
  private readonly db: Db;
  private readonly projections: Collection<StoredProjection>;
  private readonly lease: Collection<StoredLease>;
  private closed = false;

  constructor(options: MongoReadModelStoreOptions) {
    if (typeof options?.database !== 'string' || options.database === '') throw new TypeError('MongoReadModelStore needs a database name');
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new MongoClient(options.url);
    this.db = this.client.db(options.database, DB_OPTIONS);
    this.projections = this.db.collection<StoredProjection>(PROJECTIONS_COLLECTION);
    this.lease = this.db.collection<StoredLease>(LEASE_COLLECTION);
  }

  async prepare(definition: ProjectionDefinition): Promise<ProjectionState> {
    this.assertOpen();
    const checked = checkDefinition(definition);
    const collections = collectionsOf(checked);
    const existing = await this.projections.findOne({ _id: checked.name });
    // A generation built by another version keeps its own collections: the runner decides to rebuild it.
    const adopts = (generation: StoredGeneration | null | undefined) => generation?.version === checked.version;
    if (!existing || adopts(existing.active) || adopts(existing.rebuilding)) await this.assertNotOwnedElsewhere(checked.name, Object.keys(collections));
    if (!existing) {
      const { _id, ...fresh } = newProjection(checked.name, checked.version);
      await ignoreDuplicateKey(this.projections.updateOne({ _id }, { $setOnInsert: fresh }, { upsert: true }));
    }
    if (Object.keys(collections).length > 0) {
      for (const slot of ['active', 'rebuilding'] as const) {
        const set = Object.fromEntries(Object.entries(collections).map(([name, fields]) => [`${slot}.collections.${name}`, fields]));
        await this.projections.updateOne({ _id: checked.name, [`${slot}.version`]: checked.version }, { $set: set });
      }
    }
    const stored = await this.requireStored(checked.name);
    await this.createGeneration(stored.active);
    if (stored.rebuilding) await this.createGeneration(stored.rebuilding);
    return toProjectionState(stored);
  }

  async state(projection: string): Promise<ProjectionState | null> {
    this.assertOpen();
    const stored = await this.projections.findOne({ _id: projection });
    return stored ? toProjectionState(stored) : null;
  }

  async beginRebuild(definition: ProjectionDefinition): Promise<ProjectionGeneration> {
    this.assertOpen();
    const checked = checkDefinition(definition);
    const stored = await this.requireStored(checked.name);
    const collections = collectionsOf(checked);
    await this.assertNotOwnedElsewhere(checked.name, Object.keys(collections));
    const next: StoredGeneration = {
      generation: Math.max(stored.active.generation, stored.rebuilding?.generation ?? 0) + 1,
      version: checked.version,
      checkpoint: null,
      collections,
    };
    const unchanged = { _id: checked.name, 'active.generation': stored.active.generation, ...(stored.rebuilding ? { 'rebuilding.generation': stored.rebuilding.generation } : { rebuilding: null }) };
    const result = await this.projections.updateOne(unchanged, { $set: { rebuilding: next } });
    if (result.matchedCount !== 1) throw new Error(`projection ${checked.name} changed while a rebuild was being started: try again`);
    if (stored.rebuilding) await this.dropGeneration(stored.rebuilding);
    await this.createGeneration(next);
    return { generation: next.generation, version: next.version, checkpoint: null };
  }

  async activate(projection: string, generation: number): Promise<void> {
    this.assertOpen();
    const stored = await this.requireStored(projection);
    const rebuilding = stored.rebuilding;
    if (rebuilding?.generation !== generation) {
      throw new Error(`cannot activate generation ${generation} of projection ${projection}: the rebuilding generation is ${rebuilding?.generation ?? 'none'}`);
    }
    await this.createGeneration(rebuilding); // already there since beginRebuild; makes sure after a crash in between
    const result = await this.projections.updateOne(
      { _id: projection, 'active.generation': stored.active.generation, 'rebuilding.generation': generation },
      [{ $set: { active: '$rebuilding', rebuilding: { $literal: null } } }],
    );
    if (result.matchedCount !== 1) throw new Error(`projection ${projection} changed while generation ${generation} was being activated: try again`);
    await this.dropGeneration(stored.active);
  }

  async getDocuments(projection: string, generation: number, collection: string, ids: readonly string[]): Promise<Map<string, ReadModelDocument>> {
    this.assertOpen();
    const stored = await this.requireStored(projection);
    const name = physicalOf(stored, generation, collection);
    const found = new Map<string, ReadModelDocument>();
    const documents = this.db.collection<StoredDocument>(name);
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const chunk = ids.slice(start, start + IDS_PER_QUERY);
      for (const document of await documents.find({ _id: { $in: chunk } }).toArray()) found.set(document._id, fromStoredDocument(document));
    }
    return found;
  }

  async writeBatch(batch: ReadModelBatch): Promise<void> {
    this.assertOpen();
    encodeCheckpoint(batch?.checkpoint); // a checkpoint that is no bigint, negative or too large: refused before the transaction
    await this.client.withSession((session) =>
      session.withTransaction(async () => {
        // Everything is read and built again on a retry of the transaction.
        const stored = await this.projections.findOne({ _id: batch.projection }, { session });
        if (!stored) throw new Error(`unknown projection ${batch.projection}: prepare it first`);
        const slot = slotOf(stored, batch.generation);
        if (!slot) {
          throw new Error(`projection ${batch.projection} has no generation ${batch.generation} to write (active ${stored.active.generation}, rebuilding ${stored.rebuilding?.generation ?? 'none'})`);
        }
        const previous = decodeCheckpoint(stored[slot]!.checkpoint);
        if (previous !== null && batch.checkpoint <= previous) {
          throw new Error(`checkpoint ${batch.checkpoint} of projection ${batch.projection} generation ${batch.generation} does not move forward from ${previous}`);
        }
        const operations = batchOperations(batch, (collection) => physicalOf(stored, batch.generation, collection));
        const { filter, update } = checkpointUpdate(batch.projection, slot, batch.generation, batch.checkpoint);
        const moved = await this.projections.updateOne(filter, update, { session });
        if (moved.matchedCount !== 1) throw new Error(`checkpoint ${batch.checkpoint} of projection ${batch.projection} generation ${batch.generation} refused: the generation or its checkpoint changed`);
        for (const [name, writes] of operations) await this.db.collection<StoredDocument>(name).bulkWrite(writes, { session, ordered: true });
      }, BATCH_TRANSACTION),
    );
  }

  async setFailure(projection: string, failure: ProjectionState['failure']): Promise<void> {
    this.assertOpen();
    const status: ProjectionStatus = failure === null ? 'running' : 'failed';
    const result = await this.projections.updateOne({ _id: projection }, { $set: { status, failure } });
    if (result.matchedCount === 0) throw new Error(`unknown projection ${projection}`);
  }

  async find(collection: string, query: FindQuery): Promise<FindResult> {
    this.assertOpen();
    const { filter, sort, skip, limit } = mongoFind(query);
    return this.inSnapshot(async (session) => {
      const [name] = await this.activeCollections([collection], session);
      const documents = this.db.collection<StoredDocument>(name);
      // limit 0 would mean "no limit" to MongoDB: the port's 0 asks for the total only. allowDiskUse (the default
      // since MongoDB 6.0): a sort the indexes cannot give, or a sum's groups, may spill past 100 MB instead of failing.
      const page = limit === 0 ? [] : (await documents.find(filter, { ...SNAPSHOT_READ, session, sort, skip, limit, allowDiskUse: true }).toArray()).map(fromStoredDocument);
      // A short page that is not past the end already tells the total: no count needed.
      const shortPage = page.length < limit && (page.length > 0 || skip === 0);
      const total = shortPage ? skip + page.length : (fromStoredValue(await documents.countDocuments(filter, { ...SNAPSHOT_READ, session }), 'count') as number);
      return { documents: page, total };
    });
  }

  async sum(collection: string, query: SumQuery): Promise<SumRow[]> {
    return (await this.sumEach([{ collection, query }]))[0];
  }

  async sumEach(requests: ReadonlyArray<{ collection: string; query: SumQuery }>): Promise<SumRow[][]> {
    this.assertOpen();
    if (requests.length === 0) return [];
    const pipelines = requests.map(({ query }) => sumPipeline(query));
    return this.inSnapshot(async (session) => {
      const names = await this.activeCollections(
        requests.map((request) => request.collection),
        session,
      );
      const results: SumRow[][] = [];
      // One after the other: operations on one session must not overlap.
      for (const [i, { query }] of requests.entries()) {
        results.push(sumRows(await this.db.collection(names[i]).aggregate(pipelines[i], { ...SNAPSHOT_READ, session, allowDiskUse: true }).toArray(), query));
      }
      return results;
    });
  }

  async claimLease(claim: { holder: string; ttlMs: number; isGone?: (holder: string) => boolean }): Promise<LeaseClaim> {
    this.assertOpen();
    if (typeof claim?.holder !== 'string' || claim.holder === '') throw new TypeError('a lease claim needs a holder');
    if (!Number.isSafeInteger(claim.ttlMs) || claim.ttlMs <= 0) throw new TypeError('a lease claim needs ttlMs > 0');
    const { holder } = claim;
    for (let attempt = 1; attempt <= LEASE_ATTEMPTS; attempt++) {
      const now = Date.now();
      const expiresAt = new Date(now + claim.ttlMs);
      const granted: LeaseClaim = { granted: true, expiresAt: expiresAt.toISOString() };
      try {
        // Free (no document: upserted), expired, or already this holder's: one atomic step.
        await this.lease.findOneAndUpdate(
          { _id: LEASE_ID, $or: [{ holder }, { expiresAt: { $lte: new Date(now) } }] },
          { $set: { holder, expiresAt } },
          { upsert: true },
        );
        return granted;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error; // the lease exists and is someone else's, live
      }
      const current = await this.lease.findOne({ _id: LEASE_ID });
      if (!current || current.holder === holder || current.expiresAt.getTime() <= Date.now()) continue; // changed since: claim again
      if (!claim.isGone?.(current.holder)) return { granted: false, holder: current.holder, expiresAt: current.expiresAt.toISOString() };
      // Its holder is gone: take it over, unless it changed hands or was renewed meanwhile.
      const taken = await this.lease.findOneAndUpdate({ _id: LEASE_ID, holder: current.holder, expiresAt: current.expiresAt }, { $set: { holder, expiresAt } });
      if (taken) return granted;
    }
    throw new Error(`the projector lease changed hands ${LEASE_ATTEMPTS} times during one claim by ${holder}`);
  }

  async releaseLease(holder: string): Promise<void> {
    this.assertOpen();
    await this.lease.deleteOne({ _id: LEASE_ID, holder });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.client.close();
  }

  /** Creates a generation's collections and their indexes (both idempotent: existing ones are left as they are). */
  private async createGeneration(generation: StoredGeneration): Promise<void> {
    for (const [collection, fields] of Object.entries(generation.collections)) {
      const name = physicalCollection(collection, generation.generation);
      try {
        await this.db.createCollection(name);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
      const indexes = indexDescriptions(fields);
      if (indexes.length > 0) await this.db.collection(name).createIndexes(indexes);
    }
  }

  private async dropGeneration(generation: StoredGeneration): Promise<void> {
    // dropCollection ignores a collection that is not there.
    for (const collection of Object.keys(generation.collections)) await this.db.dropCollection(physicalCollection(collection, generation.generation));
  }

  /** Refuses collections that another projection has in one of its generations: a collection has one owner. */
  private async assertNotOwnedElsewhere(projection: string, collections: readonly string[]): Promise<void> {
    if (collections.length === 0) return;
    const slots = ['active', 'rebuilding'] as const;
    const owner = await this.projections.findOne({
      _id: { $ne: projection },
      $or: collections.flatMap((name) => slots.map((slot) => ({ [`${slot}.collections.${name}`]: { $exists: true } }))),
    });
    if (!owner) return;
    const taken = collections.find((name) => slots.some((slot) => owner[slot] && Object.hasOwn(owner[slot]!.collections, name)));
    throw new Error(`collection ${taken} already belongs to projection ${owner._id}`);
  }

  /** The physical collections that queries of these logical collections read: their projections' active generations. */
  private async activeCollections(collections: readonly string[], session: ClientSession): Promise<string[]> {
    for (const collection of collections) assertCollectionName(collection);
    const wanted = [...new Set(collections)];
    const owners = await this.projections
      .find(
        { $or: wanted.map((name) => ({ [`active.collections.${name}`]: { $exists: true } })) },
        { ...SNAPSHOT_READ, session, projection: { 'active.generation': 1, 'active.collections': 1 } },
      )
      .toArray();
    return collections.map((collection) => {
      const owner = owners.find((candidate) => Object.hasOwn(candidate.active.collections, collection));
      if (!owner) throw new Error(`unknown collection ${JSON.stringify(collection)}: no prepared projection owns it`);
      return physicalCollection(collection, owner.active.generation);
    });
  }

  /**
   * Runs reads in one snapshot session: every read sees the data as of the first one's cluster time. A snapshot the
   * server cannot give yet (SnapshotUnavailable, e.g. right after a collection or index was created) is tried again.
   */
  private async inSnapshot<T>(read: (session: ClientSession) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const session = this.client.startSession({ snapshot: true });
      try {
        return await read(session);
      } catch (error) {
        if (attempt < SNAPSHOT_ATTEMPTS && error instanceof MongoServerError && error.code === SNAPSHOT_UNAVAILABLE) continue;
        throw error;
      } finally {
        await session.endSession();
      }
    }
  }

  private async requireStored(projection: string): Promise<StoredProjection> {
    const stored = await this.projections.findOne({ _id: projection });
    if (!stored) throw new Error(`unknown projection ${projection}: prepare it first`);
    return stored;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the read model store is closed');
  }
}

const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;
const SNAPSHOT_UNAVAILABLE = 246;

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** Two processes preparing a new projection at once: one upsert inserts, the other may fail on the key; both go on. */
async function ignoreDuplicateKey(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

function collectionsOf(definition: ProjectionDefinition): StoredGeneration['collections'] {
  return Object.fromEntries(definition.collections.map((collection) => [collection.name, [...collection.indexedFields]]));
}

/** The collection of one of a projection's live generations, or an error if the generation or collection is not there. */
function physicalOf(stored: StoredProjection, generation: number, collection: string): string {
  const slot = slotOf(stored, generation);
  const live = slot ? stored[slot] : null;
  if (!live || !Object.hasOwn(live.collections, collection)) {
    throw new Error(`projection ${stored._id} has no collection ${JSON.stringify(collection)} in generation ${generation}`);
  }
  return physicalCollection(collection, generation);
}
