import { ConversionRatesAnswer, ConversionRatesParams, conversionRatesAnswer, conversionRatesQuery } from './conversion-rates.query';
import {
  CONVERSION_COHORTS,
  CONVERSION_COHORTS_BY_SOURCE_MONTHLY,
  CONVERSION_COHORTS_MONTHLY,
  CONVERSION_LEADS,
  CONVERSION_PERIODS,
  CONVERSION_PERIODS_BY_SOURCE,
  CONVERSION_PERIODS_BY_SOURCE_MONTHLY,
  CONVERSION_SUM_FIELDS,
} from './lead-conversion.counters';
import { dayWindowFilters, eqFilter, runSumPlan } from './query-request';
import { leadConversionProjection } from './lead-conversion.projection';
import { EventLog, recordedAt } from './testing/event-log';
import { TimeBasis } from './time-basis';
import { InMemoryProjectionStore } from './testing/in-memory-projection-store';
import {
  leadContacted,
  leadConverted,
  leadCreated,
  leadDetailsUpdated,
  leadDisqualified,
  leadNurtureStarted,
  leadOwnerChanged,
  leadQualified,
  leadReopened,
} from './testing/lead-events.fixture';

/**
 * Six leads over three months (times to convert in brackets):
 * L1 Jan 10, Web Form, alice, Spring: contacted Jan 11, qualified Jan 12, converted with an opportunity Jan 15 (120 h)
 * L2 Jan 20, Referral, bob: contacted Jan 21, converted without an opportunity Feb 5 (384 h)
 * L3 Jan 25, Web Form, alice, Spring: disqualified Feb 2
 * L4 Feb 3, Web Form, bob, Spring: contacted and converted with an opportunity the same morning (2 h)
 * L5 Feb 10, Referral, alice: contacted Feb 11, disqualified Feb 12, reopened Feb 20, converted with an opportunity Mar 5 (552 h)
 * L6 Mar 1, Web Form, alice, Spring: nothing yet
 */
function sixLeads(): EventLog {
  return new EventLog().add(
    leadCreated('L1', '2025-01-10T09:00:00Z', { source: 'Web Form', owner: 'alice', campaign: 'Spring' }),
    leadContacted('L1', '2025-01-11T09:00:00Z'),
    leadQualified('L1', '2025-01-12T09:00:00Z'),
    leadConverted('L1', '2025-01-15T09:00:00Z', 'O1'),
    leadCreated('L2', '2025-01-20T09:00:00Z', { source: 'Referral', owner: 'bob', campaign: null }),
    leadContacted('L2', '2025-01-21T09:00:00Z'),
    leadCreated('L3', '2025-01-25T09:00:00Z', { source: 'Web Form', owner: 'alice', campaign: 'Spring' }),
    leadDisqualified('L3', '2025-02-02T09:00:00Z'),
    leadConverted('L2', '2025-02-05T09:00:00Z', null, 'bob'),
    leadCreated('L4', '2025-02-03T09:00:00Z', { source: 'Web Form', owner: 'bob', campaign: 'Spring' }),
    leadContacted('L4', '2025-02-03T10:00:00Z'),
    leadConverted('L4', '2025-02-03T11:00:00Z', 'O4', 'bob'),
    leadCreated('L5', '2025-02-10T09:00:00Z', { source: 'Referral', owner: 'alice', campaign: null }),
    leadContacted('L5', '2025-02-11T09:00:00Z'),
    leadDisqualified('L5', '2025-02-12T09:00:00Z'),
    leadReopened('L5', '2025-02-20T09:00:00Z'),
    leadCreated('L6', '2025-03-01T09:00:00Z', { source: 'Web Form', owner: 'alice', campaign: 'Spring' }),
    leadConverted('L5', '2025-03-05T09:00:00Z', 'O5'),
  );
}

async function rates(log: EventLog, params: Partial<ConversionRatesParams>, batchSize = 100): Promise<ConversionRatesAnswer> {
  const full: ConversionRatesParams = { basis: 'cohort', groupBy: [], ...params };
  const store = new InMemoryProjectionStore([leadConversionProjection]).run(log.events, batchSize);
  return conversionRatesAnswer(await runSumPlan(store, conversionRatesQuery(full)), full);
}

