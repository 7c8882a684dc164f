import { DomainError } from './domain-error';

/**
 * A domain event as the deciders see it: a stable type name and its data. The store adds the envelope.
 * `D` defaults to `object` (not `Record<string, unknown>`): event data are declared with interfaces, which have no
 * index signature, and every record's events must satisfy `E extends DomainEvent`.
 */
export interface DomainEvent<T extends string = string, D extends object = object> {
  readonly type: T;
  readonly data: D;
}

/** What a decision comes to: the events to append (possibly none), or the reason it was refused. */
export type Decision<E> = readonly E[] | DomainError;

/**
 * One record's business rules as pure functions (no clock, no I/O, no framework):
 * decide(command, state) -> events | error, evolve(state, event) -> state, starting from initialState.
 */
export interface Decider<C, S, E> {
  readonly initialState: S;
  decide(command: C, state: S): Decision<E>;
  evolve(state: S, event: E): S;
}

export function isRefusal<E>(decision: Decision<E>): decision is DomainError {
  return decision instanceof DomainError;
}

/** Folds events into state. */
export function fold<S, E>(decider: Pick<Decider<unknown, S, E>, 'initialState' | 'evolve'>, events: Iterable<E>): S {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
