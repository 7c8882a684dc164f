import { ExpectedRevision } from './event-store.port';

/** The stream was not where the caller expected it: a concurrency conflict (HTTP 409). */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId} is at ${actual === 'no_stream' ? 'no stream' : `revision ${actual}`}, expected ${expected}`);
  }
}

/** Some of the appended event ids are stored already (elsewhere, or only part of the batch). */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`event ids already stored, but not as this exact append to ${streamId}: ${eventIds.join(', ')}`);
  }
}

/** The store was closed: no more appends, reads or subscriptions. */
export class EventStoreClosedError extends Error {
  override readonly name = 'EventStoreClosedError';
  constructor() {
    super('the event store is closed');
  }
}
