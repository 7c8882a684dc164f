import { Filter, MongoServerError, UpdateFilter } from 'mongodb';
import { DUPLICATE_MATCHES, DuplicateMatch } from '@pipeline-ledger/domain';
import { SubmissionRecord, SubmissionTarget } from './submission-store.port';

/**
 * How MongoSubmissionStore lays a submission out as a document, and the writes it sends: pure functions, unit-tested
 * without a server (mongodb-submission-mapping.spec.ts).
 */

/**
 * A submission's key, as its `_id`: the form and the submission id, in that order of fields. MongoDB compares an
 * embedded document field by field in order, so the key is only ever made by submissionKey(); the `_id` index,
 * unique and always there, then does what SQLite's PRIMARY KEY (form_id, submission_id) does, and no other index is
 * needed.
 */
export interface SubmissionKey {
  formId: string;
  submissionId: string;
}

/**
 * A submission seen: its key, its target in SQLite's columns (outcome, leadId, matchedOn: null unless a duplicate),
 * its status, and the times as the port's ISO strings, kept character for character. No personal data.
 */
export interface SubmissionDocument {
  _id: SubmissionKey;
  outcome: SubmissionTarget['outcome'];
  leadId: string;
  matchedOn: DuplicateMatch | null;
  status: SubmissionRecord['status'];
  receivedAt: string;
  completedAt: string | null;
}

export function submissionKey(formId: string, submissionId: string): SubmissionKey {
  return { formId, submissionId };
}

/** The submission under this key, whatever its status. */
export function byKey(formId: string, submissionId: string): Filter<SubmissionDocument> {
  return { _id: submissionKey(formId, submissionId) };
}

/** The submission under this key while it is pending: what retarget and complete change (SQLite: AND status = 'pending'). */
export function pendingByKey(formId: string, submissionId: string): Filter<SubmissionDocument> {
  return { _id: submissionKey(formId, submissionId), status: 'pending' };
}

/** A target as the document's fields: all three always set, so that a new target replaces the whole of the old one. */
export function targetFields(target: SubmissionTarget): Pick<SubmissionDocument, 'outcome' | 'leadId' | 'matchedOn'> {
  return { outcome: target.outcome, leadId: target.leadId, matchedOn: target.outcome === 'duplicate' ? target.matchedOn : null };
}

/**
 * Beginning, with byKey() and upsert: inserts a pending submission when there is none under the key, and changes
 * nothing when there is one (SQLite's INSERT ... ON CONFLICT DO NOTHING), the earlier one winning. The new
 * document's `_id` is the filter's.
 */
export function beginUpdate(target: SubmissionTarget, at: string): UpdateFilter<SubmissionDocument> {
  return { $setOnInsert: { ...targetFields(target), status: 'pending', receivedAt: at, completedAt: null } };
}

/** Retargeting, with pendingByKey(): the whole target replaced. */
export function retargetUpdate(target: SubmissionTarget): UpdateFilter<SubmissionDocument> {
  return { $set: targetFields(target) };
}

/** Completing, with pendingByKey(): done, at this time (so a second completion keeps the first time). */
export function completeUpdate(at: string): UpdateFilter<SubmissionDocument> {
  return { $set: { status: 'done', completedAt: at } };
}

const OUTCOMES: readonly string[] = ['created', 'duplicate'] satisfies SubmissionTarget['outcome'][];
const STATUSES: readonly string[] = ['pending', 'done'] satisfies SubmissionRecord['status'][];

/**
 * A submission document as the port answers it. What SQLite's CHECK constraints and NOT NULL columns would never let
 * into its table is refused here (a TypeError naming the field), rather than answered as a target nobody decided.
 */
export function submissionRecordOf(document: SubmissionDocument): SubmissionRecord {
  const { _id: key, outcome, leadId, matchedOn, status, receivedAt, completedAt } = document;
  const where = `the submission document ${JSON.stringify(key)}`;
  if (typeof key !== 'object' || key === null || typeof key.formId !== 'string' || typeof key.submissionId !== 'string') {
    throw new TypeError(`${where}: its _id must be { formId, submissionId }, two strings`);
  }
  if (!OUTCOMES.includes(outcome)) throw new TypeError(`${where}: outcome must be one of ${OUTCOMES.join(', ')}`);
  if (typeof leadId !== 'string') throw new TypeError(`${where}: leadId must be a string`);
  if (!STATUSES.includes(status)) throw new TypeError(`${where}: status must be one of ${STATUSES.join(', ')}`);
  if (typeof receivedAt !== 'string') throw new TypeError(`${where}: receivedAt must be a string`);
  if (completedAt != null && typeof completedAt !== 'string') throw new TypeError(`${where}: completedAt must be a string or null`);
  let target: SubmissionTarget;
  if (outcome === 'duplicate') {
    if (!(DUPLICATE_MATCHES as readonly unknown[]).includes(matchedOn)) throw new TypeError(`${where}: matchedOn must be one of ${DUPLICATE_MATCHES.join(', ')}`);
    target = { outcome, leadId, matchedOn: matchedOn as DuplicateMatch };
  } else {
    target = { outcome, leadId };
  }
  return { formId: key.formId, submissionId: key.submissionId, target, status, receivedAt, completedAt: completedAt ?? null };
}

/** MongoDB's duplicate key error: two upserts of the same new key at once, one of them inserting. */
export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
