/**
 * The EventStore port: the only way the write side and the projectors touch stored events.
 * Adapters: sqlite.event-store.ts (the embedded default) and eventstoredb.event-store.ts (production).
 * Every adapter must pass event-store.contract.ts.
 */

/**
 * Where the stream must be for an append to go through (EventStoreDB semantics).
 * - 'any': anywhere, including not existing yet;
 * - 'no_stream': the stream must not exist;
 * - 'stream_exists': the stream must have at least one event;
 * - a number: the revision of the stream's last event. -1 means the same as 'no_stream', so the
 *   `nextExpectedRevision` of an empty append to a missing stream (-1) can be passed back as is.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** Who, why and when. `recordedAt` is added by the store on append; everything else comes from the caller. */
export interface EventMetadata {
  /** The principal who caused the event. */
  actor: string;
  /** One id for everything one request caused, across streams. */
  correlationId: string;
  /** The id of the command or event that caused this event; null when nothing did (rare). */
  causationId: string | null;
  /** Business time, ISO 8601 UTC. An import may set it in the past. */
  occurredAt: string;
  /** Anything else (idempotency key, request hash, ...). Must be JSON. */
  [extra: string]: unknown;
}

export interface NewEvent {
  /** UUID. Re-appending an event id that is already stored writes nothing (idempotent append). */
  eventId: string;
  /** Stable name, e.g. "LeadCreated"; never a class name. */
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent<D extends Record<string, unknown> = Record<string, unknown>> {
  eventId: string;
  streamId: string;
  /** 0-based, gap-free within its stream. */
  revision: number;
  /**
   * Position in the global stream: unique, only grows, never reused. Not necessarily gap-free, nor small: SQLite counts
   * from 1; EventStoreDB's commit/prepare pair makes numbers of up to 128 bits. Keep positions as bigints or decimal strings.
   */
  position: bigint;
  type: string;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata & { recordedAt: string };
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the stream's last event after the append (use it as the next expected revision); -1: no stream. */
  nextExpectedRevision: number;
  /**
   * Global position of the last event appended (or found, for an idempotent re-append).
   * For an empty append: the position of the stream's last event, or -1n when the stream does not exist.
   */
  position: bigint;
  /** False when nothing was written: every event id was already stored in this stream, or no events were given. */
  written: boolean;
}

/** One append of a batch (appendToStreams): what appendToStream takes, as one value. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** How one append of a batch went: written (or an idempotent retry), or refused with the error appendToStream would throw. */
export type StreamAppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first event (forwards) or the last (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events with a position strictly after this one; null or undefined reads from the very start. */
  after?: bigint | null;
  /** Page size; when omitted the adapter picks a bounded default (SQLite: 1000). */
  maxCount?: number;
  /**
   * Only matching events (filtered in the store): a page holds up to maxCount of them, and the next page starts after
   * the last one. An empty page means none match after `after`.
   */
  filter?: SubscriptionFilter;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position (a checkpoint); null or undefined starts at the beginning. */
  after?: bigint | null;
  /**
   * Deliver only matching events (filtered in the store, so skipped events cost no parsing or delivery).
   * The subscription still moves past the others; a consumer that checkpoints the last delivered position
   * simply re-scans the skipped ones after a restart.
   */
  filter?: SubscriptionFilter;
  /**
   * Once caught up, how long to let new commits gather before reading them (ms). 0 (the default) delivers each
   * commit as soon as it is made; a background subscriber that does not need to be quick (a process manager)
   * sets more, so that it reads many commits at once instead of waking for every one. Push-based stores may ignore it.
   */
  liveDelayMs?: number;
  /**
   * Called between deliveries with a position the store has looked through for matching events, past the last one
   * delivered (a filtered subscription moving over events it skips). Every event before it has been delivered, so a
   * consumer that checkpoints may save it and, after a restart, not scan those events again: a quiet consumer of a
   * rare event type still advances. SQLite: when a scan reaches the head; EventStoreDB: the server's filter checkpoints.
   */
  onCheckpoint?: (position: bigint) => void;
  /** Ends the subscription: the iterator completes. Leaving a for-await loop ends it too. */
  signal?: AbortSignal;
}

/**
 * Which events a subscription delivers: those of one of `eventTypes` (when given) whose stream id starts with one of
 * `streamPrefixes` (when given). At least one of the two; an empty list matches nothing. EventStoreDB: a server-side
 * $all filter (event type and stream name prefixes).
 */
export interface SubscriptionFilter {
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
}

export interface EventStore {
  /**
   * Appends events to one stream atomically, or not at all.
   * Throws WrongExpectedRevisionError when the stream is not where `expectedRevision` says,
   * and EventIdConflictError when some, but not all, of the event ids are already stored (or they are stored in
   * another stream, or one id appears twice in `events`).
   * The id check comes first: an append whose ids are all stored in this stream already resolves with
   * `written: false` even if `expectedRevision` is stale by now, so a retry after a lost reply is safe.
   * An empty `events` writes nothing but still checks `expectedRevision`, and reports where the stream is.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /**
   * Many appends at once, for bulk writers (imports, the demo seed): each one to its own stream, checked and written
   * exactly as appendToStream would (atomic per append, the same expected-revision and event-id rules), and one
   * outcome per append in the order given. A refused append (a stale revision, an id conflict, a malformed append)
   * is reported in its outcome and does not stop the others. Appends to the same stream are applied in the order
   * given. The SQLite adapter commits them together (a few hundred per transaction and fsync); EventStoreDB sends
   * them concurrently. Rejects only when the store is closed.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]>;

  /** Events of one stream in revision order (or reverse). An unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;

  /**
   * Every event of each of these streams, in revision order, by stream id; a stream with no events is absent from the
   * map. For bulk writers that must load many streams before deciding (an import's batch): one query instead of one
   * per stream (EventStoreDB: the streams read concurrently).
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;

  /** One page of the global stream, in position order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;

  /**
   * The global stream from a checkpoint: first every stored event after it (catch-up), then each new one as it
   * is committed (live), in position order, never skipping one. The consumer's pace sets the pace (pull-based).
   */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<StoredEvent>;

  /**
   * Every event whose metadata carries this correlation id (everything one request caused, across streams), in
   * position order, at most maxCount (default 10,000). None: an empty list. EventStoreDB's $bc-<id> stream.
   */
  readCorrelated(correlationId: string, options?: { maxCount?: number }): Promise<StoredEvent[]>;

  /** Position of the last event in the global stream; null when the store is empty. */
  headPosition(): Promise<bigint | null>;

  /**
   * Flushes appends already accepted, ends open subscriptions and releases the store.
   * Idempotent. Afterwards every other call fails with EventStoreClosedError.
   */
  close(): Promise<void>;
}

/** Injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
