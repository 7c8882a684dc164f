import { OPPORTUNITY_LIST, opportunitiesListProjection } from './opportunities-list.projection';
import { OpportunitiesListParams, opportunitiesListAnswer, opportunitiesListQuery } from './opportunities-list.query';
import { EventLog } from './testing/event-log';
import { InMemoryProjectionStore } from './testing/in-memory-projection-store';
import {
  amountChanged,
  closeDateChanged,
  opportunityCreated,
  opportunityOwnerChanged,
  probabilityOverridden,
  reopened,
  stageChanged,
} from './testing/opportunity-events.fixture';

function fourDeals(): EventLog {
  return new EventLog().add(
    opportunityCreated('O1', '2025-03-01T09:00:00Z', { name: 'Engines - 10 units', accountId: 'A1', owner: 'alice', closeDate: '2025-04-30', amount: 1_000_000 }),
    opportunityCreated('O2', '2025-03-02T09:00:00Z', { name: 'Compilers', accountId: 'A2', owner: 'bob', closeDate: '2025-05-15', amount: null, currency: null }),
    opportunityCreated('O3', '2025-03-03T09:00:00Z', { name: 'Engines - spares', accountId: 'A1', owner: 'bob', closeDate: '2025-04-10', amount: 250_000, stage: 'Value Proposition' }),
    opportunityCreated('O4', '2025-03-04T09:00:00Z', { name: 'Navigation', accountId: 'A3', owner: 'alice', closeDate: '2025-06-01', amount: 500_000, currency: 'EUR' }),
    stageChanged('O1', '2025-03-10T09:00:00Z', 'Prospecting', 'Negotiation/Review'),
    probabilityOverridden('O1', '2025-03-11T09:00:00Z', 85, 90),
    stageChanged('O4', '2025-03-12T09:00:00Z', 'Prospecting', 'Closed Lost'),
    amountChanged('O2', '2025-03-13T09:00:00Z', 75_000, 'GBP'),
    closeDateChanged('O3', '2025-03-14T09:00:00Z', '2025-04-20', '2025-04-10'),
    opportunityOwnerChanged('O3', '2025-03-15T09:00:00Z', 'bob', 'carol'),
  );
}

const DEFAULTS: OpportunitiesListParams = { sort: { field: 'closeDate', direction: 'asc' }, page: 1, pageSize: 50 };

async function ids(log: EventLog, params: Partial<OpportunitiesListParams> = {}): Promise<string[]> {
  const full = { ...DEFAULTS, ...params };
  const store = new InMemoryProjectionStore([opportunitiesListProjection]).run(log.events);
  const q = opportunitiesListQuery(full);
  return opportunitiesListAnswer(await store.find(q.collection, q.query), full).items.map((o) => o.id);
}

describe('opportunity list', () => {
  it('keeps one row per opportunity with stage, money, expected revenue and dates', () => {
    const store = new InMemoryProjectionStore([opportunitiesListProjection]).run(fourDeals().events);
    expect(store.document(OPPORTUNITY_LIST, 'O1')).toEqual({
      id: 'O1',
      accountId: 'A1',
      name: 'Engines - 10 units',
      stage: 'Negotiation/Review',
      status: 'open',
      probability: 85,
      forecastCategory: 'Pipeline',
      isClosed: false,
      isWon: false,
      closeDate: '2025-04-30',
      amount: 1_000_000,
      currency: 'USD',
      expectedRevenue: 850_000,
      owner: 'alice',
      source: 'Web Form',
      leadId: null,
      lossReason: null,
      createdAt: '2025-03-01T09:00:00Z',
      closedAt: null,
      updatedAt: '2025-03-11T09:00:00Z',
    });
    expect(store.document(OPPORTUNITY_LIST, 'O4')).toMatchObject({ status: 'lost', isClosed: true, lossReason: 'price', expectedRevenue: 0, closedAt: '2025-03-12T09:00:00Z' });
    expect(store.document(OPPORTUNITY_LIST, 'O2')).toMatchObject({ amount: 75_000, currency: 'GBP', expectedRevenue: 7_500 });

    const again = new InMemoryProjectionStore([opportunitiesListProjection]).run(fourDeals().add(reopened('O4', '2025-03-20T09:00:00Z', 'Closed Lost', 'Needs Analysis')).events);
    expect(again.document(OPPORTUNITY_LIST, 'O4')).toMatchObject({ status: 'open', stage: 'Needs Analysis', probability: 20, expectedRevenue: 100_000, lossReason: null, closedAt: null });
  });

  it('lists by close date, soonest first, by default', async () => {
    expect(await ids(fourDeals())).toEqual(['O3', 'O1', 'O2', 'O4']);
  });

  it('filters by stage, status, owner, account and close window', async () => {
    const log = fourDeals();
    expect(await ids(log, { stage: ['Negotiation/Review', 'Value Proposition'] })).toEqual(['O3', 'O1']);
    expect(await ids(log, { status: ['lost'] })).toEqual(['O4']);
    expect(await ids(log, { status: ['open'], owner: 'bob' })).toEqual(['O2']);
    expect(await ids(log, { owner: 'carol' })).toEqual(['O3']);
    expect(await ids(log, { accountId: 'A1' })).toEqual(['O3', 'O1']);
    expect(await ids(log, { closeFrom: '2025-04-20', closeTo: '2025-05-15' })).toEqual(['O3', 'O1', 'O2']);
    expect(await ids(log, { q: 'engines' })).toEqual(['O3', 'O1']);
  });

  it('sorts by amount and expected revenue (no amount first ascending), and pages', async () => {
    const log = fourDeals();
    expect(await ids(log, { sort: { field: 'amount', direction: 'desc' } })).toEqual(['O1', 'O4', 'O3', 'O2']);
    expect(await ids(log, { sort: { field: 'expectedRevenue', direction: 'asc' } })).toEqual(['O4', 'O2', 'O3', 'O1']);
    expect(await ids(log, { sort: { field: 'name', direction: 'asc' }, page: 2, pageSize: 3 })).toEqual(['O4']);
  });

  it('builds the find query', () => {
    expect(opportunitiesListQuery({ ...DEFAULTS, stage: ['Prospecting'], owner: 'bob', accountId: 'A1', closeTo: '2025-12-31', pageSize: 10, page: 2 })).toEqual({
      collection: OPPORTUNITY_LIST,
      query: {
        filters: [
          { field: 'stage', op: 'in', value: ['Prospecting'] },
          { field: 'owner', op: 'eq', value: 'bob' },
          { field: 'accountId', op: 'eq', value: 'A1' },
          { field: 'closeDate', op: 'lte', value: '2025-12-31' },
        ],
        sort: [
          { field: 'closeDate', direction: 'asc' },
          { field: 'id', direction: 'asc' },
        ],
        limit: 10,
        offset: 10,
      },
    });
  });
});
