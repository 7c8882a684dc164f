import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { upcast } from '@pipeline-ledger/contracts';
import { DomainError, DomainEvent, EVENT_SCHEMA_VERSIONS, fold, isRefusal, streamIdFor } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventStore, NewEvent, StoredEvent, WrongExpectedRevisionError, chainHead, chainNewEvents } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from '@pipeline-ledger/privacy';
import { CommandContext, CommandOutcome } from './command-context';
import { seededEventId } from './event-ids';
import { RecordType } from './record-types';

export interface Loaded<S> {
  state: S;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  revision: number;
  events: StoredEvent[];
}

/** How often a command whose stream moved under it (no If-Match given) is decided again before giving up. */
const MAX_ATTEMPTS = 5;

/**
 * Load, decide, append: the one way commands change a record.
 * The append names the revision that was loaded, so two conflicting commands never both succeed: the loser is decided
 * again on the new state (and refused if the rules now say no), or, when the client sent If-Match, refused with 409.
 */
@Injectable()
export class EventSourcedRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly personalData: PersonalDataProtector,
  ) {}

  async load<C, S extends { exists: boolean }, E>(record: RecordType<C, S, E>, id: string): Promise<Loaded<S>> {
    const events = await this.store.readStream(streamIdFor(record.kind, id));
    const state = fold(record.decider, events.map((e) => toDomainEvent(e) as E));
    return { state, revision: events.length ? events[events.length - 1].revision : -1, events };
  }

  /** Loads a record that must exist, or refuses with 404. */
  async get<C, S extends { exists: boolean }, E>(record: RecordType<C, S, E>, id: string): Promise<Loaded<S>> {
    const loaded = await this.load(record, id);
    if (!loaded.state.exists) throw DomainError.notFound(record.kind, id);
    return loaded;
  }

  /** The newest event of a type in a record's stream. */
  async lastEventOfType<C, S extends { exists: boolean }, E>(record: RecordType<C, S, E>, id: string, type: string): Promise<StoredEvent | undefined> {
    const events = await this.store.readStream(streamIdFor(record.kind, id), { direction: 'backwards' });
    return events.find((e) => e.type === type);
  }

  async execute<C, S extends { exists: boolean }, E extends DomainEvent>(
    record: RecordType<C, S, E>,
    id: string,
    command: C,
    ctx: CommandContext,
  ): Promise<CommandOutcome<S>> {
    const streamId = streamIdFor(record.kind, id);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(record, id);
      const earlier = this.earlierRun(loaded, ctx);
      if (earlier) return { id, state: loaded.state, revision: loaded.revision, appended: [], replayed: true };
      if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== loaded.revision) {
        throw staleRevision(record.kind, id, ctx.expectedRevision, loaded.revision);
      }
      const decision = record.decider.decide(command, loaded.state);
      if (isRefusal(decision)) throw decision;
      if (decision.length === 0) return { id, state: loaded.state, revision: loaded.revision, appended: [], replayed: false };

      try {
        // Personal fields are sealed first, so that the hash chain covers what is stored: erasing a person (deleting
        // the key) leaves every chain verifiable. Tamper evidence: each event's hash chains from the stream's previous one.
        const sealed = await this.personalData.seal(toNewEvents(decision, ctx));
        const chained = chainNewEvents(streamId, loaded.revision + 1, chainHead(loaded.events), sealed);
        const result = await this.store.appendToStream(streamId, chained, {
          expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision,
        });
        // Not written: a concurrent run of the same idempotent command got there first; the next loop answers with it.
        if (!result.written) continue;
        const state = decision.reduce((s, e) => record.decider.evolve(s, e), loaded.state);
        return { id, state, revision: result.nextExpectedRevision, appended: decision.map((e) => e.type), replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (ctx.expectedRevision !== undefined || attempt >= MAX_ATTEMPTS) {
          throw staleRevision(record.kind, id, loaded.revision, error.actual === 'no_stream' ? -1 : error.actual);
        }
      }
    }
  }

  /** The event an earlier run of this same command wrote, if there was one. Another request under the same key is a 409. */
  private earlierRun<S>(loaded: Loaded<S>, ctx: CommandContext): StoredEvent | undefined {
    if (!ctx.eventIdSeed) return undefined;
    const firstId = seededEventId(ctx.eventIdSeed, 0);
    const earlier = loaded.events.find((e) => e.eventId === firstId);
    if (earlier && ctx.idempotency && earlier.metadata['requestHash'] !== ctx.idempotency.requestHash) {
      throw DomainError.rule(
        'IDEMPOTENCY_KEY_REUSED',
        `Idempotency-Key "${ctx.idempotency.key}" was already used for a different request; use a new key for a new request`,
      );
    }
    return earlier;
  }
}

/**
 * A stored event as a domain fact for a decider's evolve: upcast to the current schema version of its type first, so
 * the deciders only ever see the shape they write today (events of older versions stay as stored, and their hash
 * chain with them).
 */
export function toDomainEvent(stored: StoredEvent): DomainEvent {
  const current = upcast(stored);
  return { type: current.type, data: current.data };
}

function toNewEvents(events: readonly DomainEvent[], ctx: CommandContext): NewEvent[] {
  return events.map((event, index) => ({
    eventId: ctx.eventIdSeed ? seededEventId(ctx.eventIdSeed, index) : randomUUID(),
    type: event.type,
    schemaVersion: schemaVersionOf(event.type),
    data: event.data as Record<string, unknown>,
    metadata: {
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      causationId: ctx.causationId,
      occurredAt: ctx.occurredAt,
      ...(ctx.idempotency ? { idempotencyKey: ctx.idempotency.key, requestHash: ctx.idempotency.requestHash } : {}),
    },
  }));
}

function schemaVersionOf(type: string): number {
  const version = (EVENT_SCHEMA_VERSIONS as Record<string, number | undefined>)[type];
  if (version === undefined) throw new Error(`event type ${type} has no schema version in EVENT_SCHEMA_VERSIONS`);
  return version;
}

function staleRevision(kind: string, id: string, expected: number, actual: number): DomainError {
  return new DomainError(
    'concurrency',
    'CONCURRENCY_CONFLICT',
    `${kind} ${id} changed: it is at revision ${actual}, the request expected ${expected}. Read it again and retry.`,
  );
}
