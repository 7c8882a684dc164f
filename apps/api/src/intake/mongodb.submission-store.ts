import { Collection } from 'mongodb';
import { MongoStoreOptions, recordCollection } from '../infrastructure/mongodb-records';
import {
  beginUpdate,
  byKey,
  completeUpdate,
  isDuplicateKey,
  pendingByKey,
  retargetUpdate,
  SubmissionDocument,
  submissionRecordOf,
} from './mongodb-submission-mapping';
import { SubmissionRecord, SubmissionStore, SubmissionTarget } from './submission-store.port';

export const INTAKE_SUBMISSIONS_COLLECTION = 'intake_submissions';

/** A begin that lost a race to insert finds the winner's document on its second try (nothing ever deletes one). */
const BEGIN_ATTEMPTS = 2;

/**
 * Submissions seen, on MongoDB (production): one document per (form, submission id) in `intake_submissions`, the
 * pair as its `_id` (see mongodb-submission-mapping.ts), so the `_id` index, unique and always there, is the key and
 * no index has to be made. See SubmissionStore for the write-ahead rule this serves. The collection sits in the
 * database the other stores use (`data_keys`, `checkpoints`, the read models' `rm_*`): its name clashes with none.
 *
 * Each write is one single-document operation, atomic as SQLite's statement is:
 * - begin is one findOneAndUpdate upserting by `_id` with $setOnInsert only: it inserts the pending submission, or
 *   matches the one already there and changes nothing, and answers the document in force either way. Two api
 *   replicas beginning the same submission at once cannot both insert: the `_id` index lets one insert through, and
 *   the other either matches it or fails with a duplicate key error (MongoDB retries such an upsert itself when its
 *   filter is an equality on the unique index, as this one is; if it does not, this store tries once more, and
 *   matches). Both then answer the same target, so one lead is created, by whichever writes its events first, and
 *   the other's writes are no-ops (deterministic event ids).
 * - retarget and complete are one updateOne each, guarded by status 'pending' (so a done submission is never
 *   changed, and a second completion keeps the first time), never upserting (nothing is made for a submission that
 *   was not begun).
 * The answer of a begin that matched (changed nothing) is acknowledged like a write: the server waits until what it
 * had applied by then, the other replica's insert included, is majority-committed before answering.
 */
export class MongoSubmissionStore implements SubmissionStore {
  private readonly submissions: Collection<SubmissionDocument>;
  private readonly release: () => Promise<void>;

  constructor(options: MongoStoreOptions) {
    ({ collection: this.submissions, close: this.release } = recordCollection<SubmissionDocument>(options, INTAKE_SUBMISSIONS_COLLECTION));
  }

  async get(formId: string, submissionId: string): Promise<SubmissionRecord | null> {
    const document = await this.submissions.findOne(byKey(formId, submissionId));
    return document ? submissionRecordOf(document) : null;
  }

  async begin(formId: string, submissionId: string, target: SubmissionTarget, at: string): Promise<SubmissionRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        const inForce = await this.submissions.findOneAndUpdate(byKey(formId, submissionId), beginUpdate(target, at), { upsert: true, returnDocument: 'after' });
        if (!inForce) throw new Error(`beginning submission ${submissionId} of form ${formId}: the upsert answered no document`);
        return submissionRecordOf(inForce);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= BEGIN_ATTEMPTS) throw error;
      }
    }
  }

  async retarget(formId: string, submissionId: string, target: SubmissionTarget): Promise<void> {
    await this.submissions.updateOne(pendingByKey(formId, submissionId), retargetUpdate(target));
  }

  async complete(formId: string, submissionId: string, at: string): Promise<void> {
    await this.submissions.updateOne(pendingByKey(formId, submissionId), completeUpdate(at));
  }

  async close(): Promise<void> {
    await this.release();
  }
}
