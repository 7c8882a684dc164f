import { Decider, DomainError, DomainEvent, DomainEventType, RecordKind, isRefusal, streamIdFor } from '@pipeline-ledger/domain';
import { exampleUuid } from './example-ids';

/** One event a decider decided, with what its envelope needs. */
export interface DecidedEvent {
  streamId: string;
  revision: number;
  type: DomainEventType;
  data: Record<string, unknown>;
  occurredAt: string;
  actor: string;
  correlationId: string;
  causationId: string;
}

/** Who acts and why, for one command; by default a request of its own by alice. */
export interface Acting {
  /** Business time; default: the clock's next tick. */
  at?: string;
  actor?: string;
  correlationId?: string;
  causationId?: string;
}

/**
 * Runs commands through the real deciders, one stream per record, on a clock that moves 97 minutes per command: what
 * the examples of every event are made of. A refusal throws (an example scenario the rules refuse is a bug).
 */
export class ExampleLedger {
  readonly events: DecidedEvent[] = [];
  private readonly streams = new Map<string, { state: unknown; revision: number }>();
  private clock = Date.parse('2026-03-02T09:15:00.000Z');
  private commands = 0;

  decide<C extends { type: string }, S, E extends DomainEvent>(
    decider: Decider<C, S, E>,
    kind: RecordKind,
    id: string,
    command: (at: string) => C,
    acting: Acting = {},
  ): E[] {
    const at = acting.at ?? new Date((this.clock += 97 * 60_000)).toISOString();
    const commandId = exampleUuid(`command ${++this.commands}`);
    const streamId = streamIdFor(kind, id);
    const stream = this.streams.get(streamId) ?? { state: decider.initialState, revision: -1 };
    const given = command(at);
    const decision = decider.decide(given, stream.state as S);
    if (isRefusal(decision)) throw new Error(`example scenario refused: ${given.type} on ${streamId}: ${(decision as DomainError).message}`);
    let state = stream.state as S;
    for (const event of decision) {
      state = decider.evolve(state, event);
      this.events.push({
        streamId,
        revision: ++stream.revision,
        type: event.type as DomainEventType,
        data: event.data as Record<string, unknown>,
        occurredAt: at,
        actor: acting.actor ?? 'alice',
        correlationId: acting.correlationId ?? commandId,
        causationId: acting.causationId ?? commandId,
      });
    }
    this.streams.set(streamId, { state, revision: stream.revision });
    return [...decision];
  }
}
