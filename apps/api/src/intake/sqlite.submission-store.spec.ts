import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSubmissionStore } from './sqlite.submission-store';

describe('submissions seen, in intake.sqlite', () => {
  let dir: string;
  let store: SqliteSubmissionStore;
  const F = '6a8e26e5-65c7-4f59-a4f8-1768ffd32718';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'submission-store-'));
    store = new SqliteSubmissionStore(join(dir, 'intake.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a submission as pending with its target, then done', async () => {
    expect(await store.get(F, 's-1')).toBeNull();
    const begun = await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
    expect(begun).toEqual({ formId: F, submissionId: 's-1', target: { outcome: 'created', leadId: 'L1' }, status: 'pending', receivedAt: '2026-03-01T09:00:00.000Z', completedAt: null });
    await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
    expect(await store.get(F, 's-1')).toEqual({ ...begun, status: 'done', completedAt: '2026-03-01T09:00:01.000Z' });
  });

  it('keeps the first target when the same submission begins again (the earlier one wins)', async () => {
    await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' }, '2026-03-01T09:00:00.000Z');
    const again = await store.begin(F, 's-1', { outcome: 'created', leadId: 'L2' }, '2026-03-01T09:05:00.000Z');
    expect(again.target).toEqual({ outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' });
    expect(again.receivedAt).toBe('2026-03-01T09:00:00.000Z');
  });

  it('retargets a pending submission only', async () => {
    await store.begin(F, 's-1', { outcome: 'duplicate', leadId: 'L1', matchedOn: 'name-and-company' }, '2026-03-01T09:00:00.000Z');
    await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L2' });
    expect((await store.get(F, 's-1'))!.target).toEqual({ outcome: 'created', leadId: 'L2' });
    await store.complete(F, 's-1', '2026-03-01T09:00:01.000Z');
    await store.retarget(F, 's-1', { outcome: 'created', leadId: 'L3' });
    expect((await store.get(F, 's-1'))!.target).toEqual({ outcome: 'created', leadId: 'L2' });
  });

  it('keeps submission ids per form', async () => {
    await store.begin(F, 's-1', { outcome: 'created', leadId: 'L1' }, '2026-03-01T09:00:00.000Z');
    expect(await store.get('00000000-0000-4000-8000-000000000000', 's-1')).toBeNull();
  });
});
