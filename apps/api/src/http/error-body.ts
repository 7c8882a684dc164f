import { FieldIssue } from '@pipeline-ledger/domain';

/** The one shape of every error the API returns. */
export interface ErrorBody {
  statusCode: number;
  /** Stable machine-readable code, e.g. VALIDATION_FAILED, LEAD_CONVERTED, CONCURRENCY_CONFLICT. */
  error: string;
  message: string;
  /** For 400s: every offending field and why. */
  issues?: readonly FieldIssue[];
}
