/** Who is asking, why, and under which guarantees: everything about a command that is not business data. */
export interface CommandContext {
  actor: string;
  correlationId: string;
  /** The id of what caused the command: the request's command id, or the event a process manager reacts to. */
  causationId: string | null;
  /** Business time of the command, ISO 8601 UTC. */
  occurredAt: string;
  /** From If-Match: the revision the client last saw. A stale one is a 409; absent, a conflict is retried. */
  expectedRevision?: number;
  /**
   * Makes the event ids deterministic, so that running the same command again writes nothing twice: the store
   * ignores re-appended event ids, and the repository answers with the first result.
   */
  eventIdSeed?: string;
  /** From an Idempotency-Key header: the key and a hash of the request it came with. */
  idempotency?: { key: string; requestHash: string };
}

/** What a command came to. */
export interface CommandOutcome<S> {
  id: string;
  state: S;
  /** The stream's revision after the command (the ETag). */
  revision: number;
  /** Types of the events this command appended (none for a no-op or a replay). */
  appended: string[];
  /** True when an earlier run of the same idempotent command answered instead. */
  replayed: boolean;
}
