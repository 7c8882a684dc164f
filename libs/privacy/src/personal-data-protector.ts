import { ERASED, PERSONAL_DATA_ERASURE_EVENTS, PERSONAL_DATA_IN_EVENTS, personalDataHolder } from '@pipeline-ledger/domain';
import { DataKey, DataKeyring } from './data-keyring';
import { isSealed, openFields, sealFields, startsSealedGroup } from './field-cipher';

/** Anything with a type and data: a new event, a stored one. */
type EventLike = { type: string; data: Record<string, unknown> };

export class PersonalDataErasedError extends Error {
  override readonly name = 'PersonalDataErasedError';
  constructor(readonly subject: string) {
    super(`the personal data of ${subject} was erased; it cannot be given new personal data (create a new record instead)`);
  }
}

export class DataKeyMissingError extends Error {
  override readonly name = 'DataKeyMissingError';
  constructor(readonly subject: string) {
    super(`personal data of ${subject} is encrypted under a data key the key store does not have (was the key store lost or replaced?)`);
  }
}

/**
 * Encrypts the personal fields of events before they are stored (seal) and opens them when they are read (unseal),
 * field by field, under the data key of the event's subject (libs/domain personal-data.ts says which fields and
 * whose). A field of an erased subject reads as ERASED; null stays null.
 *
 * Events written before encryption existed (plaintext) read as they are, and as ERASED once their subject is erased:
 * the log keeps their plaintext, which only a rewrite could remove (see the README's security section).
 */
export class PersonalDataProtector {
  constructor(private readonly keyring: DataKeyring) {}

  /** Copies of the events with every personal text field sealed (fields already sealed are kept as they are). */
  async seal<E extends EventLike>(events: readonly E[]): Promise<E[]> {
    const sealed: E[] = [];
    for (const event of events) {
      const found = personalDataHolder(event.type, event.data);
      const open = found ? found.fields.filter((f) => typeof found.holder[f] === 'string' && !isSealed(found.holder[f])) : [];
      if (!found || open.length === 0) {
        sealed.push(event);
        continue;
      }
      const key = await this.keyring.keyOrCreate(found.subject);
      if (key === 'erased') throw new PersonalDataErasedError(found.subject);
      const holder = { ...found.holder };
      const values = sealFields(key, found.subject, open, open.map((f) => holder[f] as string));
      open.forEach((field, i) => (holder[field] = values[i]));
      sealed.push({ ...event, data: withHolder(event.type, event.data, holder) });
    }
    return sealed;
  }

  /** Erases the subjects' data keys for good (see DataKeyStore.erase). */
  erase(subjects: readonly string[], erasedAt: string): Promise<void> {
    return this.keyring.erase(subjects, erasedAt);
  }

  /** Copies of the events with their personal fields opened (or ERASED); events without personal data are returned as they are. */
  async unseal<E extends EventLike>(events: readonly E[]): Promise<E[]> {
    const subjects = new Set<string>();
    const erasedNow: string[] = [];
    for (const event of events) {
      const found = personalDataHolder(event.type, event.data);
      if (found) subjects.add(found.subject);
      const erasureSubject = erasureSubjectOf(event);
      if (erasureSubject) erasedNow.push(erasureSubject);
    }
    // An erasure in the log may have been made by another process: what this one cached of the subject goes.
    if (erasedNow.length > 0) this.keyring.forget(erasedNow);
    if (subjects.size === 0) return events as E[];

    const keys = await this.keyring.keysFor(subjects);
    const opened: E[] = [];
    for (const event of events) {
      const found = personalDataHolder(event.type, event.data);
      if (!found) {
        opened.push(event);
        continue;
      }
      let key = keys.get(found.subject);
      if (key === undefined && found.fields.some((f) => isSealed(found.holder[f]))) {
        key = (await this.keyring.keysFor([found.subject], { fresh: true })).get(found.subject); // made since it was cached
        keys.set(found.subject, key);
      }
      const holder = openHolder(found.subject, found.holder, found.fields, key);
      opened.push(holder === found.holder ? event : { ...event, data: withHolder(event.type, event.data, holder) });
    }
    return opened;
  }
}

function openHolder(subject: string, holder: Record<string, unknown>, fields: readonly string[], key: DataKey): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  const set = (field: string, value: string) => {
    copy ??= { ...holder };
    copy[field] = value;
  };
  if (key === 'erased') {
    // Sealed or written in the clear before encryption existed: erased all the same.
    for (const field of fields) if (typeof holder[field] === 'string') set(field, ERASED);
    return copy ?? holder;
  }
  for (const group of sealedGroups(holder, fields)) {
    if (key === undefined) throw new DataKeyMissingError(subject);
    const plain = openFields(key, subject, group, group.map((f) => holder[f] as string));
    group.forEach((field, i) => set(field, plain[i]!));
  }
  return copy ?? holder;
}

/** The sealed fields of a holder, in groups as they were sealed together: each starts with a group head (see field-cipher.ts). */
function sealedGroups(holder: Record<string, unknown>, fields: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const field of fields) {
    const value = holder[field];
    if (!isSealed(value)) continue;
    if (startsSealedGroup(value) || groups.length === 0) groups.push([field]);
    else groups[groups.length - 1]!.push(field);
  }
  return groups;
}

/** The event's data with the holder of its personal fields replaced (the data itself, or one object inside it). */
function withHolder(type: string, data: Record<string, unknown>, holder: Record<string, unknown>): Record<string, unknown> {
  const path = PERSONAL_DATA_IN_EVENTS[type]?.path ?? [];
  if (path.length === 0) return holder;
  const copy = { ...data };
  let parent: Record<string, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    parent[path[i]] = { ...(parent[path[i]] as Record<string, unknown>) };
    parent = parent[path[i]] as Record<string, unknown>;
  }
  parent[path[path.length - 1]] = holder;
  return copy;
}

function erasureSubjectOf(event: EventLike): string | undefined {
  const field = PERSONAL_DATA_ERASURE_EVENTS[event.type];
  const subject = field ? event.data[field] : undefined;
  return typeof subject === 'string' ? subject : undefined;
}
