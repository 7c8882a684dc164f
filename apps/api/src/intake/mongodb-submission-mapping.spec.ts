import { BSON, MongoError, MongoServerError } from 'mongodb';
import {
  beginUpdate,
  byKey,
  completeUpdate,
  isDuplicateKey,
  pendingByKey,
  retargetUpdate,
  SubmissionDocument,
  submissionKey,
  submissionRecordOf,
  targetFields,
} from './mongodb-submission-mapping';
import { SubmissionTarget } from './submission-store.port';

/** Through BSON and back, as a document goes to the server and comes back from it. */
const roundTrip = <T>(document: object): T => BSON.deserialize(BSON.serialize(document)) as T;

/** The document an upsert inserts: its filter's _id and its $setOnInsert fields. */
const insertedBy = (filter: object, update: object): SubmissionDocument =>
  roundTrip<SubmissionDocument>({ ...filter, ...(update as { $setOnInsert: object }).$setOnInsert });

/** A stored document with some of its fields changed by a $set, as the server would apply it. */
const afterSet = (document: SubmissionDocument, update: object): SubmissionDocument =>
  roundTrip<SubmissionDocument>({ ...document, ...(update as { $set: object }).$set });

describe('MongoSubmissionStore mapping', () => {
  const F = '6a8e26e5-65c7-4f59-a4f8-1768ffd32718';
  const AT = '2026-03-01T09:00:00.000Z';
  const created: SubmissionTarget = { outcome: 'created', leadId: 'L1' };
  const duplicate: SubmissionTarget = { outcome: 'duplicate', leadId: 'L2', matchedOn: 'name-and-company' };

  describe('the key', () => {
    it('is the form id then the submission id, always in that order of fields (MongoDB compares embedded documents in order)', () => {
      const key = submissionKey(F, 's-1');
      expect(Object.keys(key)).toEqual(['formId', 'submissionId']);
      expect(Buffer.from(BSON.serialize({ _id: key }))).toEqual(Buffer.from(BSON.serialize({ _id: { formId: F, submissionId: 's-1' } })));
    });

    it('selects a submission by its key alone, or only while it is pending', () => {
      expect(byKey(F, 's-1')).toEqual({ _id: { formId: F, submissionId: 's-1' } });
      expect(Object.keys(byKey(F, 's-1'))).toEqual(['_id']); // an equality on the unique _id alone: see beginUpdate
      expect(pendingByKey(F, 's-1')).toEqual({ _id: { formId: F, submissionId: 's-1' }, status: 'pending' });
    });

    it('keeps ids exactly as given: case, punctuation, the longest a submission id may be', () => {
      const long = `${'x'.repeat(121)}-Ab:/#~`; // 128 printable ASCII characters
      expect(insertedBy(byKey(F, long), beginUpdate(created, AT))._id).toEqual({ formId: F, submissionId: long });
    });
  });

  describe('beginUpdate', () => {
    it('only ever inserts: a pending submission with its target and the time it was received', () => {
      expect(beginUpdate(created, AT)).toEqual({
        $setOnInsert: { outcome: 'created', leadId: 'L1', matchedOn: null, status: 'pending', receivedAt: AT, completedAt: null },
      });
      expect(Object.keys(beginUpdate(duplicate, AT))).toEqual(['$setOnInsert']);
    });

    it('makes, with the filter by key, the document that reads back as the pending submission', () => {
      for (const target of [created, duplicate]) {
        const document = insertedBy(byKey(F, 's-1'), beginUpdate(target, AT));
        expect(submissionRecordOf(document)).toEqual({ formId: F, submissionId: 's-1', target, status: 'pending', receivedAt: AT, completedAt: null });
      }
    });
  });

  describe('retargetUpdate', () => {
    it('replaces the whole target: a new lead clears the match', () => {
      expect(retargetUpdate(created)).toEqual({ $set: { outcome: 'created', leadId: 'L1', matchedOn: null } });
      const begun = insertedBy(byKey(F, 's-1'), beginUpdate(duplicate, AT));
      expect(submissionRecordOf(afterSet(begun, retargetUpdate(created))).target).toEqual(created);
    });

    it('replaces a match with another', () => {
      const begun = insertedBy(byKey(F, 's-1'), beginUpdate({ outcome: 'duplicate', leadId: 'L1', matchedOn: 'email' }, AT));
      expect(submissionRecordOf(afterSet(begun, retargetUpdate(duplicate))).target).toEqual(duplicate);
    });
  });

  it('completes: done, at the time given', () => {
    expect(completeUpdate('2026-03-01T09:00:01.000Z')).toEqual({ $set: { status: 'done', completedAt: '2026-03-01T09:00:01.000Z' } });
    const begun = insertedBy(byKey(F, 's-1'), beginUpdate(created, AT));
    expect(submissionRecordOf(afterSet(begun, completeUpdate('2026-03-01T09:00:01.000Z')))).toEqual({
      formId: F,
      submissionId: 's-1',
      target: created,
      status: 'done',
      receivedAt: AT,
      completedAt: '2026-03-01T09:00:01.000Z',
    });
  });

  it('gives a target of a new lead no match at all', () => {
    expect(targetFields(created)).toEqual({ outcome: 'created', leadId: 'L1', matchedOn: null });
    const record = submissionRecordOf(insertedBy(byKey(F, 's-1'), beginUpdate(created, AT)));
    expect(Object.keys(record.target)).toEqual(['outcome', 'leadId']);
  });

  it('takes a missing completion time as null', () => {
    const { completedAt: _, ...document } = insertedBy(byKey(F, 's-1'), beginUpdate(created, AT));
    expect(submissionRecordOf(document as SubmissionDocument).completedAt).toBeNull();
  });

  it.each([
    ['an _id that is not a key', { _id: 's-1' }],
    ['an _id without its submission id', { _id: { formId: F } }],
    ['an unknown outcome', { outcome: 'merged' }],
    ['no lead', { leadId: null }],
    ['an unknown status', { status: 'failed' }],
    ['no time received', { receivedAt: undefined }],
    ['a completion time that is not a string', { completedAt: new Date(AT) }],
    ['a duplicate without its match', { outcome: 'duplicate', matchedOn: null }],
    ['a duplicate with an unknown match', { outcome: 'duplicate', matchedOn: 'phone' }],
  ])('refuses a document that SQLite would never hold: %s', (_, change) => {
    const document = { ...insertedBy(byKey(F, 's-1'), beginUpdate(created, AT)), ...change } as unknown as SubmissionDocument;
    expect(() => submissionRecordOf(document)).toThrow(TypeError);
  });

  it("tells MongoDB's duplicate key error from others", () => {
    expect(isDuplicateKey(new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 }))).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ message: 'WriteConflict', code: 112 }))).toBe(false);
    expect(isDuplicateKey(new MongoError('E11000 duplicate key error'))).toBe(false);
    expect(isDuplicateKey(Object.assign(new Error('E11000'), { code: 11000 }))).toBe(false);
  });
});
