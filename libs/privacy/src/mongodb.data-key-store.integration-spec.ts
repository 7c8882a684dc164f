import { Binary } from 'mongodb';
import { describeWithServer } from '../../../test/support/servers';
import { mongoTestDatabases } from '../../../test/support/mongo-test-databases';
import { dataKeyStoreContract } from './data-key-store.contract';
import { DATA_KEYS_COLLECTION, ERASED_SUBJECTS_COLLECTION, MongoDataKeyStore } from './mongodb.data-key-store';

describeWithServer('MONGO_URL', 'MongoDataKeyStore', (url) => {
  const databases = mongoTestDatabases(url, 'pl_keys');

  // No rawBytes: the server's files are not ours to read (see the adapter's comment on what erasure leaves in them).
  dataKeyStoreContract('mongodb, a client of its own', async () => {
    const database = databases.fresh();
    return { store: new MongoDataKeyStore({ url, database }), cleanup: () => databases.drop(database) };
  });

  dataKeyStoreContract('mongodb, a shared client', async () => {
    const database = databases.fresh();
    return { store: new MongoDataKeyStore({ url, database, client: databases.client() }), cleanup: () => databases.drop(database) };
  });

  describe('MongoDB specifics', () => {
    let database: string;
    let store: MongoDataKeyStore;
    beforeEach(() => {
      database = databases.fresh();
      store = new MongoDataKeyStore({ url, database, client: databases.client() });
    });
    afterEach(async () => {
      await store.close();
      await databases.drop(database);
    });

    it('stores a key as generic BSON binary under its id, and an erasure as its subject and time', async () => {
      await store.add([{ id: 'k1', wrapped: Buffer.alloc(60, 1) }]);
      await store.erase(['s1'], [], '2026-11-23T10:00:00.000Z');
      const db = databases.client().db(database);
      const key = await db.collection<{ _id: string; wrapped: unknown }>(DATA_KEYS_COLLECTION).findOne({ _id: 'k1' });
      expect(key?.wrapped).toBeInstanceOf(Binary);
      const wrapped = key?.wrapped as Binary;
      expect(wrapped.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(wrapped.value())).toEqual(Buffer.alloc(60, 1));
      expect(await db.collection<{ _id: string }>(ERASED_SUBJECTS_COLLECTION).find().toArray()).toEqual([
        { _id: 's1', erasedAt: '2026-11-23T10:00:00.000Z' },
      ]);
    });

    it('erases in a database where nothing was stored yet (the transaction creates the collections)', async () => {
      await store.erase(['s1'], ['k1'], '2026-11-23T10:00:00.000Z');
      expect(await store.allErasedSubjects()).toEqual(new Map([['s1', '2026-11-23T10:00:00.000Z']]));
    });

    it('takes the same keys from two stores at once without an error, keeping one of them', async () => {
      const other = new MongoDataKeyStore({ url, database });
      try {
        const keys = (fill: number) => Array.from({ length: 50 }, (_, i) => ({ id: `k${i}`, wrapped: Buffer.alloc(60, fill) }));
        await Promise.all([store.add(keys(1)), other.add(keys(2))]);
        const found = await store.get(keys(0).map((key) => key.id));
        expect(found.size).toBe(50);
        for (const wrapped of found.values()) expect([Buffer.alloc(60, 1), Buffer.alloc(60, 2)]).toContainEqual(wrapped);
      } finally {
        await other.close();
      }
    });

    it('leaves a shared client open when it closes', async () => {
      await store.close();
      await expect(databases.client().db(database).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    });
  });
});
