import { AccessDeniedError, AllStreamSubscription, Position, ResolvedEvent } from '@eventstore/db-client';
import { StoredEvent, SubscriptionFilter } from './event-store.port';
import { matchesFilter } from './event-store-arguments';
import { DONE, PullSubscription } from './pull-subscription';
import { encodePosition, isSystemEvent, toStoredEvent } from './eventstoredb-mapping';

/** A checkpoint the server sent while filtering, placed in the subscription's stream between the events around it. */
interface CheckpointMark {
  checkpoint: Position;
}

export interface EventStoreDbSubscriptionSource {
  /** Opens a server subscription strictly after `after` (null: from the start) that also yields CheckpointMarks. */
  open(after: bigint | null, checkpointReached: (subscription: AllStreamSubscription, position: Position) => void): AllStreamSubscription;
}

export interface EventStoreDbSubscriptionOptions {
  after: bigint | null;
  filter: SubscriptionFilter | undefined;
  signal: AbortSignal | undefined;
  onCheckpoint: ((position: bigint) => void) | undefined;
  /** First resubscription delay and its cap (ms); each drop in a row doubles the delay, with jitter. */
  retry: { baseMs: number; maxMs: number };
  onDropped: (error: Error, attempt: number, delayMs: number) => void;
}

/**
 * subscribeToAll for EventStoreDB: the server's catch-up subscription to $all (filtered on the server, see
 * toServerFilter), read one event per next(). The server pushes, but a Node stream buffers only up to its high-water
 * mark and the gRPC stream is paused when it is full, so the consumer's pace still sets the pace.
 *
 * The client does not resubscribe when a subscription drops (a restarted server, a leader change, a network cut):
 * this does, from the last event it delivered (or the last checkpoint past it), after a backoff that doubles with
 * each drop in a row (with jitter) up to a cap, and says so through onDropped. Only a refusal (access denied) ends it
 * with an error. Checkpoints the server sends while filtering are handed to onCheckpoint in stream order, once every
 * event before them has been delivered, so a consumer that saves them moves past long runs of events it does not want.
 *
 * Ending and serialised pulls: PullSubscription.
 */
export class EventStoreDbAllSubscription extends PullSubscription<StoredEvent> {
  private cursor: bigint | null;
  private current: { subscription: AllStreamSubscription; items: AsyncIterator<ResolvedEvent | CheckpointMark> } | null = null;
  private drops = 0;
  /** Resolves when the subscription ends: raced against the server's next item. */
  private readonly stopped: Promise<typeof DONE>;

  constructor(
    private readonly source: EventStoreDbSubscriptionSource,
    private readonly options: EventStoreDbSubscriptionOptions,
    onEnd: (subscription: EventStoreDbAllSubscription) => void,
  ) {
    super(options.signal, onEnd as (subscription: PullSubscription<StoredEvent>) => void);
    this.cursor = options.after;
    this.stopped = new Promise((resolve) => this.stop.signal.addEventListener('abort', () => resolve(DONE), { once: true }));
    this.listen();
  }

  protected released(): void {
    this.close();
  }

  protected async pull(): Promise<IteratorResult<StoredEvent>> {
    while (!this.isEnded) {
      this.current ??= this.openAtCursor();
      let item: IteratorResult<ResolvedEvent | CheckpointMark> | typeof DONE;
      try {
        item = await Promise.race([this.current.items.next(), this.stopped]);
      } catch (error) {
        if (this.isEnded) return DONE;
        if (error instanceof AccessDeniedError) {
          this.end();
          throw error;
        }
        await this.dropped(error as Error);
        continue;
      }
      if (this.isEnded) return DONE;
      if (item.done) {
        await this.dropped(new Error('the server ended the subscription'));
        continue;
      }
      const value = item.value;
      if ('checkpoint' in value) {
        this.passCheckpoint(encodePosition(value.checkpoint));
        continue;
      }
      const recorded = value.event;
      if (!recorded?.position) continue;
      const position = encodePosition(recorded.position);
      if (this.cursor !== null && position <= this.cursor) continue; // already delivered before a resubscription
      this.drops = 0;
      if (isSystemEvent(recorded) || (this.options.filter && !matchesFilter(this.options.filter, recorded))) {
        this.cursor = position;
        continue;
      }
      let event: StoredEvent;
      try {
        event = toStoredEvent(recorded);
      } catch (error) {
        this.end();
        throw error;
      }
      this.cursor = position;
      return { done: false, value: event };
    }
    return DONE;
  }

  private openAtCursor(): NonNullable<EventStoreDbAllSubscription['current']> {
    // The client calls checkpointReached (and awaits it) inside its stream transform, between the events around the
    // checkpoint, so pushing a mark there keeps it in order.
    const subscription = this.source.open(this.cursor, (stream, checkpoint) => void stream.push({ checkpoint } satisfies CheckpointMark));
    return { subscription, items: subscription[Symbol.asyncIterator]() as AsyncIterator<ResolvedEvent | CheckpointMark> };
  }

  private passCheckpoint(position: bigint): void {
    if (this.cursor !== null && position <= this.cursor) return;
    this.cursor = position;
    this.options.onCheckpoint?.(position);
  }

  private async dropped(error: Error): Promise<void> {
    this.close();
    this.drops += 1;
    const cap = Math.min(this.options.retry.maxMs, this.options.retry.baseMs * 2 ** (this.drops - 1));
    const delayMs = Math.round(cap / 2 + Math.random() * (cap / 2));
    this.options.onDropped(error, this.drops, delayMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  private close(): void {
    const current = this.current;
    this.current = null;
    if (!current) return;
    void current.subscription.unsubscribe().catch(() => undefined);
    current.subscription.destroy();
  }
}
