import { z } from 'zod';

const FROM_REASON = 'must be start, end or a global position (the last one you have), e.g. "1234"';
/** Positions are up to 128 bits: SQLite's fit in 64, EventStoreDB's commit/prepare pair takes up to 128. */
const MAX_POSITION = 2n ** 128n - 1n;

/**
 * Where a subscriber starts, on the SSE feed (`from`) and for a webhook subscription alike: `start`, `end`, or a global
 * position (a non-negative integer of up to 128 bits, as a decimal string) whose events after it are wanted.
 */
export const feedFromSchema = z
  .string({ error: FROM_REASON })
  .regex(/^(start|end|\d{1,39})$/, FROM_REASON)
  .refine((v) => !/^\d{1,39}$/.test(v) || BigInt(v) <= MAX_POSITION, FROM_REASON) // one issue, not two, when the regex fails
  .default('start')
  .describe('`start` (the default): the whole history, from position 0; `end`: only what is appended from now on; a global position: the events after it (the last one you have)');

/** The query of `GET /events` (the SSE feed), for the AsyncAPI document. The api parses `from` with feedFromSchema too. */
export const feedQuerySchema = z
  .object({
    from: feedFromSchema,
    types: z
      .string()
      .describe('Comma-separated event types to receive, e.g. `LeadConverted,OpportunityStageChanged`; none: every type')
      .optional(),
    streams: z
      .string()
      .describe('Comma-separated stream id prefixes, e.g. `lead-` or `opportunity-` (or one record: `lead-<id>`); none: every stream')
      .optional(),
  })
  .meta({ title: 'GET /events query' });
