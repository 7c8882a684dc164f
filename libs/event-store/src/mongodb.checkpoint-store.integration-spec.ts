import { describeWithServer } from '../../../test/support/servers';
import { mongoTestDatabases } from '../../../test/support/mongo-test-databases';
import { describeCheckpointStoreContract } from './checkpoint-store.contract';
import { CHECKPOINTS_COLLECTION, MongoCheckpointStore } from './mongodb.checkpoint-store';

describeWithServer('MONGO_URL', 'MongoCheckpointStore', (url) => {
  const databases = mongoTestDatabases(url, 'pl_checkpoints');

  describeCheckpointStoreContract('mongodb, a client of its own', async () => {
    const database = databases.fresh();
    return { open: () => new MongoCheckpointStore({ url, database }), cleanup: () => databases.drop(database) };
  });

  describeCheckpointStoreContract('mongodb, a shared client', async () => {
    const database = databases.fresh();
    return { open: () => new MongoCheckpointStore({ url, database, client: databases.client() }), cleanup: () => databases.drop(database) };
  });

  describe('MongoDB specifics', () => {
    let database: string;
    beforeEach(() => (database = databases.fresh()));
    afterEach(() => databases.drop(database));

    it('keeps a 128-bit position as a string of decimal digits, never as a number', async () => {
      const store = new MongoCheckpointStore({ url, database, client: databases.client() });
      const position = ((2n ** 64n - 1n) << 64n) + 5n;
      await store.save('conversion-completer', position);
      await store.close();
      const stored = await databases
        .client()
        .db(database)
        .collection<{ _id: string; position: unknown }>(CHECKPOINTS_COLLECTION)
        .findOne({ _id: 'conversion-completer' });
      expect(stored?.position).toBe(position.toString());
    });

    it('leaves a shared client open when it closes', async () => {
      const store = new MongoCheckpointStore({ url, database, client: databases.client() });
      await store.close();
      await expect(databases.client().db(database).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    });
  });
});
