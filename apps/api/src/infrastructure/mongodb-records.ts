import { Collection, CollectionOptions, Document, MongoClient, ReadPreference, WriteConcern } from 'mongodb';

/** What each MongoDB store of the service's records (API keys, web forms, submissions, webhooks) is given. */
export interface MongoStoreOptions {
  /** The connection string (used only when no client is given); the client connects on first use. */
  url: string;
  database: string;
  /** A client to share; the store then leaves closing it to its owner. */
  client?: MongoClient;
}

/**
 * How the service's records are written and read, set on each collection so that a shared client's own settings do
 * not change them:
 * - every write acknowledged by a majority of the replica set, each with it in its on-disk journal (their SQLite
 *   stores write with synchronous = FULL): a key revoked, a form made, a submission begun, a position acknowledged
 *   is not rolled back by a failover;
 * - reads from the primary, which has every acknowledged write: what one replica (or the CLI) changed is seen so by
 *   the next request to any other, whatever read preference the client has;
 * - BSON binary read back as a Binary (the mappings copy it into a Buffer of their own), integers as numbers.
 */
const RECORD_COLLECTION: CollectionOptions = {
  writeConcern: new WriteConcern('majority', undefined, true),
  readPreference: ReadPreference.primary,
  promoteBuffers: false,
  promoteValues: true,
  promoteLongs: true,
  useBigInt64: false,
  bsonRegExp: false,
};

/** One collection of records, and how to let go of the client when the store closes (only a client it made). */
export function recordCollection<T extends Document>(options: MongoStoreOptions, name: string): { collection: Collection<T>; close(): Promise<void> } {
  const client = options.client ?? new MongoClient(options.url);
  return {
    collection: client.db(options.database).collection<T>(name, RECORD_COLLECTION),
    close: async () => {
      if (!options.client) await client.close();
    },
  };
}
