import { LEAD_STATUS } from '@pipeline-ledger/domain';
import { LEAD_LIST, leadsListProjection } from './leads-list.projection';
import { LeadsListParams, leadsListAnswer, leadsListQuery } from './leads-list.query';
import { EventLog } from './testing/event-log';
import { InMemoryProjectionStore } from './testing/in-memory-projection-store';
import {
  leadContacted,
  leadConverted,
  leadCreated,
  leadDetailsUpdated,
  leadDisqualified,
  leadOwnerChanged,
  leadQualified,
  leadReopened,
} from './testing/lead-events.fixture';

function fiveLeads(): EventLog {
  return new EventLog().add(
    leadCreated('L1', '2025-01-10T09:00:00Z', { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd', email: 'ada@engines.example', source: 'Web Form', owner: 'alice', campaign: 'Spring' }),
    leadCreated('L2', '2025-01-20T09:00:00Z', { firstName: 'Charles', lastName: 'Babbage', company: 'Difference Engines', email: 'charles@diff.example', source: 'Referral', owner: 'bob' }),
    leadCreated('L3', '2025-02-01T09:00:00Z', { firstName: 'Grace', lastName: 'Hopper', company: 'Navy Compilers', email: 'grace@navy.example', source: 'Trade Show', owner: 'alice' }),
    leadCreated('L4', '2025-02-15T09:00:00Z', { firstName: 'Alan', lastName: 'Turing', company: 'Bletchley Park', email: 'alan@bp.example', source: 'Web Form', owner: 'bob' }),
    leadCreated('L5', '2025-03-01T23:30:00-02:00', { firstName: null, lastName: 'Johnson', company: 'NASA Langley', email: null, source: 'Partner', owner: 'alice' }),
    leadContacted('L1', '2025-01-11T09:00:00Z'),
    leadQualified('L1', '2025-01-12T09:00:00Z'),
    leadConverted('L1', '2025-01-15T09:00:00Z', 'O1'),
    leadDisqualified('L3', '2025-02-02T09:00:00Z'),
    leadDetailsUpdated('L4', '2025-02-16T09:00:00Z', { company: 'Bletchley Park Trust', email: 'alan@bletchley.example' }),
    leadOwnerChanged('L5', '2025-03-02T09:00:00Z', 'alice', 'carol'),
  );
}

const DEFAULTS: LeadsListParams = { sort: { field: 'createdAt', direction: 'desc' }, page: 1, pageSize: 50 };

async function list(log: EventLog, params: Partial<LeadsListParams> = {}) {
  const full = { ...DEFAULTS, ...params };
  const store = new InMemoryProjectionStore([leadsListProjection]).run(log.events);
  const q = leadsListQuery(full);
  return leadsListAnswer(await store.find(q.collection, q.query), full);
}

async function ids(log: EventLog, params: Partial<LeadsListParams> = {}): Promise<string[]> {
  return (await list(log, params)).items.map((lead) => lead.id);
}

describe('lead list', () => {
  it('keeps one row per lead with its current state', () => {
    const store = new InMemoryProjectionStore([leadsListProjection]).run(fiveLeads().events);
    expect(store.document(LEAD_LIST, 'L1')).toEqual({
      id: 'L1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      name: 'Ada Lovelace',
      company: 'Analytical Engines Ltd',
      title: null,
      email: 'ada@engines.example',
      phone: null,
      source: 'Web Form',
      campaign: 'Spring',
      industry: null,
      rating: null,
      owner: 'alice',
      status: LEAD_STATUS.converted,
      createdAt: '2025-01-10T09:00:00Z',
      createdDay: '2025-01-10',
      contactCount: 1,
      lastContactedAt: '2025-01-11T09:00:00Z',
      qualified: true,
      disqualificationReasonCode: null,
      disqualificationReason: null,
      convertedAt: '2025-01-15T09:00:00Z',
      accountId: 'A-L1',
      contactId: 'C-L1',
      opportunityId: 'O1',
      updatedAt: '2025-01-15T09:00:00Z',
    });
    // Created at 23:30 at UTC-2: the UTC day is the next one.
    expect(store.document(LEAD_LIST, 'L5')).toMatchObject({ name: 'Johnson', owner: 'carol', createdDay: '2025-03-02' });
    expect(store.document(LEAD_LIST, 'L3')).toMatchObject({ status: LEAD_STATUS.disqualified, disqualificationReasonCode: 'no_budget', disqualificationReason: 'cut this year' });
    const reopened = new InMemoryProjectionStore([leadsListProjection]).run(fiveLeads().add(leadReopened('L3', '2025-02-03T09:00:00Z')).events);
    expect(reopened.document(LEAD_LIST, 'L3')).toMatchObject({
      status: LEAD_STATUS.working,
      disqualificationReasonCode: null,
      disqualificationReason: null,
      updatedAt: '2025-02-03T09:00:00Z',
    });
  });

  it('lists newest first by default, with the total', async () => {
    const page = await list(fiveLeads());
    expect(page.items.map((l) => l.id)).toEqual(['L5', 'L4', 'L3', 'L2', 'L1']);
    expect(page).toMatchObject({ page: 1, pageSize: 50, total: 5, totalPages: 1 });
  });

  it('filters by status, source, owner (the current one), company and created window', async () => {
    const log = fiveLeads();
    expect(await ids(log, { status: [LEAD_STATUS.converted, LEAD_STATUS.disqualified] })).toEqual(['L3', 'L1']);
    expect(await ids(log, { source: ['Web Form'] })).toEqual(['L4', 'L1']);
    expect(await ids(log, { owner: 'alice' })).toEqual(['L3', 'L1']);
    expect(await ids(log, { owner: 'carol' })).toEqual(['L5']);
    expect(await ids(log, { company: 'ENGINES' })).toEqual(['L2', 'L1']);
    expect(await ids(log, { createdFrom: '2025-01-20', createdTo: '2025-02-15' })).toEqual(['L4', 'L3', 'L2']);
    expect(await ids(log, { createdFrom: '2025-03-02' })).toEqual(['L5']);
    expect(await ids(log, { source: ['Web Form'], owner: 'bob', company: 'trust' })).toEqual(['L4']);
  });

  it('searches name, company and email, case-insensitively, with updated details', async () => {
    const log = fiveLeads();
    expect(await ids(log, { q: 'ada lovelace' })).toEqual(['L1']);
    expect(await ids(log, { q: 'nasa' })).toEqual(['L5']);
    expect(await ids(log, { q: 'bletchley.example' })).toEqual(['L4']);
    expect(await ids(log, { q: 'Park Trust' })).toEqual(['L4']);
    expect(await ids(log, { q: 'engines' })).toEqual(['L2', 'L1']);
    expect(await ids(log, { q: 'nobody' })).toEqual([]);
  });

  it('sorts by any allowed field either way and pages through without overlap', async () => {
    const log = fiveLeads();
    expect(await ids(log, { sort: { field: 'lastName', direction: 'asc' } })).toEqual(['L2', 'L3', 'L5', 'L1', 'L4']);
    // Text sorts by code unit, as the store's binary collation does: "Navy" comes after "NASA".
    expect(await ids(log, { sort: { field: 'company', direction: 'desc' } })).toEqual(['L3', 'L5', 'L2', 'L4', 'L1']);
    // Equal owners are ordered by id.
    expect(await ids(log, { sort: { field: 'owner', direction: 'asc' } })).toEqual(['L1', 'L3', 'L2', 'L4', 'L5']);
    const asc = { sort: { field: 'createdAt', direction: 'asc' }, pageSize: 2 } as const;
    expect(await list(log, { ...asc, page: 2 })).toMatchObject({ page: 2, pageSize: 2, total: 5, totalPages: 3 });
    expect(await ids(log, { ...asc, page: 1 })).toEqual(['L1', 'L2']);
    expect(await ids(log, { ...asc, page: 2 })).toEqual(['L3', 'L4']);
    expect(await ids(log, { ...asc, page: 3 })).toEqual(['L5']);
    expect(await ids(log, { ...asc, page: 4 })).toEqual([]);
  });

  it('builds the find query: filters, sort with the id as tie-break, limit and offset', () => {
    expect(leadsListQuery({ ...DEFAULTS, status: ['Nurturing'], company: 'acme', q: 'ada', page: 3, pageSize: 20 })).toEqual({
      collection: LEAD_LIST,
      query: {
        filters: [
          { field: 'status', op: 'in', value: ['Nurturing'] },
          { fields: ['company'], op: 'contains', value: 'acme' },
          { fields: ['name', 'company', 'email'], op: 'contains', value: 'ada' },
        ],
        sort: [
          { field: 'createdAt', direction: 'desc' },
          { field: 'id', direction: 'asc' },
        ],
        limit: 20,
        offset: 40,
      },
    });
  });
});
