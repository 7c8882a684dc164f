/**
 * Refusals are values. The API maps `kind` to a status code in one place:
 * validation -> 400, not_found -> 404, rule -> 409, concurrency -> 409.
 */
export type DomainErrorKind = 'validation' | 'not_found' | 'rule' | 'concurrency';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "opportunity.amount". */
  field: string;
  reason: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, machine-readable code, e.g. LEAD_CONVERTED. */
    readonly code: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }

  static validation(field: string, reason: string): DomainError {
    return new DomainError('validation', 'VALIDATION_FAILED', `${field}: ${reason}`, [{ field, reason }]);
  }

  static invalid(issues: readonly FieldIssue[]): DomainError {
    return new DomainError('validation', 'VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), issues);
  }

  static notFound(record: string, id: string): DomainError {
    return new DomainError('not_found', `${record.toUpperCase()}_NOT_FOUND`, `${record} ${id} does not exist`);
  }

  static rule(code: string, message: string): DomainError {
    return new DomainError('rule', code, message);
  }
}
