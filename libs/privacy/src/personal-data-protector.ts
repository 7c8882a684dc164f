import { createHmac } from 'node:crypto';
import { ERASED, PERSONAL_DATA_ERASURE_EVENTS, personalDataHolder, withPersonalDataHolder } from '@pipeline-ledger/domain';
import { DataKeyring } from './data-keyring';
import { isSealed, keyIdOf, openFields, sealFields, startsSealedGroup } from './field-cipher';

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
  constructor(
    readonly subject: string,
    readonly keyId: string,
  ) {
    super(`personal data of ${subject} is sealed under data key ${keyId}, which the key store does not have, and ${subject} was not erased (was the key store lost or replaced?)`);
  }
}

/**
 * Seals the personal fields of events before they are stored, and opens them (or shows them as erased) when they are
 * read, under the data keys of the events' subjects (libs/domain personal-data.ts says which fields, and whose).
 * A field of an erased subject reads as ERASED; null stays null.
 *
 * Events written before encryption existed (plaintext) read as they are, and as ERASED once their subject is erased:
 * the log keeps their plaintext, which only a rewrite could remove (see the README).
 */
export class PersonalDataProtector {
  private readonly digestKeys = new Map<string, Buffer>();

  constructor(private readonly keyring: DataKeyring) {}

  /**
   * A keyed digest (HMAC-SHA256, hex) of text that holds personal data, under a key derived from the master key for
   * `purpose`: stable for the same text, so it can name a record deterministically (an imported row's lead id), but no
   * one without the master key can test a guess against it, not even after the person is erased.
   */
  keyedDigest(purpose: string, text: string): string {
    return keyedDigest(this.digestKey(purpose), text);
  }

  /** The key of keyedDigest for `purpose`, for work done off this thread (an import's row preparation in a worker). */
  digestKey(purpose: string): Buffer {
    let key = this.digestKeys.get(purpose);
    if (!key) this.digestKeys.set(purpose, (key = this.keyring.derivedKey(purpose)));
    return key;
  }

  /** True when some of these events has a personal text field that is not sealed yet. */
  needsSealing(events: readonly EventLike[]): boolean {
    return events.some((event) => {
      const found = personalDataHolder(event.type, event.data);
      return found !== undefined && found.fields.some((f) => typeof found.holder[f] === 'string' && !isSealed(found.holder[f]));
    });
  }

  /** Copies of the events with their personal text fields sealed (fields already sealed are kept as they are). */
  async seal<E extends EventLike>(events: readonly E[]): Promise<E[]> {
    if (!this.needsSealing(events)) return [...events];
    const sealed: E[] = [];
    for (const event of events) {
      const found = personalDataHolder(event.type, event.data);
      const open = found ? found.fields.filter((f) => typeof found.holder[f] === 'string' && !isSealed(found.holder[f])) : [];
      if (!found || open.length === 0) {
        sealed.push(event);
        continue;
      }
      const key = this.keyring.keyForSealingNow(found.subject) ?? (await this.keyring.keyForSealing(found.subject));
      if (key === 'erased') throw new PersonalDataErasedError(found.subject);
      const holder = { ...found.holder };
      const values = sealFields(key.id, key.key, found.subject, open, open.map((f) => holder[f] as string));
      open.forEach((field, i) => (holder[field] = values[i]));
      sealed.push({ ...event, data: withPersonalDataHolder(event.type, event.data, holder) });
    }
    return sealed;
  }

  /** Copies of the events with their personal fields opened (or ERASED); events without personal data are returned as they are. */
  async unseal<E extends EventLike>(events: readonly E[]): Promise<E[]> {
    if (events.some((e) => PERSONAL_DATA_ERASURE_EVENTS[e.type])) {
      // An erasure in the log, maybe made by another process: nothing this one remembers may open its data again.
      this.keyring.forgetAll();
    }
    const holders = events.map((e) => personalDataHolder(e.type, e.data));
    if (holders.every((h) => h === undefined)) return events as E[];

    const keyIds = new Set<string>();
    for (const h of holders) if (h) for (const group of sealedGroups(h.holder, h.fields)) keyIds.add(keyIdOf(h.holder[group[0]!] as string));
    const keys = await this.keyring.keysById(keyIds);
    // Whether erased matters where a key is gone (asked of the store), and for fields written in the clear before
    // encryption existed (from memory).
    const plain = new Set<string>();
    const keyGone = new Set<string>();
    for (const h of holders) {
      if (!h) continue;
      if (h.fields.some((f) => typeof h.holder[f] === 'string' && !isSealed(h.holder[f]))) plain.add(h.subject);
      if (sealedGroups(h.holder, h.fields).some((g) => !keys.has(keyIdOf(h.holder[g[0]!] as string)))) keyGone.add(h.subject);
    }
    const erased = new Map([
      ...(plain.size > 0 ? await this.keyring.erasedAt(plain) : []),
      ...(keyGone.size > 0 ? await this.keyring.erasedAt(keyGone, { fresh: true }) : []),
    ]);

    return events.map((event, i) => {
      const h = holders[i];
      if (!h) return event;
      const holder = openHolder(h.subject, h.holder, h.fields, keys, erased.has(h.subject));
      return holder === h.holder ? event : { ...event, data: withPersonalDataHolder(event.type, event.data, holder) };
    });
  }

  /** Erases the subjects for good: deletes the keys their events were sealed under (`keyIdsOf` finds them). */
  erase(subjects: readonly string[], keyIds: readonly string[], erasedAt: string): Promise<void> {
    return this.keyring.erase(subjects, keyIds, erasedAt);
  }
}

/** The ids of the data keys these events (as stored: sealed) were sealed under. */
export function keyIdsOf(events: readonly EventLike[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const h = personalDataHolder(event.type, event.data);
    if (h) for (const group of sealedGroups(h.holder, h.fields)) ids.add(keyIdOf(h.holder[group[0]!] as string));
  }
  return [...ids];
}

function openHolder(subject: string, holder: Record<string, unknown>, fields: readonly string[], keys: Map<string, Buffer>, erased: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  const set = (field: string, value: string) => {
    copy ??= { ...holder };
    copy[field] = value;
  };
  if (erased) {
    // Sealed or written in the clear before encryption existed: erased all the same.
    for (const field of fields) if (typeof holder[field] === 'string') set(field, ERASED);
    return copy ?? holder;
  }
  for (const group of sealedGroups(holder, fields)) {
    const keyId = keyIdOf(holder[group[0]!] as string);
    const key = keys.get(keyId);
    if (!key) throw new DataKeyMissingError(subject, keyId);
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

/** HMAC-SHA256 (hex) of text under a key: PersonalDataProtector.keyedDigest with the key in hand. */
export function keyedDigest(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}
