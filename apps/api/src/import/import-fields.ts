import { z } from 'zod';
import { ColumnPlan, ImportMapping, fieldsOf } from './column-mapping';

/**
 * A moment in the past from an import file: an ISO 8601 date (midnight UTC) or date and time with its offset
 * ("2025-03-01", "2025-03-01T14:30:00Z", "2025-03-01T14:30:00+01:00"); answered as ISO 8601 UTC. A time without an
 * offset is refused: the zone it was meant in cannot be known.
 */
export const pastInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (YYYY-MM-DD) or a date and time with its offset (2025-03-01T14:30:00Z)' })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
  .refine((d) => d.getTime() <= Date.now(), 'must not be in the future')
  .transform((d) => d.toISOString());

/** "field: reason; field: reason" from a zod error, for a report line. */
export function zodReasons(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'row'}: ${issue.message}`).join('; ');
}

/** A cell read as UTF-8 that was not (the replacement character): the file is in another encoding. */
export function looksMisdecoded(fields: Record<string, string | undefined>): string | null {
  for (const [field, value] of Object.entries(fields)) {
    if (value?.includes('\uFFFD')) return `${field}: is not valid UTF-8 (is the file in another encoding? try --encoding latin1)`;
  }
  return null;
}

/** A row's cells as our fields, validated by `schema`: its data, or why it is refused (not valid UTF-8, or the schema's reasons). */
export function validRow<S extends z.ZodType>(schema: S, plan: ColumnPlan, cells: readonly string[], mapping: ImportMapping): { ok: true; data: z.output<S> } | { ok: false; reason: string } {
  const fields = fieldsOf(plan, cells, mapping);
  const misdecoded = looksMisdecoded(fields);
  if (misdecoded) return { ok: false, reason: misdecoded };
  const parsed = schema.safeParse(fields);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, reason: zodReasons(parsed.error) };
}
