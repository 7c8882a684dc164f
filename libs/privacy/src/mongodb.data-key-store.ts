import { Collection, MongoClient, WriteConcern } from 'mongodb';
import { DataKeyStore, StoredDataKey } from './data-key-store.port';
import {
  addKeyOperations,
  byIds,
  DataKeyDocument,
  ErasureDocument,
  erasureMap,
  recordErasureOperations,
  wrappedKeyOf,
} from './mongodb-data-key-mapping';

export interface MongoDataKeyStoreOptions {
  /** The connection string (used only when no client is given). */
  url: string;
  database: string;
  /** A client to share; the store then leaves closing it to its owner. */
  client?: MongoClient;
}

export const DATA_KEYS_COLLECTION = 'data_keys';
export const ERASED_SUBJECTS_COLLECTION = 'erased_subjects';

/** Acknowledged by a majority of the replica set, each of them with the write in its on-disk journal. */
const DURABLE = new WriteConcern('majority', undefined, true);

/**
 * The DataKeyStore on MongoDB (production): keys in one collection, erased subjects in another. Erasing deletes the
 * key documents and records the subjects in one multi-document transaction, so the server must be a replica set (a
 * single-node one will do) from MongoDB 4.4 on (collections may then be created by the transaction's first write).
 *
 * What "nothing of them stays in the store's files" can and cannot mean here: a deleted document is gone for every
 * reader at once, but MongoDB does not zero what it frees. Its bytes (compressed, by default) may stay in the
 * collection's WiredTiger file until that space is reused, in the journal until its files are recycled, and in the
 * oplog, which recorded the insert with the key, until the oplog rolls over; backups and snapshots taken before keep
 * it as long as they are kept. The keys are wrapped by the master key, which is never stored here, so such a copy
 * opens nothing without it. An operator who needs the bytes themselves gone: waits out the oplog window, then
 * rebuilds the data files (an initial sync into an empty data directory, or a dump restored into a fresh
 * deployment, then wipes the old volume; `compact` gives free space back but promises nothing about what was in
 * it), and expires the older backups; or relies on encryption at rest and destroys its key with the volume. The
 * contract's check on raw bytes is left out for this adapter: the server's files are not ours to read.
 */
export class MongoDataKeyStore implements DataKeyStore {
  private readonly client: MongoClient;
  private readonly ownsClient: boolean;
  private readonly keys: Collection<DataKeyDocument>;
  private readonly erasures: Collection<ErasureDocument>;

  constructor(options: MongoDataKeyStoreOptions) {
    this.ownsClient = !options.client;
    this.client = options.client ?? new MongoClient(options.url);
    const db = this.client.db(options.database);
    this.keys = db.collection<DataKeyDocument>(DATA_KEYS_COLLECTION, { writeConcern: DURABLE });
    this.erasures = db.collection<ErasureDocument>(ERASED_SUBJECTS_COLLECTION, { writeConcern: DURABLE });
  }

  async add(keys: readonly StoredDataKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.keys.bulkWrite(addKeyOperations(keys, new Date()));
  }

  async get(ids: readonly string[]): Promise<Map<string, Buffer>> {
    if (ids.length === 0) return new Map();
    const documents = await this.keys.find(byIds<DataKeyDocument>(ids), { projection: { wrapped: 1 } }).toArray();
    return new Map(documents.map((document) => [document._id, wrappedKeyOf(document)]));
  }

  async erasedSubjects(subjects: readonly string[]): Promise<Map<string, string>> {
    if (subjects.length === 0) return new Map();
    return erasureMap(await this.erasures.find(byIds<ErasureDocument>(subjects)).toArray());
  }

  async allErasedSubjects(): Promise<Map<string, string>> {
    return erasureMap(await this.erasures.find().toArray());
  }

  async erase(subjects: readonly string[], keyIds: readonly string[], erasedAt: string): Promise<void> {
    const recordErasures = recordErasureOperations(subjects, erasedAt);
    if (keyIds.length === 0 && recordErasures.length === 0) return;
    // withTransaction retries the whole callback on a transient error (a write conflict with a concurrent erasure),
    // and the commit on an unknown outcome; both halves are idempotent, so a retry is harmless. Inside a transaction
    // the collections' own write concern does not apply: the transaction's does, at commit.
    await this.client.withSession((session) =>
      session.withTransaction(
        async () => {
          if (keyIds.length > 0) await this.keys.deleteMany(byIds<DataKeyDocument>(keyIds), { session });
          if (recordErasures.length > 0) await this.erasures.bulkWrite(recordErasures, { session });
        },
        { writeConcern: DURABLE },
      ),
    );
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
