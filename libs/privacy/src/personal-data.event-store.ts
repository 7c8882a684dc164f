import { AppendOptions, AppendResult, EventStore, NewEvent, ReadAllOptions, ReadStreamOptions, StoredEvent, SubscribeOptions } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from './personal-data-protector';

/**
 * The EventStore everything above the storage layer uses: another EventStore (SQLite, EventStoreDB) with personal
 * fields sealed on the way in and opened (or shown as erased) on the way out. Nothing above it knows the fields are
 * encrypted at rest; only the hash-chain check reads the store beneath it, because the chain covers what is stored.
 */
export class PersonalDataEventStore implements EventStore {
  constructor(
    /** The store as written: personal fields sealed. */
    readonly sealed: EventStore,
    private readonly protector: PersonalDataProtector,
  ) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.sealed.appendToStream(streamId, await this.protector.seal(events), options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.protector.unseal(await this.sealed.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.protector.unseal(await this.sealed.readAll(options));
  }

  async *subscribeToAll(options?: SubscribeOptions): AsyncIterable<StoredEvent> {
    for await (const event of this.sealed.subscribeToAll(options)) {
      yield (await this.protector.unseal([event]))[0];
    }
  }

  async readCorrelated(correlationId: string, options?: { maxCount?: number }): Promise<StoredEvent[]> {
    return this.protector.unseal(await this.sealed.readCorrelated(correlationId, options));
  }

  headPosition(): Promise<bigint | null> {
    return this.sealed.headPosition();
  }

  close(): Promise<void> {
    return this.sealed.close();
  }
}
