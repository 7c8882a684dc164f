import { StoredEvent } from '@pipeline-ledger/event-store';

/**
 * Days and months in business time (when it happened, not when it was recorded: an import may back-date events),
 * as UTC calendar dates. Counters are kept per day; a query over a window adds up its days. The conversion and win
 * rate counters also keep the day each event was recorded on, for timeBasis=recorded (time-basis.ts).
 */

/** The UTC calendar day (YYYY-MM-DD) of an ISO 8601 instant, offsets included. Throws on a value that is not one. */
export function businessDay(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`"${instant}" is not an ISO 8601 instant`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The month (YYYY-MM) of a day (YYYY-MM-DD). */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/**
 * When an event happened: its own date field when it has one (createdAt, convertedAt, changedAt... which the
 * deciders set to the command's business time), else the envelope's occurredAt.
 */
export function occurredAt(event: StoredEvent, own?: string | null): string {
  return own ?? event.metadata.occurredAt;
}

/** Whole hours from one instant to another, as a fraction (never negative). */
export function hoursBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 3_600_000);
}
