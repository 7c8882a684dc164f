import { PipeTransform } from '@nestjs/common';
import { DomainError } from '@pipeline-ledger/domain';
import { z } from 'zod';

/** Validates a request body against a zod schema: 400 naming every offending field and the reason. */
export class ZodBodyPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    throw DomainError.invalid(
      parsed.error.issues.map((issue) => ({
        field: issue.path.length ? issue.path.join('.') : 'body',
        reason: issue.message,
      })),
    );
  }
}

/** Parses with a schema, for values that are not bodies (ids, headers). */
export function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown, field: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw DomainError.validation(field, parsed.error.issues[0]?.message ?? 'invalid');
}
