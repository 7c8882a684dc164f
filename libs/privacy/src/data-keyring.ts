import { DataKeyStore } from './data-key-store.port';
import { BoundedCache } from './bounded-cache';
import { MasterKey } from './master-key';
import { randomBytesFromPool } from './random-pool';

/** A data key ready to seal under: its id (written into what it seals) and the key itself. */
export interface DataKey {
  id: string;
  key: Buffer;
}

export interface DataKeyringOptions {
  /** Keys made and stored at a time, ahead of need. Default 512. */
  poolSize?: number;
  /** Keys kept in memory (by id, and each subject's current key): the last 10,000 to 20,000 used of each, by default. */
  cacheSize?: number;
  /**
   * How long what is cached is trusted (ms). Another process (an api replica, the projector) may erase a person: this
   * bounds how long this process could still open their data from memory, where it has not seen the erasure event
   * (seeing one clears the cache at once). Default 60 s.
   */
  cacheTtlMs?: number;
}

/**
 * The data keys: made ahead of need, a pool at a time (wrapped by the master key and stored before any is handed
 * out, so a new person costs no write), one per person for as long as this process remembers them, found by id when
 * a sealed field is opened, and deleted when the person is erased.
 */
export class DataKeyring {
  private pool: DataKey[] = [];
  private refilling: Promise<void> | null = null;
  private readonly bySubject: BoundedCache<string, { key: DataKey; at: number }>;
  private readonly byId: BoundedCache<string, { key: Buffer; at: number }>;
  /** Every erased subject (erasures are rare): a new person's sealing and a read cost no query. Reloaded when older than the cache TTL. */
  private allErased: { subjects: Map<string, string>; at: number } | null = null;
  private loadingErased: Promise<Map<string, string>> | null = null;
  private readonly poolSize: number;
  /** Keys the next refill makes: poolSize, doubled (up to 64x) while refills follow each other within a second. */
  private refillSize: number;
  private lastRefillAt = 0;
  private readonly cacheTtlMs: number;

  constructor(
    private readonly store: DataKeyStore,
    private readonly master: MasterKey,
    options: DataKeyringOptions = {},
  ) {
    this.poolSize = options.poolSize ?? 512;
    this.refillSize = this.poolSize;
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
    this.bySubject = new BoundedCache(options.cacheSize ?? 10_000);
    this.byId = new BoundedCache(options.cacheSize ?? 10_000);
  }

  /** A key derived from the master key for one purpose (see MasterKey.derive). */
  derivedKey(purpose: string): Buffer {
    return this.master.derive(purpose);
  }

  /** The key to seal a subject's fields under (the one it had last in this process, or a fresh one); 'erased' for an erased subject. */
  async keyForSealing(subject: string): Promise<DataKey | 'erased'> {
    for (;;) {
      const ready = this.keyForSealingNow(subject);
      if (ready !== undefined) return ready;
      await this.erasedSubjects(); // loaded (again) when missing or stale
      if (this.pool.length === 0) await this.refill();
    }
  }

  private handOut(subject: string, key: DataKey): DataKey {
    const at = Date.now();
    this.bySubject.set(subject, { key, at });
    this.byId.set(key.id, { key: key.key, at });
    return key;
  }

  /**
   * keyForSealing without waiting, when everything it needs is in memory (the erased subjects, the subject's key or a
   * pooled one); undefined when it is not (then call keyForSealing). A command's path stays free of promise hops.
   */
  keyForSealingNow(subject: string): DataKey | 'erased' | undefined {
    if (!this.allErased || Date.now() - this.allErased.at >= this.cacheTtlMs) return undefined;
    if (this.allErased.subjects.has(subject)) return 'erased';
    const cached = this.fresh(this.bySubject.get(subject));
    if (cached) return cached.key;
    if (this.pool.length === 0) return undefined;
    return this.handOut(subject, this.takeNow());
  }

