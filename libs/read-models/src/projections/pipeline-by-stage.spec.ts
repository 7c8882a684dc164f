import { DEFAULT_STAGE_CATALOGUE } from '@pipeline-ledger/domain';
import {
  PIPELINE_BUCKETS,
  PIPELINE_DAY_TOTALS,
  PIPELINE_MONTH_TOTALS,
  PIPELINE_OWNER_MONTH_TOTALS,
  PIPELINE_OWNER_TOTALS,
  PIPELINE_SUM_FIELDS,
  PIPELINE_TOTALS,
  pipelineByStageProjection,
} from './pipeline-by-stage.projection';
import { dayWindowFilters, eqFilter, runSumPlan } from './query-request';
import { PipelineAnswer, PipelineParams, PipelineStageLine, pipelineAnswer, pipelineQuery } from './pipeline-by-stage.query';
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

const STAGES = DEFAULT_STAGE_CATALOGUE.stages;

async function pipeline(log: EventLog, params: PipelineParams = {}, batchSize = 100): Promise<PipelineAnswer> {
  const store = new InMemoryProjectionStore([pipelineByStageProjection]).run(log.events, batchSize);
  return pipelineAnswer(await runSumPlan(store, pipelineQuery(params)), params, STAGES);
}

function line(answer: PipelineAnswer, stage: string): PipelineStageLine {
  const found = answer.stages.find((s) => s.stage === stage);
  if (!found) throw new Error(`no line for ${stage}`);
  return found;
}

/** Count, amount and weighted amount of every non-empty stage, as "stage: n [currency amount/weighted ...]". */
function summary(answer: PipelineAnswer): string[] {
  return answer.stages
    .filter((s) => s.count > 0)
    .map((s) => `${s.stage}: ${s.count}${s.withoutAmount ? ` (${s.withoutAmount} no amount)` : ''}${s.byCurrency.map((c) => ` ${c.currency} ${c.count}x ${c.amount}/${c.weightedAmount}`).join('')}`);
}

