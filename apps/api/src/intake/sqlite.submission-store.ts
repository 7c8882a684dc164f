import Database from 'better-sqlite3';
import { DuplicateMatch } from '@pipeline-ledger/domain';
import { openIntakeDatabase } from './intake-database';
import { SubmissionRecord, SubmissionStore, SubmissionTarget } from './submission-store.port';

interface Row {
  form_id: string;
  submission_id: string;
  outcome: 'created' | 'duplicate';
  lead_id: string;
  matched_on: string | null;
  status: 'pending' | 'done';
  received_at: string;
  completed_at: string | null;
}

/** Submissions seen, in `intake.sqlite` (intake-database.ts); see SubmissionStore for the write-ahead rule. */
export class SqliteSubmissionStore implements SubmissionStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<SqliteSubmissionStore['prepare']>;

  constructor(filename: string) {
    this.db = openIntakeDatabase(filename);
    this.statements = this.prepare();
  }

  private prepare() {
    return {
      get: this.db.prepare('SELECT * FROM intake_submissions WHERE form_id = ? AND submission_id = ?'),
      begin: this.db.prepare(
        `INSERT INTO intake_submissions (form_id, submission_id, outcome, lead_id, matched_on, status, received_at)
         VALUES (@formId, @submissionId, @outcome, @leadId, @matchedOn, 'pending', @at)
         ON CONFLICT (form_id, submission_id) DO NOTHING`,
      ),
      retarget: this.db.prepare(
        `UPDATE intake_submissions SET outcome = @outcome, lead_id = @leadId, matched_on = @matchedOn
         WHERE form_id = @formId AND submission_id = @submissionId AND status = 'pending'`,
      ),
      complete: this.db.prepare(
        `UPDATE intake_submissions SET status = 'done', completed_at = @at WHERE form_id = @formId AND submission_id = @submissionId AND status = 'pending'`,
      ),
    };
  }

  async get(formId: string, submissionId: string): Promise<SubmissionRecord | null> {
    const row = this.statements.get.get(formId, submissionId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async begin(formId: string, submissionId: string, target: SubmissionTarget, at: string): Promise<SubmissionRecord> {
    this.statements.begin.run({ formId, submissionId, ...targetColumns(target), at });
    return (await this.get(formId, submissionId))!;
  }

  async retarget(formId: string, submissionId: string, target: SubmissionTarget): Promise<void> {
    this.statements.retarget.run({ formId, submissionId, ...targetColumns(target) });
  }

  async complete(formId: string, submissionId: string, at: string): Promise<void> {
    this.statements.complete.run({ formId, submissionId, at });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function targetColumns(target: SubmissionTarget) {
  return { outcome: target.outcome, leadId: target.leadId, matchedOn: target.outcome === 'duplicate' ? target.matchedOn : null };
}

function fromRow(row: Row): SubmissionRecord {
  const target: SubmissionTarget =
    row.outcome === 'duplicate' ? { outcome: 'duplicate', leadId: row.lead_id, matchedOn: row.matched_on as DuplicateMatch } : { outcome: 'created', leadId: row.lead_id };
  return { formId: row.form_id, submissionId: row.submission_id, target, status: row.status, receivedAt: row.received_at, completedAt: row.completed_at };
}
