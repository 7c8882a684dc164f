import { DomainError, FieldIssue } from './domain-error';

/** Input checks shared by the deciders. Each check returns the issue it found, or null. */

/** True for anything that is not a string with at least one non-space character. */
export function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

export function requireText(field: string, value: unknown): FieldIssue | null {
  return isBlank(value) ? { field, reason: 'is required and must not be empty' } : null;
}

/** Optional free-text fields: a string or null (undefined is treated by callers as "not given"). */
export function optionalText(field: string, value: unknown): FieldIssue | null {
  return value === null || typeof value === 'string' ? null : { field, reason: 'must be text or null' };
}

export function oneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

export function requireOneOf(field: string, allowed: readonly string[], value: unknown, nullable = false): FieldIssue | null {
  if (nullable && value === null) return null;
  if (oneOf(allowed, value)) return null;
  return { field, reason: `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}${nullable ? ' or null' : ''}` };
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function requireCalendarDate(field: string, value: unknown): FieldIssue | null {
  return isCalendarDate(value) ? null : { field, reason: 'must be a calendar date written YYYY-MM-DD' };
}

/** Gathers the issues found (ignoring nulls) into one validation refusal, or null when there are none. */
export function refusalFor(...checks: ReadonlyArray<FieldIssue | null | readonly FieldIssue[]>): DomainError | null {
  const issues = checks.flatMap((check) => (check === null ? [] : Array.isArray(check) ? check : [check as FieldIssue]));
  return issues.length ? DomainError.invalid(issues) : null;
}
