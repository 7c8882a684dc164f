import { createHash } from 'node:crypto';

/** Namespace of Pipeline Ledger's name-based (v5) UUIDs. Never change it: stored ids depend on it. */
const NAMESPACE = '6f1d0c52-8d8e-4f0e-9a51-3b7c4f1e2a90';
const NAMESPACE_BYTES = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * A UUID that is always the same for the same name: how retries find what they already wrote. RFC 9562 version 5
 * (SHA-1 of the namespace and the name's UTF-8), computed here rather than with the uuid package, whose conversion of
 * the name to bytes cost more than the hash itself on bulk imports (two ids per row); event-ids.spec.ts checks that
 * both give the same ids.
 */
export function deterministicId(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The i-th event id of a command run under `seed`. */
export function seededEventId(seed: string, index: number): string {
  return deterministicId(`${seed}#${index}`);
}