  /** The keys of these ids (unwrapped); an id without a key (erased, or a store that lost it) is absent. */
  async keysById(ids: Iterable<string>): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of ids) {
      if (found.has(id)) continue;
      const cached = this.fresh(this.byId.get(id));
      if (cached) found.set(id, cached.key);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, wrapped] of await this.store.get(missing)) {
        const key = this.master.unwrap(wrapped);
        found.set(id, key);
        this.byId.set(id, { key, at: Date.now() });
      }
    }
    return found;
  }

  /**
   * Which of these subjects were erased, and when: from the erased subjects kept in memory, or, `fresh`, asked of the
   * store (a sealed field whose key is gone: erased by another process a moment ago, or a key store that lost it).
   */
  async erasedAt(subjects: Iterable<string>, options: { fresh?: boolean } = {}): Promise<Map<string, string>> {
    const asked = [...subjects];
    if (options.fresh) {
      const stored = await this.store.erasedSubjects(asked);
      for (const [subject, at] of stored) this.allErased?.subjects.set(subject, at);
      return stored;
    }
    const all = await this.erasedSubjects();
    return new Map(asked.filter((s) => all.has(s)).map((s) => [s, all.get(s)!]));
  }

  /** Every erased subject (from memory, reloaded from the store when older than the cache TTL). */
  private async erasedSubjects(): Promise<Map<string, string>> {
    if (this.allErased && Date.now() - this.allErased.at < this.cacheTtlMs) return this.allErased.subjects;
    this.loadingErased ??= this.store
      .allErasedSubjects()
      .then((subjects) => {
        this.allErased = { subjects, at: Date.now() };
        return subjects;
      })
      .finally(() => (this.loadingErased = null));
    return this.loadingErased;
  }

  /** Erases the subjects: deletes these keys (those their events name) in the store and in this process's memory. */
  async erase(subjects: readonly string[], keyIds: readonly string[], erasedAt: string): Promise<void> {
    await this.store.erase(subjects, keyIds, erasedAt);
    for (const id of keyIds) this.byId.delete(id);
    for (const subject of subjects) {
      this.bySubject.delete(subject);
      this.allErased?.subjects.set(subject, erasedAt);
    }
  }

  /**
   * An erasure seen in the log (perhaps made by another process): every key remembered is forgotten, and the erased
   * subjects are read again from the store when next needed.
   */
  forgetAll(): void {
    this.bySubject.clear();
    this.byId.clear();
    this.allErased = null;
  }

  /** A pooled key (the pool is not empty), starting a refill in the background when it runs low. */
  private takeNow(): DataKey {
    if (this.pool.length < this.refillSize / 4) void this.refill().catch(() => undefined); // the next take that finds it empty fails, and says why
    return this.pool.pop()!;
  }

  private refill(): Promise<void> {
    this.refilling ??= (async () => {
      try {
        // A bulk writer (an import: a new person per row) empties pools fast, and each refill is a write transaction
        // that may wait for the writer's own: make more keys at a time while that lasts.
        const now = Date.now();
        this.refillSize = now - this.lastRefillAt < 1000 ? Math.min(this.refillSize * 2, this.poolSize * 64) : this.poolSize;
        this.lastRefillAt = now;
        const made = Array.from({ length: this.refillSize }, () => ({ id: newKeyId(), key: randomBytesFromPool(32) }));
        const wrapped = this.master.wrapMany(made.map((k) => k.key));
        await this.store.add(made.map((k, i) => ({ id: k.id, wrapped: wrapped[i]! })));
        this.pool.push(...made);
      } finally {
        this.refilling = null;
      }
    })();
    return this.refilling;
  }

  private fresh<T extends { at: number }>(entry: T | undefined): T | undefined {
    return entry && Date.now() - entry.at < this.cacheTtlMs ? entry : undefined;
  }

}

/**
 * A key id: the time in ms (12 hex digits) then 10 random bytes (base64url): 26 characters. Ids made later sort later,
 * so a pool's keys are appended at the end of the store's index instead of all over it (random ids rewrote pages
 * across the whole table at every refill).
 */
function newKeyId(): string {
  return Date.now().toString(16).padStart(12, '0') + randomBytesFromPool(10).toString('base64url');
}
