import { DomainError, fold } from '@pipeline-ledger/domain';
import { stringify } from 'csv-stringify/sync';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { toDomainEvent } from '../write/event-sourced.repository';
import { RecordType } from '../write/record-types';

/** Which clock `asOf` reads: when the store recorded an event, or when it happened in business terms (imports). */
export type HistoryBasis = 'recorded' | 'occurred';

export interface HistoryOptions {
  /** ISO 8601 instant: the history (and state) as it stood then; none: all of it. */
  asOf?: string;
  basis: HistoryBasis;
  page: number;
  pageSize: number;
}

/** One field that an event changed in the record as the API shows it ("details.email" for a nested one). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryEntry {
  type: string;
  schemaVersion: number;
  revision: number;
  /** Global position, as a decimal string (up to 64 bits on SQLite, 128 on EventStoreDB). */
  position: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
  changes: FieldChange[];
  /** The record as the API shows it, right after this event. */
  state: Record<string, unknown>;
}

export interface RecordHistory {
  kind: string;
  id: string;
  asOf: string | null;
  basis: HistoryBasis;
  /** Events in the history (as of asOf), over all pages. */
  total: number;
  page: number;
  pageSize: number;
  entries: HistoryEntry[];
  /** The record as it stood at the end of the history (as of asOf). */
  state: Record<string, unknown>;
}

/**
 * A record's history from its stream: every event in order with its envelope, what it changed and the state after
 * it, folded with the record's own decider (the same fold the commands use) and shown with the record's presenter.
 * The fold reads each event upcast to its type's current schema version (toDomainEvent), as the commands do; the
 * entries show each event as it was recorded, with its stored schema version: auditors see what was written.
 * With asOf, only the events recorded (or, on the occurred basis, dated) at or before that instant count; a record
 * that did not exist yet then is a 404 that says so. Pages cut the entries, never the fold: an entry's state always
 * includes every event before it.
 */
export function recordHistory<C, S extends { exists: boolean }, E>(
  record: RecordType<C, S, E>,
  id: string,
  events: readonly StoredEvent[],
  present: (id: string, state: S, revision: number) => Record<string, unknown>,
  options: HistoryOptions,
): RecordHistory {
  if (events.length === 0) throw DomainError.notFound(record.kind, id);
  const asOfMs = options.asOf === undefined ? undefined : Date.parse(options.asOf);
  const clock = (e: StoredEvent) => Date.parse(options.basis === 'occurred' ? e.metadata.occurredAt : e.metadata.recordedAt);
  const included = asOfMs === undefined ? events : events.filter((e) => clock(e) <= asOfMs);
  if (included.length === 0) {
    throw new DomainError('not_found', `${record.kind.toUpperCase()}_NOT_FOUND`, `${record.kind} ${id} did not exist yet at ${options.asOf} (${options.basis} time)`);
  }

  let state = fold(record.decider, []);
  let shown = present(id, state, -1);
  const entries: HistoryEntry[] = [];
  const first = (options.page - 1) * options.pageSize;
  const last = first + options.pageSize;
  const lastIndex = included.length - 1;
  included.forEach((event, i) => {
    state = record.decider.evolve(state, toDomainEvent(event) as E);
    // Presenting is most of the cost of an entry: only the page's entries, the one just before it (what the first
    // entry changed from) and the last (the answer's state) are shown.
    if (i !== lastIndex && (i < first - 1 || i >= last)) return;
    const before = shown;
    shown = present(id, state, event.revision);
    if (i < first || i >= last) return;
    entries.push({
      type: event.type,
      schemaVersion: event.schemaVersion,
      revision: event.revision,
      position: event.position.toString(),
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.metadata.recordedAt,
      actor: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      data: event.data,
      changes: changesBetween(before, shown),
      state: shown,
    });
  });
  return {
    kind: record.kind,
    id,
    asOf: options.asOf ?? null,
    basis: options.basis,
    total: included.length,
    page: options.page,
    pageSize: options.pageSize,
    entries,
    state: shown,
  };
}

/** The fields that differ between two presented states; nested plain objects are compared field by field. */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  walkObjects(before, after, '', changes, 'revision');
  return changes;
}

/**
 * Keys in before's order, then the keys only after has (the order a reader expects); the path of a key is only built
 * when something under it changed. This runs once per history entry, so it allocates no key set and no path per key.
 */
function walkObjects(before: Record<string, unknown>, after: Record<string, unknown>, prefix: string, changes: FieldChange[], skip?: string): void {
  for (const key in before) {
    if (key !== skip) walk(before[key], after[key], prefix, key, changes);
  }
  for (const key in after) {
    if (key !== skip && !Object.prototype.hasOwnProperty.call(before, key)) walk(undefined, after[key], prefix, key, changes);
  }
}

function walk(before: unknown, after: unknown, prefix: string, key: string, changes: FieldChange[]): void {
  if (before === after) return;
  const path = prefix ? `${prefix}.${key}` : key;
  if (isPlainObject(before) && isPlainObject(after)) {
    walkObjects(before, after, path, changes);
    return;
  }
  const same = typeof before === 'object' && typeof after === 'object' ? JSON.stringify(before ?? null) === JSON.stringify(after ?? null) : (before ?? null) === (after ?? null);
  if (!same) changes.push({ field: path, from: before ?? null, to: after ?? null });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The columns of a history as CSV, one row per event, for spreadsheets. */
export const HISTORY_CSV_COLUMNS = [
  'position',
  'revision',
  'type',
  'schemaVersion',
  'occurredAt',
  'recordedAt',
  'actor',
  'correlationId',
  'causationId',
  'changes',
  'data',
] as const;

/** A history as CSV (RFC 4180, a header row): changes as "field: from -> to" lines, data as JSON. */
export function historyCsv(history: RecordHistory): string {
  const rows = history.entries.map((e) => [
    e.position,
    e.revision,
    e.type,
    e.schemaVersion,
    e.occurredAt,
    e.recordedAt,
    e.actor,
    e.correlationId,
    e.causationId ?? '',
    e.changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join('\n'),
    JSON.stringify(e.data),
  ]);
  return stringify(rows, { header: true, columns: [...HISTORY_CSV_COLUMNS], record_delimiter: 'windows' });
}
