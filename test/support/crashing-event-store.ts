import { AppendOptions, AppendResult, EventStore, NewEvent, ReadAllOptions, ReadStreamOptions, StoredEvent, StreamAppend, StreamAppendOutcome, SubscribeOptions } from '@pipeline-ledger/event-store';

/**
 * Stands between the application and the real store and, while `crashing` is on, fails every append to streams
 * the predicate picks, as if the process had died just before that write. Everything else goes through.
 */
export class CrashingEventStore implements EventStore {
  crashing = true;
  failedAppends = 0;

  constructor(
    private readonly inner: EventStore,
    private readonly crashesBefore: (streamId: string) => boolean,
  ) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.crashing && this.crashesBefore(streamId)) {
      this.failedAppends++;
      throw new Error(`simulated crash before writing ${streamId}`);
    }
    return this.inner.appendToStream(streamId, events, options);
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    return Promise.all(
      appends.map((a) =>
        this.appendToStream(a.streamId, a.events, { expectedRevision: a.expectedRevision }).then(
          (result): StreamAppendOutcome => ({ ok: true, result }),
          (error: Error): StreamAppendOutcome => ({ ok: false, error }),
        ),
      ),
    );
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.inner.readStream(streamId, options);
  }
  readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    return this.inner.readStreams(streamIds);
  }
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.inner.readAll(options);
  }
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<StoredEvent> {
    return this.inner.subscribeToAll(options);
  }
  readCorrelated(correlationId: string, options?: { maxCount?: number }): Promise<StoredEvent[]> {
    return this.inner.readCorrelated(correlationId, options);
  }
  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
