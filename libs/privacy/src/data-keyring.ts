import { DataKeyStore, StoredDataKey } from './data-key-store.port';
import { MasterKey } from './master-key';
import { randomBytesFromPool } from './random-pool';

/** A subject's data key (unwrapped), or the fact that the subject was erased; undefined: none was ever made. */
export type DataKey = Buffer | 'erased' | undefined;

export interface DataKeyringOptions {
  /** Unwrapped keys kept in memory, most recently used first. Default 10,000. */
  cacheSize?: number;
  /**
   * How long a cached key is trusted (ms). Another process (an api replica, the projector) may erase a subject: this
   * bounds how long this process could still open its data from memory. Default 60 s. Erasures are cached for good.
   */
  cacheTtlMs?: number;
}

/**
 * The data keys of subjects: made on first need (wrapped by the master key and stored before use), unwrapped and
 * cached on read, forgotten on erasure.
 */
export class DataKeyring {
  private readonly cache = new Map<string, { key: DataKey; at: number }>();
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;

  constructor(
    private readonly store: DataKeyStore,
    private readonly master: MasterKey,
    options: DataKeyringOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
  }

  /** The keys of these subjects as they stand; `fresh` skips the cache (a sealed value whose key the cache said was missing). */
  async keysFor(subjects: Iterable<string>, options: { fresh?: boolean } = {}): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    const missing: string[] = [];
    const now = Date.now();
    for (const subject of subjects) {
      if (found.has(subject)) continue;
      const cached = options.fresh ? undefined : this.cache.get(subject);
      if (cached && (cached.key === 'erased' || now - cached.at < this.cacheTtlMs)) {
        found.set(subject, cached.key);
      } else {
        found.set(subject, undefined);
        missing.push(subject);
      }
    }
    if (missing.length > 0) {
      const stored = await this.store.get(missing);
      for (const subject of missing) {
        const key = this.unwrapped(subject, stored.get(subject));
        found.set(subject, key);
        this.remember(subject, key);
      }
    }
    return found;
  }

  /**
   * The subject's key, made and stored first when it has none; 'erased' when the subject was erased. Not in memory,
   * it offers the store a new key straight away (most such subjects are new people): the store keeps the first key
   * a subject got, and answers with it.
   */
  async keyOrCreate(subject: string): Promise<Buffer | 'erased'> {
    const cached = this.cache.get(subject);
    if (cached && cached.key !== undefined && (cached.key === 'erased' || Date.now() - cached.at < this.cacheTtlMs)) return cached.key;
    const made = randomBytesFromPool(32);
    const wrapped = this.master.wrap(subject, made);
    const stored = await this.store.putIfAbsent(subject, wrapped);
    // Ours, unless another call made the subject's key first (or it was erased meanwhile).
    const key = stored.status === 'active' && stored.wrapped.equals(wrapped) ? made : (this.unwrapped(subject, stored) as Buffer | 'erased');
    this.remember(subject, key);
    return key;
  }

  /** Erases the subjects' keys in the store and in this process's memory. */
  async erase(subjects: readonly string[], erasedAt: string): Promise<void> {
    await this.store.erase(subjects, erasedAt);
    this.forget(subjects);
  }

  /** Drops what this process remembers of these subjects (an erasure seen in the event log, made by another process). */
  forget(subjects: Iterable<string>): void {
    for (const subject of subjects) this.cache.delete(subject);
  }

  private unwrapped(subject: string, stored: StoredDataKey | undefined): DataKey {
    if (!stored) return undefined;
    if (stored.status === 'erased') return 'erased';
    return this.master.unwrap(subject, stored.wrapped);
  }

  private remember(subject: string, key: DataKey): void {
    this.cache.delete(subject);
    this.cache.set(subject, { key, at: Date.now() });
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }
}
