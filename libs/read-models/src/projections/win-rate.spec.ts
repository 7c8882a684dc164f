import { EventLog, recordedAt } from './testing/event-log';
import { InMemoryProjectionStore } from './testing/in-memory-projection-store';
import { opportunityCreated, opportunityOwnerChanged, reopened, stageChanged } from './testing/opportunity-events.fixture';
import { WIN_RATES, WIN_RATE_OPPORTUNITIES, winRateProjection } from './win-rate.projection';
import { WinRateAnswer, WinRateParams, winRateAnswer, winRateQuery } from './win-rate.query';

/**
 * O1 alice, Web Form: won Mar 10.      O2 alice, Referral: lost Mar 12.
 * O3 bob, Web Form: won Mar 15, reopened Mar 20, lost Apr 2 (counted once: lost, in April).
 * O4 bob, no source: won Mar 25, reopened Mar 26, won again Mar 28 (counted once: won, Mar 28).
 * O5 carol, Web Form: still open.      O6 alice, Web Form: created closed won on Mar 5.
 */
function deals(): EventLog {
  return new EventLog().add(
    opportunityCreated('O1', '2025-03-01T09:00:00Z', { owner: 'alice', source: 'Web Form' }),
    opportunityCreated('O2', '2025-03-01T09:00:00Z', { owner: 'alice', source: 'Referral' }),
    opportunityCreated('O3', '2025-03-01T09:00:00Z', { owner: 'bob', source: 'Web Form' }),
    opportunityCreated('O4', '2025-03-01T09:00:00Z', { owner: 'bob', source: null }),
    opportunityCreated('O5', '2025-03-01T09:00:00Z', { owner: 'carol', source: 'Web Form' }),
    opportunityCreated('O6', '2025-03-05T09:00:00Z', { owner: 'alice', source: 'Web Form', stage: 'Closed Won' }),
    stageChanged('O1', '2025-03-10T09:00:00Z', 'Prospecting', 'Closed Won'),
    stageChanged('O2', '2025-03-12T09:00:00Z', 'Prospecting', 'Closed Lost'),
    stageChanged('O3', '2025-03-15T09:00:00Z', 'Prospecting', 'Closed Won'),
    reopened('O3', '2025-03-20T09:00:00Z', 'Closed Won', 'Negotiation/Review'),
    stageChanged('O4', '2025-03-25T09:00:00Z', 'Prospecting', 'Closed Won'),
    reopened('O4', '2025-03-26T09:00:00Z', 'Closed Won', 'Prospecting'),
    stageChanged('O4', '2025-03-28T09:00:00Z', 'Prospecting', 'Closed Won'),
    stageChanged('O3', '2025-04-02T09:00:00Z', 'Negotiation/Review', 'Closed Lost'),
    stageChanged('O5', '2025-04-03T09:00:00Z', 'Prospecting', 'Value Proposition'),
  );
}

async function winRate(log: EventLog, params: Partial<WinRateParams> = {}, batchSize = 100): Promise<WinRateAnswer> {
  const full: WinRateParams = { groupBy: [], ...params };
  const store = new InMemoryProjectionStore([winRateProjection]).run(log.events, batchSize);
  const q = winRateQuery(full);
  return winRateAnswer(await store.sum(q.collection, q.query), full);
}

