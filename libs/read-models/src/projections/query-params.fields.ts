import { isCalendarDate } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { DEFAULT_TIME_BASIS, TIME_BASES } from './time-basis';

/**
 * Building blocks of the query-parameter schemas. Query strings arrive as strings (or arrays of strings for a
 * repeated parameter), so lists accept "a,b" as well as a=a&a=b, and numbers are parsed from text. Every message
 * is the reason part of a `{field, reason}` issue: the field is the parameter's name (the issue's path).
 */

export const DATE_REASON = 'must be a date, YYYY-MM-DD';

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export const dateParam = z.string({ error: DATE_REASON }).trim().refine(isCalendarDate, DATE_REASON);

/** Whose days an analytics window follows (time-basis.ts): occurred (business time, the default) or recorded. */
export const timeBasisParam = z.enum(TIME_BASES, { error: `must be one of ${TIME_BASES.join(', ')}` }).default(DEFAULT_TIME_BASIS);

/** Free text: trimmed, not empty. */
export const textParam = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** "a,b" or ["a", "b"] or ["a,b", "c"]: trimmed, without empty items or repeats. */
function splitList(value: unknown): unknown {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) return value;
  const parts = (items as string[]).flatMap((item) => item.split(',')).map((part) => part.trim()).filter((part) => part !== '');
  return [...new Set(parts)];
}

/** A list of values out of a fixed set; one issue on the parameter itself naming the valid values and the wrong ones. */
export function oneOfListParam<T extends string>(allowed: readonly T[]) {
  const reason = `must be one of ${allowed.join(', ')}`;
  return z.preprocess(
    splitList,
    z
      .array(z.string(), { error: `${reason} (comma-separated)` })
      .superRefine((values, ctx) => {
        const unknown = values.filter((v) => !(allowed as readonly string[]).includes(v));
        if (unknown.length) ctx.addIssue({ code: 'custom', message: `${reason}; got ${unknown.map((v) => `"${v}"`).join(', ')}` });
      })
      .transform((values) => values as T[]),
  );
}

/** A list of free-text values (statuses and stages are configurable, so any name is allowed). */
export function textListParam(max: number, maxItems = 50) {
  return z.preprocess(
    splitList,
    z
      .array(z.string().max(max, `each value must be at most ${max} characters`), { error: 'must be text (comma-separated for several)' })
      .min(1, 'must not be empty')
      .max(maxItems, `must have at most ${maxItems} values`),
  );
}

/** A whole number written in decimal, from min to max. */
export function wholeNumberParam(min: number, max: number) {
  const reason = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number({ error: reason }).int(reason).min(min, reason).max(max, reason),
  );
}

/** Sorting: a field name, "-" in front for descending (e.g. "-createdAt"). */
export function sortParam<T extends string>(fields: readonly T[]) {
  const reason = `must be one of ${fields.join(', ')}, with a leading "-" for descending`;
  return z
    .string({ error: reason })
    .trim()
    .refine((value) => (fields as readonly string[]).includes(value.replace(/^-/, '')), reason)
    .transform((value) => ({ field: value.replace(/^-/, '') as T, direction: value.startsWith('-') ? ('desc' as const) : ('asc' as const) }));
}

/** An object of query parameters where an unknown one is refused, so a typo is not silently ignored. */
export function queryParamsObject<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : undefined),
  });
}

/**
 * Refuses a window whose start is after its end, with the issue on the start parameter. Checked only when both
 * are real dates (a malformed one has its own issue already); dates written YYYY-MM-DD compare correctly as text.
 */
export function windowCheck(fromField: string, toField: string) {
  return (params: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const from = params[fromField];
    const to = params[toField];
    if (isCalendarDate(from) && isCalendarDate(to) && from > to) {
      ctx.addIssue({ code: 'custom', path: [fromField], message: `must be on or before ${toField} (${to}); got ${from}` });
    }
  };
}
