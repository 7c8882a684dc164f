/**
 * The DataKeyStore port: where each subject's data key is kept, wrapped (encrypted) by the master key, until the
 * subject is erased. Erasing deletes the key for good (crypto-shredding): the personal fields encrypted under it in
 * the append-only event log can never be read again, while the events themselves stay as they were.
 * Adapters: sqlite.data-key-store.ts (embedded default). Every adapter must pass data-key-store.contract.ts.
 */

/** What the store holds for a subject: its wrapped data key, or the fact that it was erased (and when). */
export type StoredDataKey = { status: 'active'; wrapped: Buffer } | { status: 'erased'; erasedAt: string };

export interface DataKeyStore {
  /** What is stored for each of these subjects; a subject with nothing stored is absent from the map. */
  get(subjects: readonly string[]): Promise<Map<string, StoredDataKey>>;

  /**
   * Stores `wrapped` as the subject's key unless something is stored for it already (a key made concurrently, or an
   * erasure), durably before it resolves, and answers with what is stored now: the caller must use that, not its own.
   */
  putIfAbsent(subject: string, wrapped: Buffer): Promise<StoredDataKey>;

  /** Deletes these subjects' keys for good (nothing of them stays in the store's files) and records the erasure. Idempotent. */
  erase(subjects: readonly string[], erasedAt: string): Promise<void>;

  close(): Promise<void>;
}

/** Injection token for the DataKeyStore port. */
export const DATA_KEY_STORE = Symbol('DATA_KEY_STORE');
