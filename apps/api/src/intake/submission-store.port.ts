import { DuplicateMatch } from '@pipeline-ledger/domain';

/** What a submission does: create a new lead, or record a duplicate on an existing one. */
export type SubmissionTarget = { outcome: 'created'; leadId: string } | { outcome: 'duplicate'; leadId: string; matchedOn: DuplicateMatch };

export interface SubmissionRecord {
  formId: string;
  submissionId: string;
  target: SubmissionTarget;
  /** pending: decided, maybe not written yet; done: written (the submission was answered as received). */
  status: 'pending' | 'done';
  receivedAt: string;
  completedAt: string | null;
}

/**
 * The web-to-lead submissions seen, per form and submission id: what makes a submission idempotent. Holds no
 * personal data: ids, the outcome and the times.
 *
 * Written ahead: the target (which lead, created or matched) is recorded as pending before anything is appended, and
 * marked done after. A submission that comes again finds it: done, it writes nothing; pending (the process died in
 * between, or the append failed), it is written to the same target again, which the write side's deterministic event
 * ids make a no-op if the first write got through. So nothing answered as received is lost, and nothing is written twice.
 *
 * Adapters: sqlite.submission-store.ts (`<DATA_DIR>/intake.sqlite`), mongodb.submission-store.ts (production: the
 * `intake_submissions` collection); both pass submission-store.contract.ts.
 */
export interface SubmissionStore {
  get(formId: string, submissionId: string): Promise<SubmissionRecord | null>;
  /** Records a pending submission, unless one is recorded already; answers the one in force (the earlier one wins). */
  begin(formId: string, submissionId: string, target: SubmissionTarget, at: string): Promise<SubmissionRecord>;
  /** Points a pending submission elsewhere (its duplicate's lead can no longer take it: a new lead instead). */
  retarget(formId: string, submissionId: string, target: SubmissionTarget): Promise<void>;
  complete(formId: string, submissionId: string, at: string): Promise<void>;
  close(): Promise<void>;
}

export const SUBMISSION_STORE = Symbol('SUBMISSION_STORE');
