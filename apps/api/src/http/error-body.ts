import { FieldIssue } from '@pipeline-ledger/domain';

/** The one shape of every error the API returns. */
export interface ErrorBody {
  statusCode: number;
  /** Stable machine-readable code, e.g. VALIDATION_FAILED, LEAD_CONVERTED, CONCURRENCY_CONFLICT, UNAUTHENTICATED, FORBIDDEN. */
  error: string;
  message: string;
  /** For 400s: every offending field and why. */
  issues?: readonly FieldIssue[];
  /** For 403 FORBIDDEN: the roles that may call the route. */
  requiredRoles?: readonly string[];
  /** For 403 PII_GRANT_REQUIRED: the grant that is missing (`pii`). */
  requiredGrant?: string;
}
