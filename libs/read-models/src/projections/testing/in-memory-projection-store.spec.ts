import { Projection } from '../../projection';
import { ReadModelDocument } from '../../read-model-store.port';
import { EventLog } from './event-log';
import { InMemoryProjectionStore } from './in-memory-projection-store';
import { leadCreated } from './lead-events.fixture';

/** A projection that only writes rows, to put documents in the store for the query semantics below. */
const rows: Projection = {
  name: 'rows',
  version: 1,
  collections: [{ name: 'rows', indexedFields: [] }],
  eventTypes: ['LeadCreated'],
  entityCollection: 'rows',
  entityId: (e) => String(e.data['leadId']),
  apply: (e) => {
    const doc: ReadModelDocument = { id: String(e.data['leadId']), owner: e.data['owner'], campaign: e.data['campaign'], n: Number(String(e.data['leadId']).slice(1)) };
    return { document: doc, increments: [{ collection: 'totals', id: String(e.data['owner']), group: { owner: e.data['owner'] as string }, add: { n: 1 } }] };
  },
};

describe('the in-memory projection store (spec harness)', () => {
  const store = new InMemoryProjectionStore([rows]).run(
    new EventLog().add(
      leadCreated('L1', '2025-01-01T00:00:00Z', { owner: 'alice', campaign: 'Spring' }),
      leadCreated('L2', '2025-01-01T00:00:00Z', { owner: 'bob', campaign: null }),
      leadCreated('L10', '2025-01-01T00:00:00Z', { owner: 'alice', campaign: 'Fall' }),
    ).events,
    2,
  );

  it('adds increments up across batches', () => {
    expect(store.documents('totals')).toEqual([
      { id: 'alice', owner: 'alice', n: 2 },
      { id: 'bob', owner: 'bob', n: 1 },
    ]);
  });

  it('finds with filters (null matches null), numeric comparison, sort, limit and offset', async () => {
    expect((await store.find('rows', { filters: [{ field: 'campaign', op: 'eq', value: null }], limit: 10 })).documents.map((d) => d.id)).toEqual(['L2']);
    expect((await store.find('rows', { filters: [{ field: 'n', op: 'gte', value: 2 }], sort: [{ field: 'n', direction: 'asc' }], limit: 10 })).documents.map((d) => d.id)).toEqual(['L2', 'L10']);
    const page = await store.find('rows', { sort: [{ field: 'n', direction: 'desc' }], limit: 1, offset: 1 });
    expect(page).toEqual({ documents: [{ id: 'L2', owner: 'bob', campaign: null, n: 2 }], total: 3 });
  });

  it('sums by group', async () => {
    expect(await store.sum('rows', { groupBy: ['owner'], sum: ['n'], filters: [{ field: 'owner', op: 'in', value: ['alice', 'bob'] }] })).toEqual([
      { owner: 'alice', n: 11, documents: 2 },
      { owner: 'bob', n: 2, documents: 1 },
    ]);
    expect(await store.sum('rows', { groupBy: [], sum: ['n'] })).toEqual([{ n: 13, documents: 3 }]);
  });
});
