import { EventIdConflictError, WrongExpectedRevisionError } from './event-store.errors';
import { checkAppend, satisfies } from './event-store-arguments';
import { AppendResult, ExpectedRevision, NewEvent } from './event-store.port';
import { dataJson } from './event-chain';
import { EventStatements } from './sqlite-schema';

/** An event ready to insert: data and metadata already JSON. */
interface EventToInsert {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

export interface AppendRequest {
  streamId: string;
  events: readonly EventToInsert[];
  expectedRevision: ExpectedRevision;
}

/**
 * Checks and serialises an append before it is queued: a malformed append fails at once without taking a seat
 * in a batch, the JSON work happens outside the write transaction, and what is stored is the events as they were
 * when appendToStream was called. Throws TypeError / RangeError / EventIdConflictError.
 */
export function prepareAppend(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): AppendRequest {
  checkAppend(streamId, events, expectedRevision);
  const rows = events.map(({ eventId, type, schemaVersion, data, metadata }) => ({
    eventId,
    type,
    schemaVersion,
    data: dataJson(data),
    metadata: JSON.stringify(metadata),
  }));
  return { streamId, events: rows, expectedRevision };
}

/**
 * Runs one append inside the already open write transaction (the batcher wraps it in a savepoint, so a throw
 * here undoes only this append). Later appends of the same batch see this one's rows: that is how each
 * append is checked against the stream as the appends before it in the batch left it.
 */
export function appendInTransaction(statements: EventStatements, request: AppendRequest): AppendResult {
  const { streamId, events, expectedRevision } = request;

  // Idempotency first: a retry of an append that did commit must succeed even though its expected revision
  // is stale now. Only "all ids, all in this stream" counts as a retry; anything else is a conflict.
  const found = events.map((event) => statements.findEventId.get(event.eventId));
  const stored = found.filter((row) => row !== undefined);
  const head = statements.streamHead.get(streamId);
  const actual = head ? Number(head.revision) : 'no_stream';
  if (stored.length > 0) {
    const isRetry = stored.length === events.length && stored.every((row) => row.stream_id === streamId);
    if (!isRetry || !head) {
      const storedIds = events.filter((_, i) => found[i] !== undefined).map((event) => event.eventId);
      throw new EventIdConflictError(streamId, storedIds);
    }
    const position = stored.reduce((max, row) => (row.position > max ? row.position : max), stored[0].position);
    return { streamId, nextExpectedRevision: Number(head.revision), position, written: false };
  }

  if (!satisfies(expectedRevision, actual)) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);

  if (events.length === 0) {
    return { streamId, nextExpectedRevision: head ? Number(head.revision) : -1, position: head ? head.position : -1n, written: false };
  }

  const recordedAt = new Date().toISOString();
  let revision = head ? Number(head.revision) : -1;
  let position = -1n;
  for (const event of events) {
    revision += 1;
    const result = statements.insert.run(
      event.eventId,
      streamId,
      revision,
      event.type,
      event.schemaVersion,
      event.data,
      event.metadata,
      recordedAt,
    );
    position = BigInt(result.lastInsertRowid);
  }
  return { streamId, nextExpectedRevision: revision, position, written: true };
}
