import { PERSONAL_FIELDS, PersonalField, REDACTED, maskPersonalFields, personalDataHolder, withPersonalDataHolder } from '@pipeline-ledger/domain';
import type { Principal } from './principal';

/**
 * Answers for a principal without the `pii` grant: every personal field (libs/domain PERSONAL_FIELDS, where
 * PERSONAL_DATA_IN_EVENTS says they are) reads REDACTED ('[redacted]'); null stays null, so "not known" still reads
 * as such. Each function returns its input untouched for a viewer who may see personal data, and never changes
 * what it is given (stored events, read-model documents) but returns a copy.
 */
export type Viewer = Pick<Principal, 'pii'>;

/** Record kinds whose presented state carries the personal fields (a lead, a contact); accounts and opportunities do not. */
const PERSONAL_KINDS: ReadonlySet<string> = new Set(['lead', 'contact']);
const PERSONAL: ReadonlySet<string> = new Set<PersonalField>(PERSONAL_FIELDS);

/** An event's data (a stored event's, a feed message's, a history entry's). */
export function redactEventData<D extends Record<string, unknown>>(viewer: Viewer, type: string, data: D): D {
  const found = viewer.pii ? undefined : personalDataHolder(type, data);
  if (!found) return data;
  return withPersonalDataHolder(type, data, maskPersonalFields(found.holder, REDACTED)) as D;
}

/** A record as the API presents it (GET /leads/:id, a command's answer, a history entry's state). */
export function redactRecord<R extends object>(viewer: Viewer, kind: string, record: R): R {
  return viewer.pii || !PERSONAL_KINDS.has(kind) ? record : maskPersonalFields(record, REDACTED);
}

/** One event as a feed message, a webhook delivery or a correlation entry shows it: `type` and `data`. */
export function redactEventMessage<M extends { type: string; data: Record<string, unknown> }>(viewer: Viewer, message: M): M {
  if (viewer.pii) return message;
  const data = redactEventData(viewer, message.type, message.data);
  return data === message.data ? message : { ...message, data };
}

/** A row of the lead list: the personal fields, and `name` ("first last"), which is made of them. */
export function redactLeadListRow<R extends Record<string, unknown>>(viewer: Viewer, row: R): R {
  if (viewer.pii) return row;
  const masked: Record<string, unknown> = maskPersonalFields(row, REDACTED);
  if (typeof masked['name'] === 'string') masked['name'] = REDACTED;
  return masked as R;
}

interface FieldChangeLike {
  field: string;
  from: unknown;
  to: unknown;
}

interface HistoryLike<E> {
  entries: E[];
  state: Record<string, unknown>;
}

/** A record's history: each entry's data, changes and state, and the final state. */
export function redactHistory<E extends { type: string; data: Record<string, unknown>; changes: FieldChangeLike[]; state: Record<string, unknown> }, H extends HistoryLike<E>>(
  viewer: Viewer,
  kind: string,
  history: H,
): H {
  if (viewer.pii) return history;
  const personal = PERSONAL_KINDS.has(kind);
  const mask = (value: unknown) => (typeof value === 'string' ? REDACTED : value);
  return {
    ...history,
    entries: history.entries.map((entry) => ({
      ...entry,
      data: redactEventData(viewer, entry.type, entry.data),
      changes: personal ? entry.changes.map((c) => (PERSONAL.has(c.field) ? { ...c, from: mask(c.from), to: mask(c.to) } : c)) : entry.changes,
      state: redactRecord(viewer, kind, entry.state),
    })),
    state: redactRecord(viewer, kind, history.state),
  };
}
