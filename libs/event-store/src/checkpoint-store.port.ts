/**
 * Where a subscriber of the write side (a process manager such as the conversion completer) keeps how far it has
 * read the global stream. Its effects are idempotent, so a checkpoint that lags behind only costs re-reading.
 * (Projections keep their checkpoints with their read models instead, in the same transaction.)
 */
export interface CheckpointStore {
  load(name: string): Promise<bigint | null>;
  save(name: string, position: bigint): Promise<void>;
  close(): Promise<void>;
}

export const CHECKPOINT_STORE = Symbol('CHECKPOINT_STORE');
