import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

/**
 * For integration specs against MongoDB (inside describeWithServer('MONGO_URL', ...)): a client of the suite's own,
 * opened before its tests and closed after them, and a database of its own for each test, with a random name, to
 * drop when the test is done.
 *
 *   const databases = mongoTestDatabases(url, 'pl_keys');
 *   const database = databases.fresh();   ...   await databases.drop(database);
 */
export function mongoTestDatabases(url: string, prefix: string) {
  let client: MongoClient | undefined;
  beforeAll(async () => {
    client = new MongoClient(url);
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
  });

  const opened = (): MongoClient => {
    if (!client) throw new Error('mongoTestDatabases: the client opens in beforeAll; use it from a hook or a test');
    return client;
  };
  return {
    client: opened,
    /** A new database name; MongoDB creates the database with its first write. */
    fresh: (): string => `${prefix}_${randomBytes(6).toString('hex')}`,
    drop: async (database: string): Promise<void> => {
      await opened().db(database).dropDatabase();
    },
  };
}
