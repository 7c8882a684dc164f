import { describeWithServer } from '../../../../test/support/servers';
import { mongoTestDatabases } from '../../../../test/support/mongo-test-databases';
import { INTAKE_SUBMISSIONS_COLLECTION, MongoSubmissionStore } from './mongodb.submission-store';
import { describeSubmissionStoreContract } from './submission-store.contract';
import { SubmissionRecord, SubmissionTarget } from './submission-store.port';

describeWithServer('MONGO_URL', 'MongoSubmissionStore', (url) => {
  const databases = mongoTestDatabases(url, 'pl_intake_submissions');

  describeSubmissionStoreContract('mongodb, a client of its own', async () => {
    const database = databases.fresh();
    return { open: () => new MongoSubmissionStore({ url, database }), cleanup: () => databases.drop(database) };
  });

  describeSubmissionStoreContract('mongodb, a shared client', async () => {
    const database = databases.fresh();
    return { open: () => new MongoSubmissionStore({ url, database, client: databases.client() }), cleanup: () => databases.drop(database) };
  });

  describe('MongoDB specifics', () => {
    const F = '6a8e26e5-65c7-4f59-a4f8-1768ffd32718';
    let database: string;
    let store: MongoSubmissionStore;
    beforeEach(() => {
      database = databases.fresh();
      store = new MongoSubmissionStore({ url, database, client: databases.client() });
    });
    afterEach(async () => {
      await store.close();
      await databases.drop(database);
    });

    const collection = () => databases.client().db(database).collection<{ _id: unknown }>(INTAKE_SUBMISSIONS_COLLECTION);

    it('keeps a submission as one document under { formId, submissionId }, the target in its fields, the times as strings', async () => {
      await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' }, '2026-03-01T09:00:00.000Z');
      await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L2' });
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      expect(await collection().find().toArray()).toEqual([
        {
          _id: { formId: F, submissionId: 's-1' },
          outcome: 'created',
          leadId: 'L2',
          matchedOn: null,
          status: 'done',
          receivedAt: '2026-03-01T09:00:00.000Z',
          completedAt: '2026-03-01T09:00:01.000Z',
        },
      ]);
    });

    it('needs no index but _id', async () => {
      await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      expect((await collection().indexes()).map((index) => index.key)).toEqual([{ _id: 1 }]);
    });

    it('records each submission once when stores with clients of their own begin the same submissions at once (api replicas)', async () => {
      const replicas = Array.from({ length: 4 }, () => new MongoSubmissionStore({ url, database }));
      try {
        const ids = Array.from({ length: 25 }, (_, i) => `s-${i}`);
        const targetOf = (replica: number, id: string): SubmissionTarget =>
          replica % 2 === 0 ? { outcome: 'created', leadId: `lead-${replica}-${id}` } : { outcome: 'duplicate', leadId: `lead-${replica}-${id}`, matchedOn: 'email' };
        const answers: SubmissionRecord[][] = await Promise.all(
          replicas.map((replica, r) => Promise.all(ids.map((id) => replica.begin(F, id, targetOf(r, id), `2026-03-01T09:00:00.00${r}Z`)))),
        );
        expect(await collection().countDocuments()).toBe(ids.length);
        for (const [i, id] of ids.entries()) {
          const inForce = await store.get(F, id);
          expect(inForce?.status).toBe('pending');
          // Every replica was answered the one submission recorded: one target, so one lead, whoever inserted it.
          for (const answer of answers) expect(answer[i]).toEqual(inForce);
          expect(replicas.map((_, r) => targetOf(r, id))).toContainEqual(inForce?.target);
        }
      } finally {
        for (const replica of replicas) await replica.close();
      }
    });

    it('completes a submission once when two replicas complete it at once: the first time stays', async () => {
      const other = new MongoSubmissionStore({ url, database });
      try {
        await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
        const times = ['2026-03-01T09:00:01.000Z', '2026-03-01T09:00:01.001Z'];
        await Promise.all([store.complete(F, 's-1', times[0]), other.complete(F, 's-1', times[1])]);
        const done = await other.get(F, 's-1');
        expect(done?.status).toBe('done');
        expect(times).toContain(done?.completedAt);
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
