import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { given } from './given-when-then';

/** A counter: Add n (refused when n <= 0), Noop; its state is { total, items }. */
type Command = { type: 'Add'; n: number } | { type: 'Noop' };
type Event = { type: 'Added'; data: { n: number } };
interface State {
  total: number;
  items: number[];
}
const counter: Decider<Command, State, Event> = {
  initialState: { total: 0, items: [] },
  decide: (command) => {
    if (command.type === 'Noop') return [];
    return command.n > 0 ? [{ type: 'Added', data: { n: command.n } }] : DomainError.rule('NOT_POSITIVE', 'n must be positive');
  },
  evolve: (state, event) => ({ total: state.total + event.data.n, items: [...state.items, event.data.n] }),
};
const added = (n: number): Event => ({ type: 'Added', data: { n } });

describe('given / when / then', () => {
  it('passes on the exact events, the refusal, nothing, and the state after', () => {
    given(counter, [added(1)]).when({ type: 'Add', n: 2 }).then([added(2)]);
    given(counter, []).when({ type: 'Add', n: 0 }).thenRefuses('rule', 'NOT_POSITIVE', /positive/);
    given(counter, []).when({ type: 'Noop' }).thenNothing();
    given(counter, [added(1)]).when({ type: 'Add', n: 2 }).thenState({ total: 3, items: [1, 2] });
  });

  it('fails on other events, another refusal, a refusal where events were expected, and events where a refusal was', () => {
    expect(() => given(counter, []).when({ type: 'Add', n: 2 }).then([added(3)])).toThrow();
    expect(() => given(counter, []).when({ type: 'Add', n: 0 }).thenRefuses('rule', 'OTHER')).toThrow();
    expect(() => given(counter, []).when({ type: 'Add', n: 0 }).thenRefuses('validation', 'NOT_POSITIVE')).toThrow();
    expect(() => given(counter, []).when({ type: 'Add', n: 0 }).then([])).toThrow(/refused: rule NOT_POSITIVE/);
    expect(() => given(counter, []).when({ type: 'Add', n: 1 }).thenRefuses('rule', 'NOT_POSITIVE')).toThrow(/got events/);
    expect(() => given(counter, []).when({ type: 'Add', n: 1 }).thenNothing()).toThrow();
  });

  it('fails a decider whose evolve mutates the state', () => {
    const mutating: Decider<Command, State, Event> = {
      ...counter,
      evolve: (state, event) => {
        state.items.push(event.data.n);
        return { ...state, total: state.total + event.data.n };
      },
    };
    expect(() => given(mutating, [added(1)])).toThrow(TypeError);
  });

  it('fails when the decided events cannot be evolved', () => {
    const throwing: Decider<Command, State, Event> = {
      ...counter,
      evolve: () => {
        throw new Error('cannot apply');
      },
    };
    expect(() => given(throwing, []).when({ type: 'Add', n: 1 }).then([added(1)])).toThrow('cannot apply');
  });
});
