/**
 * Given / when / then for deciders, in jest:
 *
 *   given(leadDecider, [leadCreated]).when(logContact).then([leadContacted]);
 *   given(leadDecider, []).when(logContact).thenRefuses('not_found', 'LEAD_NOT_FOUND');
 *   given(leadDecider, [leadCreated]).when(changeOwnerToSame).thenNothing();
 *
 * Every state, command and event is deep-frozen on the way, so a decider that mutates anything fails (TypeError in
 * strict mode), and the decided events are always evolved too, so an evolve that throws on its own events fails.
 *
 * Note: `then` makes the scenario look like a promise; do not `await` it or return it from a test callback
 * (use a block body). The guard below turns that mistake into a clear failure.
 */
import { Decider, Decision, isRefusal } from '../shared/decider';
import { DomainError, DomainErrorKind } from '../shared/domain-error';

export interface Scenario<S, E> {
  readonly decision: Decision<E>;
  /** Asserts the exact events decided (types and data, in order). */
  then(expected: readonly E[]): void;
  /** Asserts a refusal of this kind and code; `message` (substring or pattern) checks the wording. Returns the error. */
  thenRefuses(kind: DomainErrorKind, code: string, message?: string | RegExp): DomainError;
  /** Asserts that the command was accepted and changes nothing (no events). */
  thenNothing(): void;
  /** Asserts that the state after the decided events contains these values. */
  thenState(expected: Partial<S>): void;
}

export interface Given<C, S, E> {
  /** The state the given events fold to. */
  readonly state: S;
  when(command: C): Scenario<S, E>;
}

export function given<C, S, E>(decider: Decider<C, S, E>, events: readonly E[] = []): Given<C, S, E> {
  const state = foldFrozen(decider, deepFreeze(decider.initialState), events);
  return {
    state,
    when(command: C): Scenario<S, E> {
      const decision = decider.decide(deepFreeze(command), state);
      const accepted = (): readonly E[] => {
        if (isRefusal(decision)) throw new Error(`expected events, but the command was refused: ${decision.kind} ${decision.code}: ${decision.message}`);
        // The events must apply cleanly on top of the state they were decided on.
        foldFrozen(decider, state, decision);
        return decision;
      };
      return {
        decision,
        then(expected: readonly E[]): void {
          if (typeof expected === 'function') throw new Error('a scenario is not a promise: call .then([...events]) and do not await it');
          expect(accepted()).toEqual(expected);
        },
        thenRefuses(kind: DomainErrorKind, code: string, message?: string | RegExp): DomainError {
          if (!isRefusal(decision)) throw new Error(`expected a refusal ${kind} ${code}, but got events: ${JSON.stringify(decision)}`);
          expect({ kind: decision.kind, code: decision.code }).toEqual({ kind, code });
          if (message !== undefined) expect(decision.message).toMatch(message);
          return decision;
        },
        thenNothing(): void {
          expect(accepted()).toEqual([]);
        },
        thenState(expected: Partial<S>): void {
          expect(foldFrozen(decider, state, accepted())).toMatchObject(expected);
        },
      };
    },
  };
}

function foldFrozen<C, S, E>(decider: Decider<C, S, E>, initial: S, events: readonly E[]): S {
  let state = initial;
  for (const event of events) state = deepFreeze(decider.evolve(state, deepFreeze(event)));
  return state;
}

function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key], seen);
  return value;
}
