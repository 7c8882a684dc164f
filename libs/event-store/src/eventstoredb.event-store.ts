import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  ReadPosition,
  ResolvedEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  StreamingRead,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
// Not re-exported by the package's index; the same parser the client runs on a connection string.
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { EventStoreClosedError, WrongExpectedRevisionError } from './event-store.errors';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  StreamAppendOutcome,
  SubscribeOptions,
} from './event-store.port';
import { checkAppend, checkDelay, checkFilter, matchesFilter, satisfies, toLimit } from './event-store-arguments';
import { EventStoreDbAllSubscription } from './eventstoredb-all-subscription';
import {
  classifyAppend,
  decodePosition,
  encodePosition,
  idCheckFrom,
  isSystemEvent,
  parseProjectionPosition,
  toEventData,
  toExpectedRevision,
  toRevision,
  toServerFilter,
  toStoredEvent,
  toWrongExpectedRevision,
} from './eventstoredb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** An esdb:// (or esdb+discover://) connection string; or give `client`. */
  connectionString?: string;
  /** A client made elsewhere (it is not disposed on close). */
  client?: EventStoreDBClient;
  /** readAll page when no maxCount is given. Default 1000. */
  defaultReadAllCount?: number;
  /** Most appends (to different streams) of one appendToStreams, or streams of one readStreams, in flight at once. Default 32. */
  concurrency?: number;
  /** Resubscription after a dropped subscription: first delay and cap (ms). Default 250 and 10,000. */
  retry?: { baseMs: number; maxMs: number };
  /** Told of every dropped subscription before it resubscribes (the api logs it). */
  onSubscriptionDropped?: (error: Error, attempt: number, delayMs: number) => void;
  /** How long readCorrelated waits for EventStoreDB's $by_correlation_id projection to reach the head (ms). Default 5000. */
  correlationWaitMs?: number;
}

