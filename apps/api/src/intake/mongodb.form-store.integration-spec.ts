import { Binary, BSON, MongoServerError } from 'mongodb';
import { describeWithServer } from '../../../../test/support/servers';
import { mongoTestDatabases } from '../../../../test/support/mongo-test-databases';
import { describeFormStoreContract } from './form-store.contract';
import { hashFormSecret, parseFormKey } from './form-key';
import { authenticateFormKey, createIntakeForm } from './intake-forms';
import { INTAKE_FORMS_COLLECTION, MongoFormStore } from './mongodb.form-store';

describeWithServer('MONGO_URL', 'MongoFormStore', (url) => {
  const databases = mongoTestDatabases(url, 'pl_intake_forms');

  describeFormStoreContract('mongodb, a client of its own', async () => {
    const database = databases.fresh();
    return { open: () => new MongoFormStore({ url, database }), cleanup: () => databases.drop(database) };
  });

  describeFormStoreContract('mongodb, a shared client', async () => {
    const database = databases.fresh();
    return { open: () => new MongoFormStore({ url, database, client: databases.client() }), cleanup: () => databases.drop(database) };
  });

  describe('MongoDB specifics', () => {
    const at = new Date('2026-03-01T09:00:00.000Z');
    let database: string;
    let store: MongoFormStore;
    beforeEach(() => {
      database = databases.fresh();
      store = new MongoFormStore({ url, database, client: databases.client() });
    });
    afterEach(async () => {
      await store.close();
      await databases.drop(database);
    });

    const storedDocument = (id: string) => databases.client().db(database).collection<{ _id: string }>(INTAKE_FORMS_COLLECTION).findOne({ _id: id });

    it('keeps a form as one document under its id: the hash as generic BSON binary, the times as strings, neither key nor secret in it', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice', campaign: 'Spring Webinar' }, at);
      const { secret } = parseFormKey(key)!;
      const stored = await storedDocument(form.id);
      expect(stored).toEqual({
        _id: form.id,
        name: 'Contact us',
        secretHash: expect.any(Binary),
        source: 'Web Form',
        owner: 'alice',
        campaign: 'Spring Webinar',
        createdAt: '2026-03-01T09:00:00.000Z',
        revokedAt: null,
      });
      const secretHash = (stored as unknown as { secretHash: Binary }).secretHash;
      expect(secretHash.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(secretHash.value()).equals(hashFormSecret(secret))).toBe(true);
      const bytes = Buffer.from(BSON.serialize(stored!));
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'base64url'))).toBe(false);
      expect(bytes.includes(Buffer.from(key))).toBe(false);
    });

    it('refuses a second form with an id it has as a duplicate key', async () => {
      const { form } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      const refused = await store.create({ ...form, name: 'Impostor' }, Buffer.alloc(32)).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(MongoServerError);
      expect((refused as MongoServerError).code).toBe(11000);
    });

    it('revokes once when two stores revoke the same form at once: one time stays, and both answer it', async () => {
      const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
      const other = new MongoFormStore({ url, database });
      try {
        const times = ['2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.001Z'];
        const [one, two] = await Promise.all([store.revoke(form.id, times[0]), other.revoke(form.id, times[1])]);
        const stored = await store.get(form.id);
        expect(times).toContain(stored?.revokedAt);
        // Each answers the form as it found it after its own step: the one that revoked it, or the one that lost.
        expect(one).toEqual(stored);
        expect(two).toEqual(stored);
        expect(await authenticateFormKey(other, key)).toBeNull();
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