describe('pipeline by stage', () => {
  it('lists every stage of the catalogue in order, with zeros, when there is nothing', async () => {
    const answer = await pipeline(new EventLog());
    expect(answer.stages.map((s) => s.stage)).toEqual(DEFAULT_STAGE_CATALOGUE.names());
    expect(answer.stages.every((s) => s.count === 0 && s.byCurrency.length === 0 && s.inCatalogue)).toBe(true);
    expect(line(answer, 'Closed Won')).toMatchObject({ isClosed: true, isWon: true });
    expect(answer.open).toEqual({ count: 0, withoutAmount: 0, byCurrency: [] });
    expect(answer.filters).toEqual({ owner: null, closeFrom: null, closeTo: null });
  });

  it('counts a new opportunity in its stage with amount and amount x probability / 100', async () => {
    const log = new EventLog().add(opportunityCreated('O1', '2025-03-01T09:00:00Z', { amount: 1_000_000, currency: 'USD' }));
    const answer = await pipeline(log);
    expect(line(answer, 'Prospecting')).toEqual({
      stage: 'Prospecting',
      isClosed: false,
      isWon: false,
      inCatalogue: true,
      count: 1,
      withoutAmount: 0,
      byCurrency: [{ currency: 'USD', count: 1, amount: 1_000_000, weightedAmount: 100_000 }],
    });
  });

  it('moves the value between stages on a stage change, and the probability resets to the new stage', async () => {
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z'),
      opportunityCreated('O2', '2025-03-01T10:00:00Z', { amount: 300_000 }),
      stageChanged('O1', '2025-03-02T09:00:00Z', 'Prospecting', 'Needs Analysis'),
    );
    expect(summary(await pipeline(log))).toEqual(['Prospecting: 1 USD 1x 300000/30000', 'Needs Analysis: 1 USD 1x 1000000/200000']);
  });

  it('follows amount, currency and probability changes', async () => {
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z', { stage: 'Value Proposition', amount: 500_000, currency: 'EUR' }),
      opportunityCreated('O2', '2025-03-01T10:00:00Z', { stage: 'Value Proposition', amount: 100_000, currency: 'EUR' }),
      amountChanged('O1', '2025-03-02T09:00:00Z', 300_000, 'GBP', 500_000, 'EUR'),
      probabilityOverridden('O2', '2025-03-03T09:00:00Z', 35, 50),
    );
    const answer = await pipeline(log);
    expect(line(answer, 'Value Proposition').byCurrency).toEqual([
      { currency: 'EUR', count: 1, amount: 100_000, weightedAmount: 35_000 },
      { currency: 'GBP', count: 1, amount: 300_000, weightedAmount: 150_000 },
    ]);
    expect(answer.open.count).toBe(2);
  });

  it('counts an opportunity without an amount but adds nothing to amounts, until it gets one', async () => {
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z', { amount: null, currency: null }),
      opportunityCreated('O2', '2025-03-01T09:00:00Z', { amount: 200_000, currency: 'USD' }),
    );
    expect(line(await pipeline(log), 'Prospecting')).toMatchObject({
      count: 2,
      withoutAmount: 1,
      byCurrency: [{ currency: 'USD', count: 1, amount: 200_000, weightedAmount: 20_000 }],
    });
    log.add(amountChanged('O1', '2025-03-02T09:00:00Z', 50_000, 'USD'));
    expect(line(await pipeline(log), 'Prospecting')).toMatchObject({
      count: 2,
      withoutAmount: 0,
      byCurrency: [{ currency: 'USD', count: 2, amount: 250_000, weightedAmount: 25_000 }],
    });
  });

  it('rounds each opportunity\'s weighted amount to whole minor units before adding them up', async () => {
    // 1,001 x 50 % = 500.5 -> 501 and 1,003 x 50 % = 501.5 -> 502: 1,003 (rounding the total 2,004 x 50 % would give 1,002).
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z', { stage: 'Value Proposition', amount: 1_001 }),
      opportunityCreated('O2', '2025-03-01T09:00:00Z', { stage: 'Value Proposition', amount: 1_003 }),
    );
    expect(line(await pipeline(log), 'Value Proposition').byCurrency).toEqual([{ currency: 'USD', count: 2, amount: 2_004, weightedAmount: 1_003 }]);
  });

  it('keeps closed won and closed lost out of the open pipeline, in their own totals, and reopening moves back', async () => {
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z', { stage: 'Negotiation/Review', amount: 2_000_000 }),
      opportunityCreated('O2', '2025-03-01T09:00:00Z', { stage: 'Id. Decision Makers', amount: 400_000 }),
      opportunityCreated('O3', '2025-03-01T09:00:00Z', { stage: 'Prospecting', amount: 100_000, currency: 'EUR' }),
      stageChanged('O1', '2025-03-10T09:00:00Z', 'Negotiation/Review', 'Closed Won'),
      stageChanged('O2', '2025-03-11T09:00:00Z', 'Id. Decision Makers', 'Closed Lost'),
    );
    const closed = await pipeline(log);
    expect(summary(closed)).toEqual(['Prospecting: 1 EUR 1x 100000/10000', 'Closed Won: 1 USD 1x 2000000/2000000', 'Closed Lost: 1 USD 1x 400000/0']);
    expect(closed.open).toEqual({ count: 1, withoutAmount: 0, byCurrency: [{ currency: 'EUR', count: 1, amount: 100_000, weightedAmount: 10_000 }] });
    expect(closed.closedWon).toEqual({ count: 1, withoutAmount: 0, byCurrency: [{ currency: 'USD', count: 1, amount: 2_000_000, weightedAmount: 2_000_000 }] });
    expect(closed.closedLost).toEqual({ count: 1, withoutAmount: 0, byCurrency: [{ currency: 'USD', count: 1, amount: 400_000, weightedAmount: 0 }] });

    log.add(reopened('O1', '2025-03-12T09:00:00Z', 'Closed Won', 'Negotiation/Review'));
    const reopenedAnswer = await pipeline(log);
    expect(summary(reopenedAnswer)).toEqual([
      'Prospecting: 1 EUR 1x 100000/10000',
      'Negotiation/Review: 1 USD 1x 2000000/1800000',
      'Closed Lost: 1 USD 1x 400000/0',
    ]);
    expect(reopenedAnswer.closedWon).toEqual({ count: 0, withoutAmount: 0, byCurrency: [] });
    expect(reopenedAnswer.open.count).toBe(2);
  });

  it('filters by owner (the current one) and by a window of close dates, inclusive', async () => {
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z', { owner: 'alice', closeDate: '2025-04-01', amount: 100_000 }),
      opportunityCreated('O2', '2025-03-01T09:00:00Z', { owner: 'alice', closeDate: '2025-04-30', amount: 200_000 }),
      opportunityCreated('O3', '2025-03-01T09:00:00Z', { owner: 'bob', closeDate: '2025-04-15', amount: 400_000 }),
      opportunityCreated('O4', '2025-03-01T09:00:00Z', { owner: 'alice', closeDate: '2025-05-01', amount: 800_000 }),
    );
    const amount = async (params: PipelineParams) => (await pipeline(log, params)).open.byCurrency[0]?.amount ?? 0;
    expect(await amount({})).toBe(1_500_000);
    expect(await amount({ owner: 'alice' })).toBe(1_100_000);
    expect(await amount({ closeFrom: '2025-04-01', closeTo: '2025-04-30' })).toBe(700_000);
    expect(await amount({ owner: 'alice', closeFrom: '2025-04-02', closeTo: '2025-05-01' })).toBe(1_000_000);
    expect(await amount({ owner: 'carol' })).toBe(0);

    log.add(
      opportunityOwnerChanged('O3', '2025-03-02T09:00:00Z', 'bob', 'alice'),
      closeDateChanged('O4', '2025-03-02T09:00:00Z', '2025-04-20', '2025-05-01'),
    );
    expect(await amount({ owner: 'alice', closeFrom: '2025-04-01', closeTo: '2025-04-30' })).toBe(1_500_000);
    expect(await amount({ owner: 'bob' })).toBe(0);
    expect((await pipeline(log, { owner: 'alice' })).filters).toEqual({ owner: 'alice', closeFrom: null, closeTo: null });
  });

  it('apply moves the opportunity: -1 and its value from the old bucket, +1 and its value to the new', () => {
    const [created, moved] = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z', { amount: 1_000_000, closeDate: '2025-06-30' }),
      stageChanged('O1', '2025-03-02T09:00:00Z', 'Prospecting', 'Closed Won'),
    ).events;
    if (!created || !moved) throw new Error('two events expected');
    expect(pipelineByStageProjection.entityId(moved)).toBe('O1');
    const first = pipelineByStageProjection.apply(created, null);
    expect(first.document).toEqual({ id: 'O1', stage: 'Prospecting', status: 'open', probability: 10, amount: 1_000_000, currency: 'USD', owner: 'alice', closeDate: '2025-06-30' });
    const second = pipelineByStageProjection.apply(moved, first.document ?? null);
    expect(second.document).toMatchObject({ stage: 'Closed Won', status: 'won', probability: 100 });
    // The buckets (the rollups receive the same numbers: see the rollup test).
    expect(second.increments!.filter((i) => i.collection === PIPELINE_BUCKETS)).toEqual([
      {
        collection: PIPELINE_BUCKETS,
        id: '["Prospecting","open","USD","alice","2025-06-30"]',
        group: { stage: 'Prospecting', status: 'open', currency: 'USD', owner: 'alice', closeDate: '2025-06-30' },
        add: { count: -1, amount: -1_000_000, weightedAmount: -100_000 },
      },
      {
        collection: PIPELINE_BUCKETS,
        id: '["Closed Won","won","USD","alice","2025-06-30"]',
        group: { stage: 'Closed Won', status: 'won', currency: 'USD', owner: 'alice', closeDate: '2025-06-30' },
        add: { count: 1, amount: 1_000_000, weightedAmount: 1_000_000 },
      },
    ]);
  });

  it('reads a close-date window as whole months from the monthly rollups and its partial months from daily counters', () => {
    const where = (params: PipelineParams) => pipelineQuery(params).parts.map((p) => [p.collection, p.query.filters]);
    expect(where({ owner: 'alice', closeFrom: '2025-01-01', closeTo: '2025-03-31' })).toEqual([
      [
        PIPELINE_OWNER_MONTH_TOTALS,
        [
          { field: 'owner', op: 'eq', value: 'alice' },
          { field: 'closeMonth', op: 'gte', value: '2025-01' },
          { field: 'closeMonth', op: 'lte', value: '2025-03' },
        ],
      ],
    ]);
    expect(where({ closeFrom: '2025-01-15', closeTo: '2025-03-10' })).toEqual([
      [PIPELINE_MONTH_TOTALS, [{ field: 'closeMonth', op: 'gte', value: '2025-02' }, { field: 'closeMonth', op: 'lte', value: '2025-02' }]],
      [PIPELINE_DAY_TOTALS, [{ field: 'closeDate', op: 'gte', value: '2025-01-15' }, { field: 'closeDate', op: 'lte', value: '2025-01-31' }]],
      [PIPELINE_DAY_TOTALS, [{ field: 'closeDate', op: 'gte', value: '2025-03-01' }, { field: 'closeDate', op: 'lte', value: '2025-03-10' }]],
    ]);
    expect(where({ owner: 'bob', closeFrom: '2025-01-15', closeTo: '2025-01-20' })).toEqual([
      [
        PIPELINE_BUCKETS,
        [
          { field: 'owner', op: 'eq', value: 'bob' },
          { field: 'closeDate', op: 'gte', value: '2025-01-15' },
          { field: 'closeDate', op: 'lte', value: '2025-01-20' },
        ],
      ],
    ]);
    expect(pipelineQuery({}).parts[0]?.query).toEqual({ filters: [], groupBy: ['stage', 'status', 'currency'], sum: ['count', 'amount', 'weightedAmount'] });
  });

  it('answers exactly what the buckets say, for any close-date window and owner', async () => {
    const log = new EventLog();
    const closeDates = ['2025-01-31', '2025-02-01', '2025-02-14', '2025-02-28', '2025-03-01', '2025-03-31', '2025-04-15'];
    closeDates.forEach((closeDate, i) => {
      const id = `O${i}`;
      log.add(opportunityCreated(id, '2025-01-02T09:00:00Z', { owner: i % 2 ? 'alice' : 'bob', amount: 1_000 * (i + 1), closeDate }));
      if (i % 3 === 0) log.add(stageChanged(id, '2025-01-03T09:00:00Z', 'Prospecting', 'Closed Won'));
      if (i % 3 === 1) log.add(closeDateChanged(id, '2025-01-04T09:00:00Z', closeDates[(i + 3) % closeDates.length]!, closeDate));
    });
    const store = new InMemoryProjectionStore([pipelineByStageProjection]).run(log.events);
    const bounds = [undefined, '2025-01-01', '2025-01-31', '2025-02-01', '2025-02-10', '2025-02-28', '2025-03-01', '2025-03-31', '2025-04-30'];
    let checked = 0;
    for (const owner of [undefined, 'alice']) {
      for (const closeFrom of bounds) {
        for (const closeTo of bounds) {
          if (closeFrom !== undefined && closeTo !== undefined && closeFrom > closeTo) continue;
          const params: PipelineParams = { owner, closeFrom, closeTo };
          const rows = await runSumPlan(store, pipelineQuery(params));
          const reference = await store.sum(PIPELINE_BUCKETS, {
            filters: [...eqFilter('owner', owner), ...dayWindowFilters('closeDate', closeFrom, closeTo)],
            groupBy: ['stage', 'status', 'currency'],
            sum: PIPELINE_SUM_FIELDS,
          });
          expect({ params, answer: pipelineAnswer(rows, params, STAGES) }).toEqual({ params, answer: pipelineAnswer(reference, params, STAGES) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('keeps one bucket per stage x currency x owner x close day, however many opportunities', async () => {
    const log = new EventLog();
    for (let i = 0; i < 300; i++) log.add(opportunityCreated(`O${i}`, '2025-03-01T09:00:00Z', { owner: i % 2 ? 'alice' : 'bob', amount: 1_000 }));
    const store = new InMemoryProjectionStore([pipelineByStageProjection]).run(log.events);
    expect(store.documents(PIPELINE_BUCKETS)).toHaveLength(2);
    // Without a close-date window the rollup answers from one row; with one, the two buckets are added up.
    const q = pipelineQuery({});
    expect(q.parts.map((p) => p.collection)).toEqual([PIPELINE_TOTALS]);
    expect(await runSumPlan(store, q)).toEqual([
      { stage: 'Prospecting', status: 'open', currency: 'USD', count: 300, amount: 300_000, weightedAmount: 30_000, documents: 1 },
    ]);
    const windowed = pipelineQuery({ closeFrom: '2025-01-02' });
    expect(windowed.parts.map((p) => p.collection)).toEqual([PIPELINE_MONTH_TOTALS, PIPELINE_DAY_TOTALS]);
    expect(await runSumPlan(store, windowed)).toEqual([
      { stage: 'Prospecting', status: 'open', currency: 'USD', count: 300, amount: 300_000, weightedAmount: 30_000, documents: 1 },
    ]);
    const alice = pipelineQuery({ owner: 'alice' });
    expect(alice.parts.map((p) => p.collection)).toEqual([PIPELINE_OWNER_TOTALS]);
    expect(await runSumPlan(store, alice)).toEqual([
      { stage: 'Prospecting', status: 'open', currency: 'USD', count: 150, amount: 150_000, weightedAmount: 15_000, documents: 1 },
    ]);
  });

  it('gives the same buckets whether events come one per batch or all in one', async () => {
    const log = new EventLog().add(
      opportunityCreated('O1', '2025-03-01T09:00:00Z'),
      stageChanged('O1', '2025-03-02T09:00:00Z', 'Prospecting', 'Value Proposition'),
      amountChanged('O1', '2025-03-02T10:00:00Z', 700_000, 'EUR', 1_000_000, 'USD'),
      stageChanged('O1', '2025-03-03T09:00:00Z', 'Value Proposition', 'Closed Won'),
      reopened('O1', '2025-03-04T09:00:00Z', 'Closed Won', 'Value Proposition'),
      probabilityOverridden('O1', '2025-03-05T09:00:00Z', 65, 50),
    );
    const expected = ['Value Proposition: 1 EUR 1x 700000/455000'];
    expect(summary(await pipeline(log, {}, 1))).toEqual(expected);
    expect(summary(await pipeline(log, {}, 1000))).toEqual(expected);
  });

  it('shows a stage the catalogue no longer has after the catalogue stages, so no value goes missing', async () => {
    const log = new EventLog().add(opportunityCreated('O1', '2025-03-01T09:00:00Z'));
    const store = new InMemoryProjectionStore([pipelineByStageProjection]).run(log.events);
    const renamed = STAGES.map((s) => (s.name === 'Prospecting' ? { ...s, name: 'Discovery' } : s));
    const answer = pipelineAnswer(await runSumPlan(store, pipelineQuery({})), {}, renamed);
    expect(answer.stages[0]).toMatchObject({ stage: 'Discovery', count: 0 });
    expect(answer.stages[answer.stages.length - 1]).toMatchObject({ stage: 'Prospecting', inCatalogue: false, isClosed: false, count: 1 });
    expect(answer.open.count).toBe(1);
  });
});
