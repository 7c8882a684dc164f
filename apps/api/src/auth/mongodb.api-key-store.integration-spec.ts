import { Binary, MongoServerError } from 'mongodb';
import { describeWithServer } from '../../../../test/support/servers';
import { mongoTestDatabases } from '../../../../test/support/mongo-test-databases';
import { hashSecret, newApiKey } from './api-key';
import { describeApiKeyStoreContract } from './api-key-store.contract';
import { NewApiKey } from './api-key-store.port';
import { API_KEYS_COLLECTION, MongoApiKeyStore } from './mongodb.api-key-store';

describeWithServer('MONGO_URL', 'MongoApiKeyStore', (url) => {
  const databases = mongoTestDatabases(url, 'pl_api_keys');

  describeApiKeyStoreContract('mongodb, a client of its own', async () => {
    const database = databases.fresh();
    return { open: () => new MongoApiKeyStore({ url, database }), cleanup: () => databases.drop(database) };
  });

  describeApiKeyStoreContract('mongodb, a shared client', async () => {
    const database = databases.fresh();
    return { open: () => new MongoApiKeyStore({ url, database, client: databases.client() }), cleanup: () => databases.drop(database) };
  });

  describe('MongoDB specifics', () => {
    let database: string;
    let store: MongoApiKeyStore;
    beforeEach(() => {
      database = databases.fresh();
      store = new MongoApiKeyStore({ url, database, client: databases.client() });
    });
    afterEach(async () => {
      await store.close();
      await databases.drop(database);
    });

    const raw = () => databases.client().db(database).collection<{ _id: string } & Record<string, unknown>>(API_KEYS_COLLECTION);
    const newKey = (name: string, secret: string): NewApiKey => ({
      id: newApiKey().id,
      name,
      roles: ['integration'],
      pii: false,
      secretHash: hashSecret(secret),
      createdAt: '2026-03-01T09:00:00.000Z',
    });

    it('stores a key under its id: the hash as generic BSON binary, the time as its string, never the secret', async () => {
      const { id, secret } = newApiKey();
      await store.create({ id, name: 'web-forms', roles: ['integration', 'analyst'], pii: true, secretHash: hashSecret(secret), createdAt: '2026-03-01T09:00:00.000Z' });
      const document = await raw().findOne({ _id: id });
      expect(document).toEqual({
        _id: id,
        name: 'web-forms',
        roles: ['integration', 'analyst'],
        pii: true,
        secretHash: expect.any(Binary),
        createdAt: '2026-03-01T09:00:00.000Z',
        revokedAt: null,
        lastUsedAt: null,
        seq: 1,
      });
      const hash = document!.secretHash as Binary;
      expect(hash.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(hash.value())).toEqual(hashSecret(secret));
      const everything = JSON.stringify(await raw().find().toArray());
      expect(everything).not.toContain(secret);
    });

    it('overwrites a revoked key\'s hash with 32 zero bytes in the document itself', async () => {
      const key = await store.create(newKey('billing', 'secret-billing'));
      await store.revoke(key.id, '2026-03-02T10:00:00.000Z');
      const document = await raw().findOne({ _id: key.id });
      expect(Buffer.from((document!.secretHash as Binary).value())).toEqual(Buffer.alloc(32));
      expect(document!.revokedAt).toBe('2026-03-02T10:00:00.000Z');
    });

    it('keeps a revocation time that looks like a field path as the string it is', async () => {
      const key = await store.create(newKey('billing', 'secret-billing'));
      await store.markUsed(key.id, '2026-03-01T10:00:00.000Z');
      expect((await store.revoke(key.id, '$lastUsedAt'))!.revokedAt).toBe('$lastUsedAt');
    });

    it('refuses a taken id with the duplicate-key error, and takes no place in the order for it', async () => {
      const key = await store.create(newKey('a', 'secret-a'));
      const error = await store.create({ ...newKey('b', 'secret-b'), id: key.id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MongoServerError);
      expect((error as MongoServerError).code).toBe(11000);
      const next = await store.create(newKey('c', 'secret-c'));
      expect((await raw().findOne({ _id: next.id }))!.seq).toBe(2);
    });

    it('creates the indexes its queries need at first use, and again harmlessly in another store', async () => {
      await store.list();
      const other = new MongoApiKeyStore({ url, database });
      try {
        await other.create(newKey('a', 'secret-a'));
        const indexes = await raw().indexes();
        expect(indexes).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ name: 'seq_unique', key: { seq: 1 }, unique: true }),
            expect.objectContaining({ name: 'createdAt_seq', key: { createdAt: 1, seq: 1 } }),
          ]),
        );
      } finally {
        await other.close();
      }
    });

    it('gives every key created at once, from several stores, a place of its own in the order', async () => {
      const others = [new MongoApiKeyStore({ url, database }), new MongoApiKeyStore({ url, database })];
      try {
        const stores = [store, ...others];
        const keys = Array.from({ length: 30 }, (_, i) => newKey(`k${i}`, `secret-${i}`));
        await Promise.all(keys.map((key, i) => stores[i % stores.length]!.create(key)));
        expect((await store.list()).map((k) => k.id).sort()).toEqual(keys.map((k) => k.id).sort());
        const seqs = (await raw().find().toArray()).map((d) => d.seq as number).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      } finally {
        for (const other of others) await other.close();
      }
    });

    it('leaves a shared client open when it closes', async () => {
      await store.close();
      await expect(databases.client().db(database).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    });
  });
});
