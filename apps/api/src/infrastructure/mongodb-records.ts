import { Collection, CollectionOptions, Document, IndexDescription, MongoClient, ReadPreference, WriteConcern } from 'mongodb';

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

/**
 * One collection of records; `indexed()` makes its indexes the first time it is awaited (and again after a failure:
 * createIndexes leaves existing ones as they are), and `close()` lets go of the client (only a client it made).
 */
export function recordCollection<T extends Document>(
  options: MongoStoreOptions,
  name: string,
  indexes: readonly IndexDescription[] = [],
): { collection: Collection<T>; indexed(): Promise<void>; close(): Promise<void> } {
  const client = options.client ?? new MongoClient(options.url);
  const collection = client.db(options.database).collection<T>(name, RECORD_COLLECTION);
  let made: Promise<void> | undefined;
  return {
    collection,
    indexed: () => {
      if (indexes.length === 0) return Promise.resolve();
      made ??= collection.createIndexes([...indexes]).then(
        () => undefined,
        (error: unknown) => {
          made = undefined;
          throw error;
        },
      );
      return made;
    },
    close: async () => {
      if (!options.client) await client.close();
    },
  };
}
