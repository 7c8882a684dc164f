import { Response } from 'express';
import { z } from 'zod';
import { parseOrRefuse } from './zod-body.pipe';
import { uuid } from './fields';

/** Sets the ETag (the stream revision, for If-Match) and marks answers that replay an earlier idempotent request. */
export function withRevision<T>(res: Response, outcome: { revision: number; replayed?: boolean }, body: T): T {
  res.setHeader('ETag', `"${outcome.revision}"`);
  if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return body;
}

/** A path id: a malformed one is a 400 naming it (an unknown well-formed one is a 404, later). */
export function pathId(value: string, field = 'id'): string {
  return parseOrRefuse(uuid as z.ZodType<string>, value, field);
}
