import { z } from 'zod';

/** The query of `GET /events` (the SSE feed), for the AsyncAPI document. The api's own parser is apps/api/src/feed. */
export const feedQuerySchema = z
  .object({
    from: z
      .string()
      .regex(/^(start|end|\d{1,19})$/)
      .default('start')
      .describe('`start` (the default): the whole history, from position 0; `end`: only what is appended from now on; a global position: the events after it (the last one you have)'),
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
