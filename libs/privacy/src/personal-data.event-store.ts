import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventStoreClosedError,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  StreamAppendOutcome,
  SubscribeOptions,
} from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from './personal-data-protector';

/**
 * The EventStore everything above the storage layer uses: another EventStore (SQLite, EventStoreDB) with personal
 * fields sealed on the way in and opened (or shown as erased) on the way out. Nothing above it knows the fields are
 * encrypted at rest; only the hash-chain check reads the store beneath it, because the chain covers what is stored.
 */
export class PersonalDataEventStore implements EventStore {
  /** Appends accepted but still sealing: close() lets them reach the store first. */
  private readonly sealing = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;

  constructor(
    /** The store as written: personal fields sealed. */
    readonly sealed: EventStore,
    private readonly protector: PersonalDataProtector,
  ) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closing) throw new EventStoreClosedError();
    // Sealed already (the repository seals before it chains), or nothing personal: straight through.
    if (!this.protector.needsSealing(events)) return this.sealed.appendToStream(streamId, events, options);
    const append = this.protector.seal(events).then((sealed) => this.sealed.appendToStream(streamId, sealed, options));
    this.sealing.add(append);
    try {
      return await append;
    } finally {
      this.sealing.delete(append);
    }
  }

  /** Each append's events sealed first; an append that cannot be sealed (an erased person) is refused alone. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    if (this.closing) throw new EventStoreClosedError();
    // Sealed already (the repository seals before it chains), or nothing personal: straight through.
    if (!appends.some((a) => this.protector.needsSealing(a.events))) return this.sealed.appendToStreams(appends);
    const work = (async (): Promise<StreamAppendOutcome[]> => {
      const sealed = await Promise.all(
        appends.map(async (append) => {
          try {
            return { ...append, events: this.protector.needsSealing(append.events) ? await this.protector.seal(append.events) : append.events };
          } catch (error) {
            return error as Error;
          }
        }),
      );
      const toWrite = sealed.filter((a): a is StreamAppend => !(a instanceof Error));
      const written = toWrite.length ? await this.sealed.appendToStreams(toWrite) : [];
      let next = 0;
      return sealed.map((a) => (a instanceof Error ? { ok: false, error: a } : written[next++]!));
    })();
    this.sealing.add(work);
    try {
      return await work;
    } finally {
      this.sealing.delete(work);
    }
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.protector.unseal(await this.sealed.readStream(streamId, options));
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const streams = await this.sealed.readStreams(streamIds);
    const opened = await this.protector.unseal([...streams.values()].flat());
    let next = 0;
    for (const [id, events] of streams) streams.set(id, opened.slice(next, (next += events.length)));
    return streams;
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.protector.unseal(await this.sealed.readAll(options));
  }

  /** Not an async generator: the store's own iterator is made at once (a bad filter throws here) and return() reaches it at once. */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<StoredEvent> {
    const events = this.sealed.subscribeToAll(options);
    const protector = this.protector;
    return {
      [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
        const inner = events[Symbol.asyncIterator]();
        return {
          async next() {
            const result = await inner.next();
            return result.done ? result : { done: false, value: (await protector.unseal([result.value]))[0] };
          },
          async return(value?: unknown) {
            return (await inner.return?.(value)) ?? { done: true, value: undefined };
          },
        };
      },
    };
  }

  async readCorrelated(correlationId: string, options?: { maxCount?: number }): Promise<StoredEvent[]> {
    return this.protector.unseal(await this.sealed.readCorrelated(correlationId, options));
  }

  headPosition(): Promise<bigint | null> {
    return this.sealed.headPosition();
  }

  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...this.sealing]).then(() => this.sealed.close());
    return this.closing;
  }
}