/** Why the client cannot use this connection string, or null when it can (a parse: nothing is connected). */
export function eventStoreDbConnectionStringError(connectionString: string): string | null {
  try {
    parseConnectionString(connectionString);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Events read per request when the adapter pages through $all itself (readAll with a filter, headPosition). */
const ALL_PAGE = 500;
const CORRELATION_PROJECTION = '$by_correlation_id';

/**
 * The EventStore port on EventStoreDB (22.6 or later), through @eventstore/db-client. What the port needs that the
 * server does not do the same way:
 * - positions: the server's commit/prepare pair, kept whole in one bigint (encodePosition);
 * - the port's view of $all is this service's streams: system streams and system event types are left out;
 * - idempotent appends: the server checks event ids only right after the expected revision, so the adapter reads
 *   where the ids could already be before it appends (one read more per append; with 'any' or 'stream_exists', the
 *   whole stream), and again when the server reports a wrong expected version. Event ids are checked within their
 *   stream: the server keeps no index of ids across streams, so an id already stored in another stream is not
 *   refused here (SQLite refuses it). Our event ids are derived per stream or random, so this does not arise;
 * - readCorrelated reads the server's $by_correlation_id projection ($bc-<id> streams, events filed under the
 *   `$correlationId` metadata key the adapter adds), after waiting for it to reach the head: the server must run its
 *   standard projections (EVENTSTORE_RUN_PROJECTIONS=All, EVENTSTORE_START_STANDARD_PROJECTIONS=true);
 * - subscriptions resubscribe after a drop (eventstoredb-all-subscription.ts).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly defaultReadAllCount: number;
  private readonly concurrency: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly correlationWaitMs: number;
  private readonly subscriptions = new Set<EventStoreDbAllSubscription>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.connectionString) {
      this.client = EventStoreDBClient.connectionString(options.connectionString); // throws on a malformed string
      this.ownsClient = true;
    } else {
      throw new TypeError('EventStoreDbEventStore needs a connectionString or a client');
    }
    this.defaultReadAllCount = options.defaultReadAllCount ?? 1000;
    this.concurrency = options.concurrency ?? 32;
    this.retry = options.retry ?? { baseMs: 250, maxMs: 10_000 };
    this.correlationWaitMs = options.correlationWaitMs ?? 5000;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    checkAppend(streamId, events, options.expectedRevision);
    return this.track(this.append(streamId, events, options.expectedRevision));
  }

  /** Appends to different streams run concurrently (at most `concurrency` at once); appends to one stream, in order. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    this.assertOpen();
    if (!Array.isArray(appends)) throw new TypeError('appends must be an array');
    const outcomes: StreamAppendOutcome[] = new Array(appends.length);
    const byStream = new Map<string, number[]>();
    appends.forEach((append, i) => {
      try {
        checkAppend(append.streamId, append.events, append.expectedRevision);
        const indexes = byStream.get(append.streamId);
        if (indexes) indexes.push(i);
        else byStream.set(append.streamId, [i]);
      } catch (error) {
        outcomes[i] = { ok: false, error: error as Error };
      }
    });
    await this.track(
      eachLimited([...byStream.values()], this.concurrency, async (indexes) => {
        for (const i of indexes) {
          const { streamId, events, expectedRevision } = appends[i]!;
          try {
            outcomes[i] = { ok: true, result: await this.append(streamId, events, expectedRevision) };
          } catch (error) {
            outcomes[i] = { ok: false, error: error as Error };
          }
        }
      }),
    );
    return outcomes;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
    const maxCount = toLimit(options.maxCount, Number.MAX_SAFE_INTEGER);
    const from = options.fromRevision;
    if (from !== undefined && !(Number.isSafeInteger(from) && from >= 0)) throw new RangeError(`fromRevision must be an integer >= 0, got ${from}`);
    if (maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    return this.readStreamEvents(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from === undefined ? (backwards ? END : START) : BigInt(from),
      maxCount: BigInt(maxCount),
    });
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    this.assertOpen();
    if (!Array.isArray(streamIds) || streamIds.some((id) => typeof id !== 'string')) throw new TypeError('streamIds must be an array of strings');
    const streams = new Map<string, StoredEvent[]>();
    await eachLimited([...new Set(streamIds)], this.concurrency, async (streamId) => {
      const events = await this.readStreamEvents(streamId, { direction: FORWARDS, fromRevision: START });
      if (events.length > 0) streams.set(streamId, events);
    });
    return new Map(streamIds.filter((id) => streams.has(id)).map((id) => [id, streams.get(id)!])); // in the order asked
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const maxCount = toLimit(options.maxCount, this.defaultReadAllCount);
    const filter = options.filter ? checkFilter(options.filter) : undefined;
    const events: StoredEvent[] = [];
    if (maxCount === 0) return events;
    // Page through $all from `after`, leaving out system events and, with a filter, what does not match (the
    // server filters subscriptions, not reads). The start of a page is inclusive: skip up to what was seen.
    let seen = options.after ?? null;
    for (;;) {
      const page = await collect(this.client.readAll({ fromPosition: seen === null ? START : decodePosition(seen), direction: FORWARDS, maxCount: ALL_PAGE }));
      for (const { event } of page) {
        if (!event?.position) continue;
        const position = encodePosition(event.position);
        if (seen !== null && position <= seen) continue;
        seen = position;
        if (isSystemEvent(event) || (filter && !matchesFilter(filter, event))) continue;
        events.push(toStoredEvent(event));
        if (events.length === maxCount) return events;
      }
      if (page.length < ALL_PAGE) return events;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const filter = options.filter ? checkFilter(options.filter) : undefined;
    checkDelay(options.liveDelayMs ?? 0); // the server pushes: nothing to wait for
    const subscription = new EventStoreDbAllSubscription(
      {
        open: (after, checkpointReached) =>
          this.client.subscribeToAll({
            fromPosition: after === null ? START : decodePosition(after), // exclusive: the events after it
            filter: toServerFilter(filter, 1, checkpointReached),
          }),
      },
      {
        after: options.after ?? null,
        filter,
        signal: options.signal,
        onCheckpoint: options.onCheckpoint,
        retry: this.retry,
        onDropped: (error, attempt, delayMs) => this.options.onSubscriptionDropped?.(error, attempt, delayMs),
      },
      (ended) => this.subscriptions.delete(ended),
    );
    if (!subscription.isEnded) this.subscriptions.add(subscription);
    return subscription;
  }

  async readCorrelated(correlationId: string, options: { maxCount?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    if (typeof correlationId !== 'string') throw new TypeError('correlationId must be a string');
    const maxCount = toLimit(options.maxCount, 10_000);
    if (maxCount === 0 || correlationId.length === 0) return [];
    await this.correlationIndexCaughtUp();
    const linked = await this.readStreamEvents(`$bc-${correlationId}`, { direction: FORWARDS, fromRevision: START, maxCount: BigInt(maxCount), resolveLinkTos: true });
    return linked.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    // The last event of ours: read $all backwards past the server's own (stats, projections' links) at the end.
    let seen: bigint | null = null;
    for (;;) {
      const page = await collect(this.client.readAll({ fromPosition: seen === null ? END : decodePosition(seen), direction: BACKWARDS, maxCount: ALL_PAGE }));
      for (const { event } of page) {
        if (!event?.position) continue;
        const position = encodePosition(event.position);
        if (seen !== null && position >= seen) continue;
        seen = position;
        if (!isSystemEvent(event)) return position;
      }
      if (page.length < ALL_PAGE) return null;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    // Appends already accepted were promised an answer: let them finish before letting go of the connection.
    await Promise.allSettled([...this.inFlight]);
    for (const subscription of [...this.subscriptions]) subscription.end();
    if (this.ownsClient) await this.client.dispose();
  }

  /* ---------- appends ---------- */

  private async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return this.emptyAppend(streamId, expected);
    const retry = await this.retryOf(streamId, events, expected);
    if (retry) return retry;
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), { expectedRevision: toExpectedRevision(expected) });
      const nextExpectedRevision = toRevision(result.nextExpectedRevision);
      // The reply's position is the write's; each event has its own, so with several the last one is read back.
      const position = events.length === 1 && result.position ? encodePosition(result.position) : (await this.lastEvent(streamId))!.position;
      return { streamId, nextExpectedRevision, position, written: true };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Someone wrote to the stream meanwhile: perhaps this very append (a concurrent retry). Decide again from what is stored.
      const again = await this.retryOf(streamId, events, expected);
      if (again) return again;
      throw toWrongExpectedRevision(streamId, expected, error.actualVersion);
    }
  }

  /** The result of a retry when this append's ids are stored already; throws EventIdConflictError when only some are. */
  private async retryOf(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult | null> {
    const stored = await this.readStreamEvents(streamId, { direction: FORWARDS, fromRevision: BigInt(idCheckFrom(expected)) });
    if (stored.length === 0) return null;
    const decided = classifyAppend(streamId, events, stored, stored.at(-1));
    return decided.kind === 'retry' ? decided.result : null;
  }

  private async emptyAppend(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const head = await this.lastEvent(streamId);
    const actual = head ? head.revision : 'no_stream';
    if (!satisfies(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    return { streamId, nextExpectedRevision: head ? head.revision : -1, position: head ? head.position : -1n, written: false };
  }

  private async lastEvent(streamId: string): Promise<StoredEvent | undefined> {
    return (await this.readStreamEvents(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1n }))[0];
  }

  /* ---------- reads ---------- */

  /** A stream's events (system events left out); a missing or deleted stream reads as empty. */
  private async readStreamEvents(
    streamId: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: bigint | typeof START | typeof END; maxCount?: bigint; resolveLinkTos?: boolean },
  ): Promise<StoredEvent[]> {
    try {
      const resolved = await collect(this.client.readStream(streamId, options));
      return resolved.flatMap(({ event }) => (event && !isSystemEvent(event) ? [toStoredEvent(event)] : []));
    } catch (error) {
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw error;
    }
  }

  /**
   * Waits until the $by_correlation_id projection has processed $all up to our head as it is now, so that
   * readCorrelated right after a request sees everything the request caused. Fails plainly when the projection is not
   * running (the server was started without its standard projections), rather than answering with nothing.
   */
  private async correlationIndexCaughtUp(): Promise<void> {
    const head = await this.headPosition();
    if (head === null) return;
    const deadline = Date.now() + this.correlationWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      const status = await this.client.getProjectionStatus(CORRELATION_PROJECTION);
      if (status.projectionStatus !== 'Running') {
        throw new Error(
          `EventStoreDB's ${CORRELATION_PROJECTION} projection is ${status.projectionStatus || 'not running'}: readCorrelated needs the server's standard projections (EVENTSTORE_RUN_PROJECTIONS=All, EVENTSTORE_START_STANDARD_PROJECTIONS=true)`,
        );
      }
      const reached = parseProjectionPosition(status.position);
      if (reached !== null && reached >= head) return;
      if (Date.now() >= deadline) {
        throw new Error(`EventStoreDB's ${CORRELATION_PROJECTION} projection is behind the head (at ${status.position}) after ${this.correlationWaitMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const settled = () => this.inFlight.delete(work);
    work.then(settled, settled);
    return work;
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreClosedError();
  }
}

async function collect(read: StreamingRead<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const items: ResolvedEvent[] = [];
  for await (const item of read) items.push(item);
  return items;
}

/** Runs `work` over every item, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
