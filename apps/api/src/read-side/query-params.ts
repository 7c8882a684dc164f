import { DomainError } from '@pipeline-ledger/domain';
import { z } from 'zod';

/** Parses query parameters with a zod schema: 400 naming every bad parameter and the reason. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  throw DomainError.invalid(parsed.error.issues.map((i) => ({ field: i.path.length ? i.path.join('.') : 'query', reason: i.message })));
}
