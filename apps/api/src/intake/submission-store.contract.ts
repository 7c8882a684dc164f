/**
 * The behaviour every SubmissionStore adapter must show, as a jest suite. Call it from an adapter's spec with a
 * factory for a fresh, empty place to keep submissions (a file, a database) and a way to open a store on it:
 *
 *   describeSubmissionStoreContract('SqliteSubmissionStore', async () => ({ open: () => new SqliteSubmissionStore(file), cleanup }));
 *
 * Only the port is tested here (see SubmissionStore for the write-ahead rule it serves). Excluded from the build
 * (tsconfig.build.json) because it uses jest globals.
 */
import { StoreContractFixture, storeContractHarness } from '../../../../test/support/store-contract';
import { SubmissionStore } from './submission-store.port';

/** A place for the contract's stores, and how to open one on it (see StoreContractFixture). */
export type SubmissionStoreContractFixture = StoreContractFixture<SubmissionStore>;

export function describeSubmissionStoreContract(adapterName: string, factory: () => Promise<SubmissionStoreContractFixture>): void {
  describe(`SubmissionStore contract: ${adapterName}`, () => {
    const stores = storeContractHarness(factory);
    const open = stores.open;
    let store: SubmissionStore;
    const F = '6a8e26e5-65c7-4f59-a4f8-1768ffd32718';

    beforeEach(() => (store = stores.store()));

    it('records a submission as pending with its target, then done', async () => {
      expect(await store.get(F, 's-1')).toBeNull();
      const begun = await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      expect(begun).toEqual({ formId: F, submissionId: 's-1', target: { outcome: 'created', leadId: 'L1' }, status: 'pending', receivedAt: '2026-03-01T09:00:00.000Z', completedAt: null });
      expect(await store.get(F, 's-1')).toEqual(begun);
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      expect(await store.get(F, 's-1')).toEqual({ ...begun, status: 'done', completedAt: '2026-03-01T09:00:01.000Z' });
    });

    it('keeps the first target when the same submission begins again (the earlier one wins)', async () => {
      const first = await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' }, '2026-03-01T09:00:00.000Z');
      expect(first.target).toEqual({ outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' });
      const again = await store.begin(F, 's-1', { outcome: 'created', leadId: 'L2' }, '2026-03-01T09:05:00.000Z');
      expect(again.target).toEqual({ outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' });
      expect(again.receivedAt).toBe('2026-03-01T09:00:00.000Z');
      expect(again).toEqual(first);
      expect(await store.get(F, 's-1')).toEqual(first);
    });

    it('answers a done submission, unchanged, when it begins again', async () => {
      await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      const done = await store.get(F, 's-1');
      expect(done?.status).toBe('done');
      expect(await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L2', matchedOn: 'name-and-company' }, '2026-03-01T10:00:00.000Z')).toEqual(done);
      expect(await store.get(F, 's-1')).toEqual(done);
    });

    it('retargets a pending submission only', async () => {
      await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L1', matchedOn: 'name-and-company' }, '2026-03-01T09:00:00.000Z');
      await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L2' });
      expect((await store.get(F, 's-1'))!.target).toEqual({ outcome: 'created', leadId: 'L2' });
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L3' });
      expect((await store.get(F, 's-1'))!.target).toEqual({ outcome: 'created', leadId: 'L2' });
    });

    it('retargets the whole target: a new match replaces the old one, a new lead has none', async () => {
      const begun = await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' }, '2026-03-01T09:00:00.000Z');
      await store.retarget(F, 's-1', { outcome: 'duplicate', leadId: 'L4', matchedOn: 'name-and-company' });
      expect(await store.get(F, 's-1')).toEqual({ ...begun, target: { outcome: 'duplicate', leadId: 'L4', matchedOn: 'name-and-company' } });
      await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L2' });
      expect(await store.get(F, 's-1')).toEqual({ ...begun, target: { outcome: 'created', leadId: 'L2' } });
    });

    it('completes once: completing again keeps the first time', async () => {
      await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      await store.complete(F, 's-1', '2026-03-01T09:00:02.000Z');
      expect((await store.get(F, 's-1'))!.completedAt).toBe('2026-03-01T09:00:01.000Z');
    });

    it('retargets and completes nothing it has not begun', async () => {
      await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L1' });
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      expect(await store.get(F, 's-1')).toBeNull();
      await store.begin(F, 's-2', { outcome: 'created', leadId: 'L2' }, '2026-03-01T09:00:00.000Z');
      await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      expect((await store.get(F, 's-2'))!.status).toBe('pending');
    });

    it('keeps submission ids per form', async () => {
      await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      expect(await store.get('00000000-0000-4000-8000-000000000000', 's-1')).toBeNull();
    });

    it('keeps each submission apart: ids compared exactly, case included', async () => {
      const G = '00000000-0000-4000-8000-000000000000';
      await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      await store.begin(G, 's-1', { outcome: 'created', leadId: 'L2' }, '2026-03-01T09:00:01.000Z');
      await store.begin(F, 'S-1', { outcome: 'created', leadId: 'L3' }, '2026-03-01T09:00:02.000Z');
      await store.complete(G, 's-1', '2026-03-01T09:00:03.000Z');
      expect((await store.get(F, 's-1'))!.target.leadId).toBe('L1');
      expect((await store.get(F, 's-1'))!.status).toBe('pending');
      expect((await store.get(G, 's-1'))!.target.leadId).toBe('L2');
      expect((await store.get(G, 's-1'))!.status).toBe('done');
      expect((await store.get(F, 'S-1'))!.target.leadId).toBe('L3');
      expect(await store.get(F, 's-1 ')).toBeNull();
    });

    it('is read by another store on the same place (another api replica, a restart)', async () => {
      const begun = await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
      const other = open();
      expect(await other.get(F, 's-1')).toEqual(begun);
      await other.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
      expect(await store.get(F, 's-1')).toEqual({ ...begun, status: 'done', completedAt: '2026-03-01T09:00:01.000Z' });
    });

    it('records a submission begun by two stores at once only once, and both answer the one recorded', async () => {
      const other = open();
      const [one, two] = await Promise.all([
        store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z'),
        other.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L2', matchedOn: 'email' }, '2026-03-01T09:00:00.001Z'),
      ]);
      expect(two).toEqual(one);
      expect(await store.get(F, 's-1')).toEqual(one);
      expect([
        { outcome: 'created', leadId: 'L1' },
        { outcome: 'duplicate', leadId: 'L2', matchedOn: 'email' },
      ]).toContainEqual(one.target);
    });
  });
}
