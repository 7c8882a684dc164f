/**
 * Time to convert (a lead's createdAt to its convertedAt) kept as a histogram in the counter documents, so that a
 * median or a 90th percentile over any window and any grouping is a sum of counters, never a scan of leads.
 *
 * Buckets are roughly log-spaced from 1 hour to 2 years, at durations people read easily (hours, days, weeks,
 * months); each holds conversions that took more than the previous bound and at most its own. One more bucket
 * holds anything over 2 years. A percentile is reported as the bucket it falls in: its upper bound is what the
 * answer leads with, and it is approximate to the bucket (at most about 1.5x the true value, 2x in the first
 * hours). Changing the bounds changes the documents: bump the projection's version.
 */

/** Upper bounds in hours: 1 h, 2 h, 4 h, 8 h, 12 h, 1 d, 2 d, 3 d, 5 d, 1 w, 10 d, 2 w, 3 w, 30 d, 45 d, 60 d, 90 d, 120 d, 180 d, 270 d, 1 y, 1.5 y, 2 y. */
export const TIME_TO_CONVERT_BOUNDS_HOURS: readonly number[] = [
  1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160, 2880, 4320, 6480, 8760, 13140, 17520,
];

const LAST_BOUND = TIME_TO_CONVERT_BOUNDS_HOURS[TIME_TO_CONVERT_BOUNDS_HOURS.length - 1] as number;
const OVERFLOW_FIELD = `ttc_gt_${LAST_BOUND}h`;

/** The counter fields, in bucket order: ttc_le_1h ... ttc_le_17520h, then ttc_gt_17520h. */
export const TIME_TO_CONVERT_FIELDS: readonly string[] = [...TIME_TO_CONVERT_BOUNDS_HOURS.map((h) => `ttc_le_${h}h`), OVERFLOW_FIELD];

/** The counter field a conversion that took `hours` adds 1 to. */
export function timeToConvertField(hours: number): string {
  const index = TIME_TO_CONVERT_BOUNDS_HOURS.findIndex((bound) => hours <= bound);
  return index === -1 ? OVERFLOW_FIELD : (TIME_TO_CONVERT_FIELDS[index] as string);
}

/** Where a percentile falls: more than `moreThanHours`, at most `atMostHours` (null: beyond the last bound). */
export interface PercentileBucket {
  atMostHours: number | null;
  moreThanHours: number;
}

export interface TimeToConvert {
  /** How many conversions the histogram holds. */
  conversions: number;
  median: PercentileBucket | null;
  p90: PercentileBucket | null;
  approximate: string;
}

export const TIME_TO_CONVERT_NOTE =
  'approximate to the histogram bucket: atMostHours is the upper bound of the bucket the percentile falls in (null beyond 2 years)';

/**
 * Median and p90 from bucket counts (indexed like TIME_TO_CONVERT_FIELDS), by nearest rank: the p-th percentile
 * of n values is the ceil(p x n)-th smallest, and the answer is the bucket that holds it. Null when empty.
 */
export function timeToConvertFromHistogram(counts: readonly number[]): TimeToConvert {
  const conversions = counts.reduce((a, b) => a + b, 0);
  return {
    conversions,
    median: percentileBucket(counts, conversions, 0.5),
    p90: percentileBucket(counts, conversions, 0.9),
    approximate: TIME_TO_CONVERT_NOTE,
  };
}

function percentileBucket(counts: readonly number[], total: number, p: number): PercentileBucket | null {
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i] ?? 0;
    if (cumulative >= rank) {
      return {
        atMostHours: TIME_TO_CONVERT_BOUNDS_HOURS[i] ?? null,
        moreThanHours: i === 0 ? 0 : (TIME_TO_CONVERT_BOUNDS_HOURS[i - 1] as number),
      };
    }
  }
  return null;
}
