import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { upcast } from '@pipeline-ledger/contracts';
import { DomainError, DomainEvent, EVENT_SCHEMA_VERSIONS, fold, isRefusal, streamIdFor } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventIdConflictError, EventStore, NewEvent, StoredEvent, StreamAppend, WrongExpectedRevisionError, chainHead, chainNewEvents } from '@pipeline-ledger/event-store';
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

/** One command of a batch (executeBatch): what execute takes, as one value. */
export interface BatchCommand<C = unknown> {
  record: RecordType<C, { exists: boolean }, unknown>;
  id: string;
  command: C;
  ctx: CommandContext;
  /**
   * The caller believes the record does not exist yet (an import's new lead): its stream is not read, the command is
   * decided on the empty state, and the append demands that the stream not exist. If it does after all, the store
   * refuses the append and the command is decided again, on the record as it is, like any stream that moved.
   */
  assumeNew?: boolean;
}

/** How one command of a batch went: its outcome, or the error execute would have thrown (a refusal, a 404, ...). */
export type BatchCommandResult = { ok: true; outcome: CommandOutcome<{ exists: boolean }> } | { ok: false; error: Error };

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
    return loadedFrom(record, await this.store.readStream(streamIdFor(record.kind, id)));
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

  /**
   * Many commands at once, for bulk writers (CSV imports): every command is decided by its record's decider exactly as
   * execute would decide it (the same refusals, the same idempotency by eventIdSeed, the same sealing and hash chains),
   * but the streams are loaded in one read (readStreams) and all the appends go to the store in one batch
   * (appendToStreams), so that the commands share a transaction. Commands on the same record are decided in the order given, each on
   * the state the ones before it left; a refused command leaves the record as it was for the next one. One result per
   * command, in order; a refusal never stops the others. The records a command references (an opportunity's account)
   * must exist in the store before the batch: create them in an earlier batch. A stream that moved under the batch
   * (another writer) has its commands run again one by one through execute.
   */
  async executeBatch(commands: readonly BatchCommand[]): Promise<BatchCommandResult[]> {
    const results: BatchCommandResult[] = new Array(commands.length);
    const byStream = new Map<string, number[]>();
    commands.forEach((c, i) => {
      const streamId = streamIdFor(c.record.kind, c.id);
      const list = byStream.get(streamId);
      if (list) list.push(i);
      else byStream.set(streamId, [i]);
    });
    const references = new Map<string, Promise<boolean>>();
    const exists = (record: RecordType<unknown, { exists: boolean }, unknown>, id: string) => {
      const key = streamIdFor(record.kind, id);
      let found = references.get(key);
      if (!found) references.set(key, (found = this.load(record, id).then((l) => l.state.exists)));
      return found;
    };

    interface Pending {
      streamId: string;
      /** Not read (assumeNew): decided on the empty state. */
      assumed: boolean;
      loaded: Loaded<{ exists: boolean }>;
      events: NewEvent[];
      /** Per command of the stream that appended: its state and how many events it had decided, in order. */
      decided: Array<{ index: number; state: { exists: boolean }; count: number; types: string[] }>;
    }
    const pending: Pending[] = [];
    const toRead = [...byStream].filter(([, indexes]) => !indexes.every((i) => commands[i]!.assumeNew)).map(([streamId]) => streamId);
    const stored = toRead.length ? await this.store.readStreams(toRead) : new Map<string, StoredEvent[]>();
    const read = new Set(toRead);
    for (const [streamId, indexes] of byStream) {
      const first = commands[indexes[0]!]!;
      const loaded = loadedFrom(first.record as RecordType<unknown, { exists: boolean }, DomainEvent>, stored.get(streamId) ?? []);
      let state = loaded.state;
      const events: NewEvent[] = [];
      const decided: Pending['decided'] = [];
      for (const index of indexes) {
        const { record, id, command, ctx } = commands[index]!;
        try {
          for (const ref of record.references?.(command) ?? []) {
            if (!(await exists(ref.record, ref.id))) throw DomainError.notFound(ref.record.kind, ref.id);
          }
          if (this.earlierRun(loaded, ctx)) {
            results[index] = { ok: true, outcome: { id, state, revision: loaded.revision + events.length, appended: [], replayed: true } };
            continue;
          }
          const revisionNow = loaded.revision + events.length;
          if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== revisionNow) throw staleRevision(record.kind, id, ctx.expectedRevision, revisionNow);
          const decider = record.decider as unknown as RecordType<unknown, { exists: boolean }, DomainEvent>['decider'];
          const decision = decider.decide(command, state);
          if (isRefusal(decision)) throw decision;
          if (decision.length === 0) {
            results[index] = { ok: true, outcome: { id, state, revision: revisionNow, appended: [], replayed: false } };
            continue;
          }
          state = decision.reduce((s, e) => decider.evolve(s, e), state);
          events.push(...toNewEvents(decision, ctx));
          decided.push({ index, state, count: decision.length, types: decision.map((e) => e.type) });
        } catch (error) {
          results[index] = { ok: false, error: error as Error };
        }
      }
      if (events.length > 0) pending.push({ streamId, assumed: !read.has(streamId), loaded, events, decided });
    }

    // Sealed, then chained (as execute does): all the batch's events in one call (a call per stream cost more than the
    // sealing itself); if that fails (an erased person), stream by stream, so that only that stream fails.
    const sealedEvents = await this.personalData.seal(pending.flatMap((p) => p.events)).then(
      (all) => {
        let next = 0;
        return pending.map((p) => all.slice(next, (next += p.events.length)));
      },
      () => Promise.all(pending.map((p) => this.personalData.seal(p.events).catch((error: Error) => error))),
    );
    const sealed = pending.map((p, k): StreamAppend | Error => {
      const events = sealedEvents[k]!;
      if (events instanceof Error) return events;
      return {
        streamId: p.streamId,
        events: chainNewEvents(p.streamId, p.loaded.revision + 1, chainHead(p.loaded.events), events),
        expectedRevision: p.loaded.revision < 0 ? 'no_stream' : p.loaded.revision,
      };
    });
    const toAppend = sealed.filter((a): a is StreamAppend => !(a instanceof Error));
    const appended = toAppend.length ? await this.store.appendToStreams(toAppend) : [];
    let next = 0;
    for (let k = 0; k < pending.length; k++) {
      const p = pending[k]!;
      const append = sealed[k]!;
      const outcome = append instanceof Error ? { ok: false as const, error: append } : appended[next++]!;
      if (outcome.ok && outcome.result.written) {
        let revision = p.loaded.revision;
        for (const d of p.decided) {
          revision += d.count;
          const { id } = commands[d.index]!;
          results[d.index] = { ok: true, outcome: { id, state: d.state, revision, appended: d.types, replayed: false } };
        }
      } else if (outcome.ok || outcome.error instanceof WrongExpectedRevisionError || (p.assumed && outcome.error instanceof EventIdConflictError)) {
        // The stream moved under the batch, a concurrent run of the same commands wrote first, or a stream assumed new
        // exists (even holding some of these events, from an earlier run): decide again, one by one, on what is stored.
        for (const d of p.decided) {
          const c = commands[d.index]!;
          results[d.index] = await this.execute(c.record as RecordType<unknown, { exists: boolean }, DomainEvent>, c.id, c.command, c.ctx).then(
            (o): BatchCommandResult => ({ ok: true, outcome: o }),
            (error: Error): BatchCommandResult => ({ ok: false, error }),
          );
        }
      } else {
        for (const d of p.decided) results[d.index] = { ok: false, error: outcome.error };
      }
    }
    return results;
  }

  /** The event an earlier run of this same command wrote, if there was one. Another request under the same key is a 409. */
  private earlierRun<S>(loaded: Loaded<S>, ctx: CommandContext): StoredEvent | undefined {
    if (!ctx.eventIdSeed || loaded.events.length === 0) return undefined; // a new stream holds no earlier run
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

function loadedFrom<C, S extends { exists: boolean }, E>(record: RecordType<C, S, E>, events: StoredEvent[]): Loaded<S> {
  const state = fold(record.decider, events.map((e) => toDomainEvent(e) as E));
  return { state, revision: events.length ? events[events.length - 1]!.revision : -1, events };
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