const JAN = { from: '2025-01-01', to: '2025-01-31' };
const FEB = { from: '2025-02-01', to: '2025-02-28' };
const Q1 = { from: '2025-01-01', to: '2025-03-31' };

describe('lead conversion: cohort and period', () => {
  it('cohort: the January leads and everything that became of them, February conversions included', async () => {
    const answer = await rates(sixLeads(), { basis: 'cohort', ...JAN });
    expect(answer.basis).toBe('cohort');
    expect(answer.basisDescription).toMatch(/^cohort: the leads created from 2025-01-01 to 2025-01-31/);
    expect(answer.window).toEqual({ from: '2025-01-01', to: '2025-01-31' });
    expect(answer.groups).toEqual([{ group: {}, ...answer.total }]);
    expect(answer.total.counts).toEqual({ created: 3, contacted: 2, qualified: 1, disqualified: 1, converted: 2, convertedWithOpportunity: 1 });
    expect(answer.total.rates).toEqual({ contacted: 0.6667, qualified: 0.3333, disqualification: 0.3333, leadToContact: 0.6667, leadToOpportunity: 0.3333 });
    // 120 h and 384 h: the median is the first (bucket 72-120 h), the p90 the second (bucket 336-504 h).
    expect(answer.total.timeToConvert).toMatchObject({
      conversions: 2,
      median: { atMostHours: 120, moreThanHours: 72 },
      p90: { atMostHours: 504, moreThanHours: 336 },
    });
  });

  it('period: what is dated in January, over the leads created in January', async () => {
    const answer = await rates(sixLeads(), { basis: 'period', ...JAN });
    expect(answer.basis).toBe('period');
    expect(answer.basisDescription).toMatch(/^period: /);
    expect(answer.total.counts).toEqual({ created: 3, contacted: 2, qualified: 1, disqualified: 0, converted: 1, convertedWithOpportunity: 1 });
    expect(answer.total.rates).toMatchObject({ disqualification: 0, leadToContact: 0.3333, leadToOpportunity: 0.3333 });
    expect(answer.total.timeToConvert).toMatchObject({ conversions: 1, median: { atMostHours: 120 }, p90: { atMostHours: 120 } });
  });

  it('February on both bases: a reopened lead is no longer disqualified, conversions are dated when they happen', async () => {
    const cohort = await rates(sixLeads(), { basis: 'cohort', ...FEB });
    expect(cohort.total.counts).toEqual({ created: 2, contacted: 2, qualified: 0, disqualified: 0, converted: 2, convertedWithOpportunity: 2 });
    expect(cohort.total.rates).toMatchObject({ leadToContact: 1, leadToOpportunity: 1, disqualification: 0 });
    expect(cohort.total.timeToConvert).toMatchObject({ median: { atMostHours: 2, moreThanHours: 1 }, p90: { atMostHours: 720, moreThanHours: 504 } });

    const period = await rates(sixLeads(), { basis: 'period', ...FEB });
    // L3's disqualification (Feb 2) is dated in February; L5's was undone by the reopen. L2 (Feb 5) and L4 converted in February.
    expect(period.total.counts).toEqual({ created: 2, contacted: 2, qualified: 0, disqualified: 1, converted: 2, convertedWithOpportunity: 1 });
    expect(period.total.rates).toMatchObject({ leadToContact: 1, leadToOpportunity: 0.5, disqualification: 0.5 });
    expect(period.total.timeToConvert).toMatchObject({ conversions: 2, median: { atMostHours: 2 }, p90: { atMostHours: 504 } });
  });

  it('over all of history the two bases agree', async () => {
    const cohort = await rates(sixLeads(), { basis: 'cohort', ...Q1 });
    const period = await rates(sixLeads(), { basis: 'period', ...Q1 });
    const expected = { created: 6, contacted: 4, qualified: 1, disqualified: 1, converted: 4, convertedWithOpportunity: 3 };
    expect(cohort.total.counts).toEqual(expected);
    expect(period.total.counts).toEqual(expected);
    expect(cohort.total.rates).toEqual({ contacted: 0.6667, qualified: 0.1667, disqualification: 0.1667, leadToContact: 0.6667, leadToOpportunity: 0.5 });
    // 2 h, 120 h, 384 h, 552 h: rank 2 is in 72-120 h, rank 4 (ceil 3.6) in 504-720 h.
    expect(cohort.total.timeToConvert).toMatchObject({ conversions: 4, median: { atMostHours: 120 }, p90: { atMostHours: 720 } });
    expect(period.total.timeToConvert).toEqual(cohort.total.timeToConvert);
  });

  it('an open window reads everything; no lead created gives null rates, not zeros', async () => {
    expect((await rates(sixLeads(), {})).total.counts.created).toBe(6);
    const empty = await rates(sixLeads(), { from: '2024-01-01', to: '2024-12-31' });
    expect(empty.groups).toEqual([]);
    expect(empty.total.counts.created).toBe(0);
    expect(empty.total.rates).toEqual({ contacted: null, qualified: null, disqualification: null, leadToContact: null, leadToOpportunity: null });
    expect(empty.total.timeToConvert).toMatchObject({ conversions: 0, median: null, p90: null });
  });

  it('groups by source', async () => {
    const answer = await rates(sixLeads(), { ...Q1, groupBy: ['source'] });
    expect(answer.groups.map((g) => [g.group, g.counts.created, g.counts.converted, g.rates.leadToOpportunity, g.rates.disqualification])).toEqual([
      [{ source: 'Referral' }, 2, 2, 0.5, 0],
      [{ source: 'Web Form' }, 4, 2, 0.5, 0.25],
    ]);
  });

  it('groups by owner and cohort month together', async () => {
    const answer = await rates(sixLeads(), { ...Q1, groupBy: ['owner', 'cohortMonth'] });
    expect(answer.groups.map((g) => [g.group, g.counts.created, g.counts.converted])).toEqual([
      [{ owner: 'alice', cohortMonth: '2025-01' }, 2, 1],
      [{ owner: 'alice', cohortMonth: '2025-02' }, 1, 1],
      [{ owner: 'alice', cohortMonth: '2025-03' }, 1, 0],
      [{ owner: 'bob', cohortMonth: '2025-01' }, 1, 1],
      [{ owner: 'bob', cohortMonth: '2025-02' }, 1, 1],
    ]);
  });

  it('period by month: each month\'s conversions over its own created leads', async () => {
    const answer = await rates(sixLeads(), { basis: 'period', ...Q1, groupBy: ['cohortMonth'] });
    expect(answer.groups.map((g) => [g.group.cohortMonth, g.counts.created, g.counts.converted, g.rates.leadToContact])).toEqual([
      ['2025-01', 3, 1, 0.3333],
      ['2025-02', 2, 2, 1],
      ['2025-03', 1, 1, 1],
    ]);
  });

  it('groups by campaign (leads without one last) and filters by source', async () => {
    const byCampaign = await rates(sixLeads(), { ...Q1, groupBy: ['campaign'] });
    expect(byCampaign.groups.map((g) => [g.group.campaign, g.counts.created])).toEqual([
      ['Spring', 4],
      [null, 2],
    ]);
    const referral = await rates(sixLeads(), { ...Q1, source: 'Referral', groupBy: ['owner'] });
    expect(referral.filters).toEqual({ source: 'Referral', owner: null, campaign: null });
    expect(referral.groups.map((g) => [g.group.owner, g.counts.created, g.counts.convertedWithOpportunity])).toEqual([
      ['alice', 1, 1],
      ['bob', 1, 0],
    ]);
  });

  it('moves every count of a lead to its new owner, on both bases and on every day it touched', async () => {
    // L3 (created Jan 25, disqualified Feb 2) goes from alice to carol; L6 from alice to bob.
    const log = sixLeads().add(
      leadOwnerChanged('L3', '2025-02-10T09:00:00Z', 'alice', 'carol'),
      leadOwnerChanged('L6', '2025-03-02T09:00:00Z', 'alice', 'bob'),
    );
    const cohort = await rates(log, { ...Q1, groupBy: ['owner'] });
    expect(cohort.groups.map((g) => [g.group.owner, g.counts.created, g.counts.disqualified, g.counts.converted])).toEqual([
      ['alice', 2, 0, 2],
      ['bob', 3, 0, 2],
      ['carol', 1, 1, 0],
    ]);
    const janPeriod = await rates(log, { basis: 'period', ...JAN, owner: 'carol' });
    expect(janPeriod.total.counts).toMatchObject({ created: 1, disqualified: 0 });
    const febPeriod = await rates(log, { basis: 'period', ...FEB, groupBy: ['owner'] });
    expect(febPeriod.groups.map((g) => [g.group.owner, g.counts.created, g.counts.disqualified, g.counts.converted])).toEqual([
      ['alice', 1, 0, 0],
      ['bob', 1, 0, 2],
      ['carol', 0, 1, 0],
    ]);
  });

  it('moves counts when the source or campaign is corrected, and not at all once the lead is converted', async () => {
    const log = sixLeads().add(
      leadDetailsUpdated('L6', '2025-03-03T09:00:00Z', { source: 'Partner', campaign: null }),
      // After conversion nothing moves (the domain refuses it anyway).
      leadOwnerChanged('L1', '2025-03-04T09:00:00Z', 'alice', 'zoe'),
    );
    const answer = await rates(log, { ...Q1, groupBy: ['source', 'campaign'] });
    expect(answer.groups.map((g) => [g.group.source, g.group.campaign, g.counts.created])).toEqual([
      ['Partner', null, 1],
      ['Referral', null, 2],
      ['Web Form', 'Spring', 3],
    ]);
    expect((await rates(log, { owner: 'zoe' })).total.counts.created).toBe(0);
  });

  it('qualified follows the latest assessment; disqualified is undone by nurturing as by a reopen', async () => {
    const log = new EventLog().add(
      leadCreated('L1', '2025-04-01T09:00:00Z'),
      leadQualified('L1', '2025-04-02T09:00:00Z', true),
      leadQualified('L1', '2025-04-03T09:00:00Z', false),
      leadCreated('L2', '2025-04-01T09:00:00Z'),
      leadQualified('L2', '2025-04-02T09:00:00Z', true),
      leadQualified('L2', '2025-04-05T09:00:00Z', true),
      leadCreated('L3', '2025-04-01T09:00:00Z'),
      leadDisqualified('L3', '2025-04-02T09:00:00Z'),
      leadNurtureStarted('L3', '2025-04-03T09:00:00Z'),
      leadCreated('L4', '2025-04-01T09:00:00Z'),
      leadDisqualified('L4', '2025-04-02T09:00:00Z'),
      leadContacted('L4', '2025-04-01T10:00:00Z'),
      leadContacted('L4', '2025-04-04T10:00:00Z'),
    );
    const cohort = await rates(log, {});
    expect(cohort.total.counts).toMatchObject({ created: 4, contacted: 1, qualified: 1, disqualified: 1 });
    // Dated by the assessment that qualified it (Apr 2), the first contact (Apr 1).
    const apr2 = await rates(log, { basis: 'period', from: '2025-04-02', to: '2025-04-02' });
    expect(apr2.total.counts).toMatchObject({ created: 0, contacted: 0, qualified: 1, disqualified: 1 });
    const apr1 = await rates(log, { basis: 'period', from: '2025-04-01', to: '2025-04-01' });
    expect(apr1.total.counts).toMatchObject({ created: 4, contacted: 1, qualified: 0 });
  });

  it('keeps the lead\'s place in its entity document and the counters per day x source x owner x campaign', () => {
    const store = new InMemoryProjectionStore([leadConversionProjection]).run(sixLeads().events);
    expect(store.document(CONVERSION_LEADS, 'L5')).toEqual({
      id: 'L5',
      source: 'Referral',
      owner: 'alice',
      campaign: null,
      createdAt: '2025-02-10T09:00:00Z',
      createdDay: '2025-02-10',
      contactedDay: '2025-02-11',
      qualifiedDay: null,
      disqualifiedDay: null,
      convertedDay: '2025-03-05',
      withOpportunity: true,
      timeToConvertField: 'ttc_le_720h',
      // Every event recorded live (a second after it happened): the same days.
      createdRecordedDay: '2025-02-10',
      contactedRecordedDay: '2025-02-11',
      qualifiedRecordedDay: null,
      disqualifiedRecordedDay: null,
      convertedRecordedDay: '2025-03-05',
    });
    expect(store.document(CONVERSION_COHORTS, JSON.stringify(['2025-02-10', 'Referral', 'alice', null, 'both']))).toEqual({
      id: '["2025-02-10","Referral","alice",null,"both"]',
      day: '2025-02-10',
      month: '2025-02',
      source: 'Referral',
      owner: 'alice',
      campaign: null,
      timeBasis: 'both',
      created: 1,
      contacted: 1,
      converted: 1,
      convertedWithOpportunity: 1,
      ttc_le_720h: 1,
      // Disqualified on Feb 12 and undone on Feb 20: in one batch the two cancel out, so the field was never written.
    });
    expect(store.documents(CONVERSION_COHORTS)).toHaveLength(6);
    // One period counter per day something happened (each lead has one owner, source and campaign here), except
    // Feb 12: L5's disqualification was undone within the same batch, so that counter was never written.
    expect(store.documents(CONVERSION_PERIODS).map((d) => d['day']).sort()).toEqual([
      '2025-01-10', '2025-01-11', '2025-01-12', '2025-01-15', '2025-01-20', '2025-01-21', '2025-01-25',
      '2025-02-02', '2025-02-03', '2025-02-05', '2025-02-10', '2025-02-11', '2025-03-01', '2025-03-05',
    ]);
    const oneByOne = new InMemoryProjectionStore([leadConversionProjection]).run(sixLeads().events, 1);
    expect(oneByOne.document(CONVERSION_PERIODS, JSON.stringify(['2025-02-12', 'Referral', 'alice', null, 'both']))).toMatchObject({ disqualified: 0 });
  });

  it('gives the same answers whether events come one per batch or all in one', async () => {
    const one = await rates(sixLeads(), { basis: 'period', ...Q1, groupBy: ['owner', 'source'] }, 1);
    const all = await rates(sixLeads(), { basis: 'period', ...Q1, groupBy: ['owner', 'source'] }, 1000);
    expect(one).toEqual(all);
  });

  it('reads the coarsest counters that have what is asked: by one dimension, or all three when several are asked', () => {
    const plan = conversionRatesQuery({ basis: 'period', from: '2025-01-03', to: '2025-01-31', groupBy: ['cohortMonth', 'owner'], campaign: 'Spring' });
    expect(plan.parts).toEqual([
      {
        collection: CONVERSION_PERIODS,
        query: {
          filters: [
            { field: 'day', op: 'gte', value: '2025-01-03' },
            { field: 'day', op: 'lte', value: '2025-01-31' },
            { field: 'campaign', op: 'eq', value: 'Spring' },
            { field: 'timeBasis', op: 'in', value: ['both', 'occurred'] },
          ],
          groupBy: ['month', 'owner'],
          sum: CONVERSION_SUM_FIELDS,
        },
      },
    ]);
    const recorded = { field: 'timeBasis', op: 'in', value: ['both', 'recorded'] };
    const bySource = conversionRatesQuery({ basis: 'period', timeBasis: 'recorded', from: '2025-01-03', to: '2025-03-31', groupBy: ['cohortMonth', 'source'] });
    expect(bySource.parts.map((p) => [p.collection, p.query.filters])).toEqual([
      [CONVERSION_PERIODS_BY_SOURCE_MONTHLY, [{ field: 'month', op: 'gte', value: '2025-02' }, { field: 'month', op: 'lte', value: '2025-03' }, recorded]],
      [CONVERSION_PERIODS_BY_SOURCE, [{ field: 'day', op: 'gte', value: '2025-01-03' }, { field: 'day', op: 'lte', value: '2025-01-31' }, recorded]],
    ]);
    expect(conversionRatesQuery({ basis: 'cohort', groupBy: [] }).parts.map((p) => [p.collection, p.query.filters])).toEqual([
      [CONVERSION_COHORTS_BY_SOURCE_MONTHLY, [{ field: 'timeBasis', op: 'in', value: ['both', 'occurred'] }]],
    ]);
    expect(conversionRatesQuery({ basis: 'cohort', to: '2024-02-29', owner: 'alice', groupBy: [] }).parts.map((p) => p.collection)).toEqual(['conversion_cohorts_by_owner_monthly']); // leap day
    expect(conversionRatesQuery({ basis: 'cohort', groupBy: ['campaign', 'cohortMonth'] }).parts.map((p) => p.collection)).toEqual(['conversion_cohorts_by_campaign_monthly']);
    expect(conversionRatesQuery({ basis: 'cohort', groupBy: ['owner'], source: 'Web Form' }).parts.map((p) => p.collection)).toEqual([CONVERSION_COHORTS_MONTHLY]);
  });

  it('answers exactly what the daily counters say, for any window, grouping and filter (whole months, edges, tiers)', async () => {
    // Leads on both sides of every month boundary of Q1, over two sources, owners and campaigns; and the leads of
    // an import recorded in March whose business days are in January and February (and one in March itself).
    const log = withImport();
    const store = new InMemoryProjectionStore([leadConversionProjection]).run(log.events, 100);
    const days = ['2024-12-31', '2025-01-01', '2025-01-10', '2025-01-15', '2025-01-31', '2025-02-01', '2025-02-03', '2025-02-12', '2025-02-28', '2025-03-01', '2025-03-05', '2025-03-31', '2025-04-01'];
    const groupings: ConversionRatesParams['groupBy'][] = [[], ['source'], ['cohortMonth'], ['source', 'cohortMonth'], ['owner'], ['campaign', 'cohortMonth']];
    const filters: Partial<ConversionRatesParams>[] = [{}, { source: 'Referral' }, { owner: 'alice' }, { campaign: 'Spring' }];
    let checked = 0;
    for (const [basis, timeBasis] of [['cohort', 'occurred'], ['period', 'occurred'], ['cohort', 'recorded'], ['period', 'recorded']] as const) {
      for (const from of [undefined, ...days]) {
        for (const to of [undefined, ...days]) {
          if (from !== undefined && to !== undefined && from > to) continue;
          const groupBy = groupings[checked % groupings.length]!;
          const filter = filters[Math.floor(checked / groupings.length) % filters.length]!;
          const params: ConversionRatesParams = { basis, timeBasis, from, to, groupBy, ...filter };
          const answer = conversionRatesAnswer(await runSumPlan(store, conversionRatesQuery(params)), params);
          // The reference: the full daily counters of the basis, day by day.
          const fields = groupBy.map((g) => (g === 'cohortMonth' ? 'month' : g));
          const daily = await store.sum(basis === 'cohort' ? CONVERSION_COHORTS : CONVERSION_PERIODS, {
            filters: [
              ...dayWindowFilters('day', from, to),
              ...eqFilter('source', params.source),
              ...eqFilter('owner', params.owner),
              ...eqFilter('campaign', params.campaign),
              { field: 'timeBasis', op: 'in', value: ['both', timeBasis] },
            ],
            groupBy: fields,
            sum: CONVERSION_SUM_FIELDS,
          });
          expect({ params, groups: answer.groups, total: answer.total }).toEqual({ params, ...pick(conversionRatesAnswer(daily, params)) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});

function pick(answer: ConversionRatesAnswer) {
  return { groups: answer.groups, total: answer.total };
}

/**
 * sixLeads, then an import of another CRM's history that the store recorded on 2025-03-20 (business time earlier):
 * L7 (Partner, carol) created Jan 8, contacted Jan 9, converted with an opportunity Feb 14; L9 (Partner, carol)
 * created Mar 3. After the import, live: L9 contacted Mar 25, and L8 (Partner, carol) created Mar 20.
 */
function withImport(): EventLog {
  const imported = (n: number) => `2025-03-20T08:00:0${n}Z`;
  return sixLeads().add(
    recordedAt(imported(1), leadCreated('L7', '2025-01-08T09:00:00Z', { source: 'Partner', owner: 'carol', campaign: null })),
    recordedAt(imported(2), leadContacted('L7', '2025-01-09T09:00:00Z')),
    recordedAt(imported(3), leadConverted('L7', '2025-02-14T09:00:00Z', 'O7', 'carol')),
    recordedAt(imported(4), leadCreated('L9', '2025-03-03T09:00:00Z', { source: 'Partner', owner: 'carol', campaign: null })),
    leadCreated('L8', '2025-03-20T10:00:00Z', { source: 'Partner', owner: 'carol', campaign: null }),
    leadContacted('L9', '2025-03-25T09:00:00Z'),
  );
}

describe('lead conversion: timeBasis occurred or recorded', () => {
  const counts = async (log: EventLog, params: Partial<ConversionRatesParams>) => (await rates(log, params)).total.counts;

  it('cohort: a back-dated lead is in the cohort of its business day with occurred, of the day it was recorded with recorded', async () => {
    const occurredJan = await rates(withImport(), { basis: 'cohort', timeBasis: 'occurred', ...JAN });
    expect(occurredJan.timeBasis).toBe('occurred');
    expect(occurredJan.basisDescription).toMatch(/^cohort: the leads created from 2025-01-01 to 2025-01-31/);
    // sixLeads' three January leads, and L7 (created Jan 8, converted Feb 14).
    expect(occurredJan.total.counts).toEqual({ created: 4, contacted: 3, qualified: 1, disqualified: 1, converted: 3, convertedWithOpportunity: 2 });
    const recordedJan = await rates(withImport(), { basis: 'cohort', timeBasis: 'recorded', ...JAN });
    expect(recordedJan.timeBasis).toBe('recorded');
    expect(recordedJan.basisDescription).toMatch(/^cohort: the leads recorded from 2025-01-01 to 2025-01-31/);
    expect(recordedJan.total.counts).toEqual({ created: 3, contacted: 2, qualified: 1, disqualified: 1, converted: 2, convertedWithOpportunity: 1 });

    // The import's day: L7 and L9 recorded then, L8 created live then; everything that became of them.
    const importDay = { from: '2025-03-20', to: '2025-03-20' };
    expect(await counts(withImport(), { basis: 'cohort', timeBasis: 'recorded', ...importDay })).toEqual({
      created: 3,
      contacted: 2,
      qualified: 0,
      disqualified: 0,
      converted: 1,
      convertedWithOpportunity: 1,
    });
    expect(await counts(withImport(), { basis: 'cohort', timeBasis: 'occurred', ...importDay })).toMatchObject({ created: 1, contacted: 0, converted: 0 });
    // Time to convert stays a business duration (Jan 8 to Feb 14: 888 h), whatever the basis.
    expect((await rates(withImport(), { basis: 'cohort', timeBasis: 'recorded', ...importDay })).total.timeToConvert).toMatchObject({
      conversions: 1,
      median: { moreThanHours: 720, atMostHours: 1080 },
    });
  });

  it('period: each step is dated by its business day with occurred, by the day it was recorded with recorded', async () => {
    const MAR = { from: '2025-03-01', to: '2025-03-31' };
    // Business days in March: L6 (Mar 1), L9 (Mar 3), L8 (Mar 20) created; L9 contacted Mar 25; L5 converted Mar 5.
    expect(await counts(withImport(), { basis: 'period', timeBasis: 'occurred', ...MAR })).toEqual({
      created: 3,
      contacted: 1,
      qualified: 0,
      disqualified: 0,
      converted: 1,
      convertedWithOpportunity: 1,
    });
    // Recorded in March: the same, and L7's creation, contact and conversion, recorded on Mar 20.
    expect(await counts(withImport(), { basis: 'period', timeBasis: 'recorded', ...MAR })).toEqual({
      created: 4,
      contacted: 2,
      qualified: 0,
      disqualified: 0,
      converted: 2,
      convertedWithOpportunity: 2,
    });
    // February, business time: L7's conversion (Feb 14) is there; as recorded it is not.
    expect((await counts(withImport(), { basis: 'period', timeBasis: 'occurred', ...FEB })).converted).toBe(3);
    expect((await counts(withImport(), { basis: 'period', timeBasis: 'recorded', ...FEB })).converted).toBe(2);
  });

  it('groups by the months of the chosen time', async () => {
    const byMonth = async (timeBasis: TimeBasis) =>
      (await rates(withImport(), { basis: 'cohort', timeBasis, ...Q1, source: 'Partner', groupBy: ['cohortMonth'] })).groups.map((g) => [
        g.group.cohortMonth,
        g.counts.created,
        g.counts.converted,
      ]);
    expect(await byMonth('occurred')).toEqual([
      ['2025-01', 1, 1],
      ['2025-03', 2, 0],
    ]);
    expect(await byMonth('recorded')).toEqual([['2025-03', 3, 1]]);
  });

  it('leads entered live count the same on both bases, for any window and grouping, from one set of counters', async () => {
    const windows = [{}, JAN, FEB, Q1, { from: '2025-01-11', to: '2025-02-05' }, { from: '2025-02-12' }];
    for (const basis of ['cohort', 'period'] as const) {
      for (const window of windows) {
        for (const groupBy of [[], ['cohortMonth'], ['owner', 'source']] as ConversionRatesParams['groupBy'][]) {
          const occurred = await rates(sixLeads(), { basis, timeBasis: 'occurred', groupBy, ...window });
          const recorded = await rates(sixLeads(), { basis, timeBasis: 'recorded', groupBy, ...window });
          expect({ groups: recorded.groups, total: recorded.total }).toEqual({ groups: occurred.groups, total: occurred.total });
        }
      }
    }
    // Live, every counter counts for both bases: no second set of counters.
    const live = new InMemoryProjectionStore([leadConversionProjection]).run(sixLeads().events);
    const all = [CONVERSION_COHORTS, CONVERSION_PERIODS, CONVERSION_COHORTS_MONTHLY, CONVERSION_PERIODS_BY_SOURCE, CONVERSION_PERIODS_BY_SOURCE_MONTHLY].flatMap((c) =>
      live.documents(c),
    );
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((d) => d['timeBasis'] !== 'both')).toEqual([]);
  });

  it('writes a back-dated count once per basis, and a month shared by both days once for both', async () => {
    const store = new InMemoryProjectionStore([leadConversionProjection]).run(withImport().events);
    expect(store.document(CONVERSION_LEADS, 'L7')).toMatchObject({
      createdDay: '2025-01-08',
      createdRecordedDay: '2025-03-20',
      contactedDay: '2025-01-09',
      contactedRecordedDay: '2025-03-20',
      convertedDay: '2025-02-14',
      convertedRecordedDay: '2025-03-20',
    });
    const cohorts = store.documents(CONVERSION_COHORTS).filter((d) => d['owner'] === 'carol');
    expect(cohorts.map((d) => [d['day'], d['timeBasis'], d['created']]).sort()).toEqual([
      ['2025-01-08', 'occurred', 1], // L7, by business day
      ['2025-03-03', 'occurred', 1], // L9, by business day
      ['2025-03-20', 'both', 1], // L8, live
      ['2025-03-20', 'recorded', 2], // L7 and L9, by the import's day
    ]);
    // L9: business day Mar 3, recorded Mar 20: the same month, so the monthly rollup has it once, for both.
    const monthly = store.documents(CONVERSION_COHORTS_MONTHLY).filter((d) => d['owner'] === 'carol');
    expect(monthly.map((d) => [d['month'], d['timeBasis'], d['created']]).sort()).toEqual([
      ['2025-01', 'occurred', 1], // L7
      ['2025-03', 'both', 2], // L8, L9
      ['2025-03', 'recorded', 1], // L7
    ]);
    // So a window inside March tells the two apart by the daily counters, and whole March adds up the same.
    expect((await counts(withImport(), { basis: 'cohort', timeBasis: 'occurred', from: '2025-03-01', to: '2025-03-10', owner: 'carol' })).created).toBe(1);
    expect((await counts(withImport(), { basis: 'cohort', timeBasis: 'recorded', from: '2025-03-01', to: '2025-03-10', owner: 'carol' })).created).toBe(0);
    expect((await counts(withImport(), { basis: 'cohort', timeBasis: 'occurred', from: '2025-03-01', to: '2025-03-31', owner: 'carol' })).created).toBe(2);
    expect((await counts(withImport(), { basis: 'cohort', timeBasis: 'recorded', from: '2025-03-01', to: '2025-03-31', owner: 'carol' })).created).toBe(3);
  });
});
