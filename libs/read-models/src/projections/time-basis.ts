import { StoredEvent } from '@pipeline-ledger/event-store';
import { Filter } from '../read-model-store.port';
import { businessDay } from './business-time';

/**
 * Which time an analytics window and its day or month grouping follow:
 * - occurred: when it happened in the business (an event's own date field, else metadata.occurredAt; see
 *   business-time.ts). An import of another system's history lands in the days it happened. The default.
 * - recorded: when our store recorded the event (metadata.recordedAt): what we knew by then; an import's day shows
 *   as a spike.
 */
export const TIME_BASES = ['occurred', 'recorded'] as const;
export type TimeBasis = (typeof TIME_BASES)[number];
export const DEFAULT_TIME_BASIS: TimeBasis = 'occurred';

/**
 * Which bases a dated counter row counts for. A count whose occurred day (or month) is its recorded day, as for
 * every event entered live, is written once, `both`; only a back-dated one (an import, a late entry) is written
 * twice: once on its occurred day (`occurred`) and once on its recorded day (`recorded`). So live traffic writes no
 * more counters than one basis alone would, and a query on one basis adds up `both` and its own rows.
 */
export type CountedFor = 'both' | TimeBasis;

/** The field of a dated counter document that says which basis it counts for. */
export const COUNTED_FOR_FIELD = 'timeBasis';

/** The filter that picks the rows counting for a basis: `both` and its own. */
export function countedForFilter(basis: TimeBasis | undefined): Filter {
  return { field: COUNTED_FOR_FIELD, op: 'in', value: ['both', basis ?? DEFAULT_TIME_BASIS] };
}

/** The UTC calendar day (YYYY-MM-DD) the store recorded an event on. */
export function recordedDay(event: StoredEvent): string {
  return businessDay(event.metadata.recordedAt);
}
