/**
 * A cache of at most about 2 x `size` entries, in two generations: new entries go to the young one; when it is full it
 * becomes the old one (the previous old one is dropped), and an entry found in the old one moves back to the young.
 * Recently used entries stay; every operation is O(1). (A single Map trimmed one oldest entry at a time, the usual
 * trick, leaves deleted slots at the front of V8's hash table that every later trim walks past: it cost ~10 µs a
 * call once full.)
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.set(key, aged);
    }
    return aged;
  }

  set(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.size) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  /** Every entry, young or old. */
  *entries(): IterableIterator<[K, V]> {
    yield* this.old.entries();
    yield* this.young.entries();
  }
}
