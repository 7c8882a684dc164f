/**
 * The DataKeyStore port: the data keys personal fields are sealed under, wrapped (encrypted) by the master key, until
 * the person is erased. Erasing deletes the person's keys for good (crypto-shredding): the personal fields sealed under
 * them in the append-only event log can never be opened again, while the events themselves stay as they were.
 *
 * Keys are made ahead of need, many at a time (a pool), and a sealed field names the key it was sealed under; so a
 * new person costs no write here, and erasing a person deletes the keys their events name.
 * Adapters: sqlite.data-key-store.ts (embedded default), mongodb.data-key-store.ts (production). Every adapter must
 * pass data-key-store.contract.ts.
 */

/** A data key as stored: its id (named by every field sealed under it) and the key, wrapped by the master key. */
export interface StoredDataKey {
  id: string;
  wrapped: Buffer;
}

export interface DataKeyStore {
  /** Stores new keys; durably before any event sealed under them is (see the adapter). */
  add(keys: readonly StoredDataKey[]): Promise<void>;

  /** The wrapped keys of these ids; an id with no key (never stored, or erased) is absent from the map. */
  get(ids: readonly string[]): Promise<Map<string, Buffer>>;

  /** Which of these subjects (people: lead or contact ids) were erased, and when (ISO 8601); the others are absent. */
  erasedSubjects(subjects: readonly string[]): Promise<Map<string, string>>;

  /** Every subject ever erased, and when (erasures are rare: a service keeps them all in memory). */
  allErasedSubjects(): Promise<Map<string, string>>;

  /**
   * Deletes these keys for good (nothing of them stays in the store's files) and records the subjects as erased, in
   * one transaction. Idempotent: keys already gone are skipped, an erasure already recorded keeps its first time.
   */
  erase(subjects: readonly string[], keyIds: readonly string[], erasedAt: string): Promise<void>;

  close(): Promise<void>;
}

/** Injection token for the DataKeyStore port. */
export const DATA_KEY_STORE = Symbol('DATA_KEY_STORE');
