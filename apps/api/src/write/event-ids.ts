import { v5 as uuidv5 } from 'uuid';

/** Namespace of Pipeline Ledger's name-based (v5) UUIDs. Never change it: stored ids depend on it. */
const NAMESPACE = '6f1d0c52-8d8e-4f0e-9a51-3b7c4f1e2a90';

/** A UUID that is always the same for the same name: how retries find what they already wrote. */
export function deterministicId(name: string): string {
  return uuidv5(name, NAMESPACE);
}

/** The i-th event id of a command run under `seed`. */
export function seededEventId(seed: string, index: number): string {
  return deterministicId(`${seed}#${index}`);
}
