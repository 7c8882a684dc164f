import { DomainError } from '@pipeline-ledger/domain';
import { feedFromSchema } from '@pipeline-ledger/contracts';
import { z } from 'zod';
import { parseQuery } from '../read-side/query-params';
import { FeedFilter, feedFilterSchema } from './feed-message';

/** A comma-separated query value (or the parameter repeated) as a list; empty items dropped. */
const list = z.preprocess((value) => {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}, z.array(z.string()).optional());

/** A global position as a decimal string: what a subscriber got in `position` or the SSE `id`. */
const POSITION = /^\d{1,39}$/;

const feedQuery = z.strictObject({
  /** start: the whole history; end: only what is appended from now on; a position: the events after it. */
  from: feedFromSchema,
  types: list,
  streams: list,
});

export interface FeedRequest {
  /** Deliver events after this position; null: from the very first event; 'end': from the head at connect. */
  after: bigint | null | 'end';
  filter: FeedFilter;
}

/**
 * GET /events parameters: `from`, `types` (event types), `streams` (stream id prefixes, e.g. `lead-`); a
 * `Last-Event-ID` header (an EventSource reconnecting) overrides `from` and resumes after that position.
 */
export function parseFeedRequest(query: unknown, lastEventId: string | undefined): FeedRequest {
  const q = parseQuery(feedQuery, query);
  const parsed = feedFilterSchema.safeParse({ eventTypes: q.types, streamPrefixes: q.streams });
  if (!parsed.success) {
    const param: Record<string, string> = { eventTypes: 'types', streamPrefixes: 'streams' };
    throw DomainError.invalid(parsed.error.issues.map((i) => ({ field: [param[String(i.path[0])] ?? String(i.path[0]), ...i.path.slice(1)].join('.'), reason: i.message })));
  }
  const filter: FeedFilter = parsed.data;
  if (lastEventId !== undefined && lastEventId.trim() !== '') {
    const id = lastEventId.trim();
    // The same rule as `from`: a decimal of up to 128 bits (a larger one used to end the stream instead of being refused).
    if (!POSITION.test(id) || !feedFromSchema.safeParse(id).success) {
      throw DomainError.invalid([{ field: 'Last-Event-ID', reason: 'must be a global position, as sent in the id of an event' }]);
    }
    return { after: BigInt(id), filter };
  }
  if (q.from === 'start') return { after: null, filter };
  if (q.from === 'end') return { after: 'end', filter };
  return { after: BigInt(q.from), filter };
}
