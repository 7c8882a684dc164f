import { HttpRefusal } from '../http/http-refusal';
import { ReadModelStore, leadIdentitiesProjection, leadIdentityKeys } from '@pipeline-ledger/read-models';
import { EventLog } from '@pipeline-ledger/read-models/projections/testing/event-log';
import { InMemoryProjectionStore } from '@pipeline-ledger/read-models/projections/testing/in-memory-projection-store';
import { leadCreated } from '@pipeline-ledger/read-models/projections/testing/lead-events.fixture';
import { DuplicateLeadFinder } from './duplicate-lead-finder';

/** The lead-identities read model in memory, at a checkpoint; null: never prepared. */
function readModel(log: EventLog, checkpoint: bigint | null | 'unprepared') {
  const memory = new InMemoryProjectionStore([leadIdentitiesProjection]).run(log.events);
  const store = {
    find: (collection: string, query: Parameters<ReadModelStore['find']>[1]) => memory.find(collection, query),
    state: async () => (checkpoint === 'unprepared' ? null : { active: { checkpoint } }),
  };
  return store as unknown as ReadModelStore;
}

const ada = { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', email: 'ada@engines.example' };

describe('DuplicateLeadFinder', () => {
  it('finds by email first, then by name and company, and nothing for a stranger', async () => {
    const log = new EventLog().add(
      leadCreated('L1', '2025-01-10T09:00:00Z', ada),
      leadCreated('L2', '2025-01-11T09:00:00Z', { firstName: 'Grace', lastName: 'Hopper', company: 'Navy', email: 'grace@navy.example' }),
    );
    const finder = new DuplicateLeadFinder(readModel(log, 2n));
    expect(await finder.find(leadIdentityKeys({ ...ada, email: 'ADA@engines.example' }))).toEqual({ leadId: 'L1', matchedOn: 'email' });
    expect(await finder.find(leadIdentityKeys({ firstName: 'grace', lastName: 'HOPPER', company: 'navy', email: 'other@x.example' }))).toEqual({ leadId: 'L2', matchedOn: 'name-and-company' });
    expect(await finder.find(leadIdentityKeys({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy', email: 'ada@engines.example' }))).toEqual({ leadId: 'L1', matchedOn: 'email' });
    expect(await finder.find(leadIdentityKeys({ lastName: 'Turing', company: 'Bletchley', email: null }))).toBeNull();
  });

  it('remembers a lead created here until the projection has applied its position', async () => {
    const keys = leadIdentityKeys(ada);
    let checkpoint: bigint | null = 5n;
    const memory = readModel(new EventLog(), null);
    const store = { find: memory.find.bind(memory), state: async () => ({ active: { checkpoint } }) } as unknown as ReadModelStore;
    const finder = new DuplicateLeadFinder(store);
    finder.remember(keys, 'L9', 7n);
    expect(await finder.find(leadIdentityKeys({ email: 'Ada@Engines.example' }))).toEqual({ leadId: 'L9', matchedOn: 'email' });
    expect(await finder.find(leadIdentityKeys({ ...ada, email: null }))).toEqual({ leadId: 'L9', matchedOn: 'name-and-company' });
    expect(finder.remembered).toBe(2);
    checkpoint = 7n; // the projection has it now (in the real store; this fake one stays empty)
    expect(await finder.find(keys)).toBeNull();
    expect(finder.remembered).toBe(0);
  });

  it('answers 503 while the projection has never been prepared', async () => {
    const finder = new DuplicateLeadFinder(readModel(new EventLog(), 'unprepared'));
    const refusal = await finder.find(leadIdentityKeys(ada)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(HttpRefusal);
    expect(refusal).toMatchObject({ statusCode: 503, code: 'INTAKE_NOT_READY', headers: { 'Retry-After': '5' } });
  });
});