describe('win rate', () => {
  it('counts each closed deal once, however often it was reopened and closed again', async () => {
    const answer = await winRate(deals());
    expect(answer.total).toEqual({ won: 3, lost: 2, closed: 5, winRate: 0.6 });
    expect(answer.groups).toEqual([{ group: {}, won: 3, lost: 2, closed: 5, winRate: 0.6 }]);
  });

  it('dates a deal by the day it (last) closed: the window is on close days', async () => {
    const march = await winRate(deals(), { from: '2025-03-01', to: '2025-03-31' });
    expect(march.total).toEqual({ won: 3, lost: 1, closed: 4, winRate: 0.75 });
    expect(march.window).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    const april = await winRate(deals(), { from: '2025-04-01', to: '2025-04-30' });
    expect(april.total).toEqual({ won: 0, lost: 1, closed: 1, winRate: 0 });
    const nothing = await winRate(deals(), { from: '2025-05-01' });
    expect(nothing.total).toEqual({ won: 0, lost: 0, closed: 0, winRate: null });
  });

  it('groups by owner, by source (no source last) and by both', async () => {
    const byOwner = await winRate(deals(), { groupBy: ['owner'] });
    expect(byOwner.groups).toEqual([
      { group: { owner: 'alice' }, won: 2, lost: 1, closed: 3, winRate: 0.6667 },
      { group: { owner: 'bob' }, won: 1, lost: 1, closed: 2, winRate: 0.5 },
    ]);
    const bySource = await winRate(deals(), { groupBy: ['source'] });
    expect(bySource.groups.map((g) => [g.group.source, g.won, g.closed, g.winRate])).toEqual([
      ['Referral', 0, 1, 0],
      ['Web Form', 2, 3, 0.6667],
      [null, 1, 1, 1],
    ]);
    const both = await winRate(deals(), { groupBy: ['owner', 'source'] });
    expect(both.groups.map((g) => [g.group.owner, g.group.source, g.winRate])).toEqual([
      ['alice', 'Referral', 0],
      ['alice', 'Web Form', 1],
      ['bob', 'Web Form', 0],
      ['bob', null, 1],
    ]);
  });

  it('a reopened deal that is not closed again counts nowhere; an owner change moves a closed deal\'s count', async () => {
    const log = deals().add(
      reopened('O2', '2025-04-10T09:00:00Z', 'Closed Lost', 'Prospecting'),
      opportunityOwnerChanged('O1', '2025-04-11T09:00:00Z', 'alice', 'carol'),
    );
    const answer = await winRate(log, { groupBy: ['owner'] });
    expect(answer.groups.map((g) => [g.group.owner, g.won, g.lost, g.winRate])).toEqual([
      ['alice', 1, 0, 1],
      ['bob', 1, 1, 0.5],
      ['carol', 1, 0, 1],
    ]);
    expect(answer.total).toEqual({ won: 3, lost: 1, closed: 4, winRate: 0.75 });
    // Still dated by the day O1 closed, not the day it changed hands.
    expect((await winRate(log, { owner: 'carol', from: '2025-03-10', to: '2025-03-10' })).total.won).toBe(1);
  });

  it('filters by owner and source', async () => {
    const answer = await winRate(deals(), { owner: 'alice', source: 'Web Form' });
    expect(answer.filters).toEqual({ owner: 'alice', source: 'Web Form' });
    expect(answer.total).toEqual({ won: 2, lost: 0, closed: 2, winRate: 1 });
  });

  it('remembers in the entity document whether and when a deal is counted', () => {
    const store = new InMemoryProjectionStore([winRateProjection]).run(deals().events);
    expect(store.document(WIN_RATE_OPPORTUNITIES, 'O3')).toEqual({
      id: 'O3',
      owner: 'bob',
      source: 'Web Form',
      outcome: 'lost',
      closedDay: '2025-04-02',
      closedRecordedDay: '2025-04-02',
    });
    expect(store.document(WIN_RATE_OPPORTUNITIES, 'O5')).toEqual({ id: 'O5', owner: 'carol', source: 'Web Form', outcome: null, closedDay: null, closedRecordedDay: null });
    // Closed and recorded the same day: one counter, counting for both time bases.
    expect(store.document(WIN_RATES, JSON.stringify(['bob', 'Web Form', '2025-04-02', 'both']))).toEqual({
      id: '["bob","Web Form","2025-04-02","both"]',
      owner: 'bob',
      source: 'Web Form',
      day: '2025-04-02',
      month: '2025-04',
      timeBasis: 'both',
      lost: 1,
      closed: 1,
    });
    expect(store.documents(WIN_RATES).map((d) => d['timeBasis'])).toEqual(store.documents(WIN_RATES).map(() => 'both'));
  });

  it('gives the same counters whether events come one per batch or all in one', async () => {
    expect(await winRate(deals(), { groupBy: ['owner', 'source'] }, 1)).toEqual(await winRate(deals(), { groupBy: ['owner', 'source'] }, 1000));
  });

  it('builds the sum query', () => {
    expect(winRateQuery({ from: '2025-01-01', groupBy: ['source'], owner: 'bob' })).toEqual({
      collection: WIN_RATES,
      query: {
        filters: [
          { field: 'day', op: 'gte', value: '2025-01-01' },
          { field: 'owner', op: 'eq', value: 'bob' },
          { field: 'timeBasis', op: 'in', value: ['both', 'occurred'] },
        ],
        groupBy: ['source'],
        sum: ['won', 'lost', 'closed'],
      },
    });
  });

  describe('timeBasis', () => {
    /**
     * O7 (carol, Referral) was won on Jan 20 in the business, but the store recorded that on Jun 15 (an import of
     * another CRM's history); O8 (carol, Web Form) was lost live on Jun 15.
     */
    function imported(): EventLog {
      return deals().add(
        recordedAt('2025-06-15T08:00:00Z', opportunityCreated('O7', '2025-01-05T09:00:00Z', { owner: 'carol', source: 'Referral' })),
        recordedAt('2025-06-15T08:00:01Z', stageChanged('O7', '2025-01-20T09:00:00Z', 'Prospecting', 'Closed Won')),
        opportunityCreated('O8', '2025-06-01T09:00:00Z', { owner: 'carol', source: 'Web Form' }),
        stageChanged('O8', '2025-06-15T10:00:00Z', 'Prospecting', 'Closed Lost'),
      );
    }

    it('dates a back-dated close by its business day with occurred, by the day it was recorded with recorded', async () => {
      const occurredJan = await winRate(imported(), { timeBasis: 'occurred', from: '2025-01-01', to: '2025-01-31' });
      expect(occurredJan.timeBasis).toBe('occurred');
      expect(occurredJan.total).toEqual({ won: 1, lost: 0, closed: 1, winRate: 1 });
      const recordedJan = await winRate(imported(), { timeBasis: 'recorded', from: '2025-01-01', to: '2025-01-31' });
      expect(recordedJan.timeBasis).toBe('recorded');
      expect(recordedJan.total).toEqual({ won: 0, lost: 0, closed: 0, winRate: null });

      const occurredJune15 = await winRate(imported(), { timeBasis: 'occurred', from: '2025-06-15', to: '2025-06-15', groupBy: ['source'] });
      expect(occurredJune15.groups.map((g) => [g.group.source, g.won, g.lost])).toEqual([['Web Form', 0, 1]]);
      const recordedJune15 = await winRate(imported(), { timeBasis: 'recorded', from: '2025-06-15', to: '2025-06-15', groupBy: ['source'] });
      expect(recordedJune15.groups.map((g) => [g.group.source, g.won, g.lost])).toEqual([
        ['Referral', 1, 0],
        ['Web Form', 0, 1],
      ]);
      // Over all time, each deal is counted once on either basis.
      expect((await winRate(imported(), { timeBasis: 'recorded' })).total).toEqual((await winRate(imported(), { timeBasis: 'occurred' })).total);
    });

    it('the default is occurred', async () => {
      const answer = await winRate(imported(), { from: '2025-01-01', to: '2025-01-31' });
      expect(answer.timeBasis).toBe('occurred');
      expect(answer.total.won).toBe(1);
    });

    it('deals closed live count the same on both bases, for any window, from one counter each', async () => {
      const windows = [{}, { from: '2025-03-01', to: '2025-03-31' }, { from: '2025-03-12', to: '2025-03-28' }, { from: '2025-04-01' }];
      for (const window of windows) {
        const occurred = await winRate(deals(), { ...window, groupBy: ['owner', 'source'], timeBasis: 'occurred' });
        const recorded = await winRate(deals(), { ...window, groupBy: ['owner', 'source'], timeBasis: 'recorded' });
        expect({ ...recorded, timeBasis: 'occurred' }).toEqual(occurred);
      }
      const store = new InMemoryProjectionStore([winRateProjection]).run(imported().events);
      // The live closes wrote one counter each, for both; the imported one, one per basis.
      expect(store.documents(WIN_RATES).filter((d) => d['timeBasis'] !== 'both').map((d) => [d['owner'], d['day'], d['timeBasis'], d['won']])).toEqual([
        ['carol', '2025-01-20', 'occurred', 1],
        ['carol', '2025-06-15', 'recorded', 1],
      ]);
      expect(store.document(WIN_RATE_OPPORTUNITIES, 'O7')).toMatchObject({ closedDay: '2025-01-20', closedRecordedDay: '2025-06-15' });
    });

    it('a live reopen takes a back-dated close out of both bases; closing again dates it anew on each', async () => {
      const log = imported().add(
        reopened('O7', '2025-07-01T09:00:00Z', 'Closed Won', 'Negotiation/Review'),
        recordedAt('2025-07-03T09:00:00Z', stageChanged('O7', '2025-07-02T09:00:00Z', 'Negotiation/Review', 'Closed Lost')),
      );
      for (const timeBasis of ['occurred', 'recorded'] as const) {
        expect((await winRate(log, { timeBasis, owner: 'carol', source: 'Referral', to: '2025-06-30' })).total.closed).toBe(0);
      }
      expect((await winRate(log, { timeBasis: 'occurred', from: '2025-07-02', to: '2025-07-02' })).total.lost).toBe(1);
      expect((await winRate(log, { timeBasis: 'recorded', from: '2025-07-02', to: '2025-07-02' })).total.lost).toBe(0);
      expect((await winRate(log, { timeBasis: 'recorded', from: '2025-07-03', to: '2025-07-03' })).total.lost).toBe(1);
    });
  });
});
