import { SumRow } from '../read-model-store.port';
import { SumPlan, lastDayOfMonth, runSumPlan, sliceWindow } from './query-request';

describe('sliceWindow', () => {
  it.each([
    ['open at both ends', undefined, undefined, { months: {}, days: [] }],
    ['whole months', '2025-01-01', '2025-03-31', { months: { from: '2025-01', to: '2025-03' }, days: [] }],
    ['one whole month', '2025-02-01', '2025-02-28', { months: { from: '2025-02', to: '2025-02' }, days: [] }],
    ['within one month', '2025-02-03', '2025-02-27', { months: null, days: [{ from: '2025-02-03', to: '2025-02-27' }] }],
    ['from the first of a month to a day of it', '2025-02-01', '2025-02-10', { months: null, days: [{ from: '2025-02-01', to: '2025-02-10' }] }],
    [
      'partial months at both ends',
      '2025-01-15',
      '2025-04-10',
      { months: { from: '2025-02', to: '2025-03' }, days: [{ from: '2025-01-15', to: '2025-01-31' }, { from: '2025-04-01', to: '2025-04-10' }] },
    ],
    ['two partial months, none whole between', '2025-01-15', '2025-02-10', { months: null, days: [{ from: '2025-01-15', to: '2025-01-31' }, { from: '2025-02-01', to: '2025-02-10' }] }],
    ['open start, partial end', undefined, '2025-03-10', { months: { from: undefined, to: '2025-02' }, days: [{ from: '2025-03-01', to: '2025-03-10' }] }],
    ['partial start, open end', '2024-12-31', undefined, { months: { from: '2025-01', to: undefined }, days: [{ from: '2024-12-31', to: '2024-12-31' }] }],
    ['a leap February', '2024-02-01', '2024-02-29', { months: { from: '2024-02', to: '2024-02' }, days: [] }],
    ['the last month there is', '9999-12-15', undefined, { months: null, days: [{ from: '9999-12-15', to: '9999-12-31' }] }],
  ])('%s', (_, from, to, expected) => {
    expect(sliceWindow(from, to)).toEqual(expected);
  });

  it('knows the last day of every month', () => {
    expect(['2023-02', '2024-02', '2025-04', '2025-12', '2100-02', '0004-02', '0001-02', '0000-02'].map(lastDayOfMonth)).toEqual([
      '2023-02-28',
      '2024-02-29',
      '2025-04-30',
      '2025-12-31',
      '2100-02-28',
      '0004-02-29',
      '0001-02-28',
      '0000-02-29', // year 0 is a leap year (Date.UTC would have read it as 1900)
    ]);
  });
});

describe('runSumPlan', () => {
  it('adds up the rows of every part group by group, documents included', async () => {
    const parts: SumRow[][] = [
      [
        { stage: 'A', currency: 'EUR', n: 1, documents: 1 },
        { stage: 'B', currency: null, n: 2, documents: 2 },
      ],
      [{ stage: 'A', currency: 'EUR', n: 10, documents: 3 }],
      [{ stage: 'A', currency: 'USD', n: 100, documents: 1 }],
    ];
    const plan: SumPlan = { parts: parts.map((_, i) => ({ collection: `c${i}`, query: { groupBy: ['stage', 'currency'], sum: ['n'] } })), groupBy: ['stage', 'currency'], sum: ['n'] };
    const asked: string[] = [];
    const rows = await runSumPlan({ sumEach: async (requests) => requests.map((r) => (asked.push(r.collection), parts[Number(r.collection.slice(1))]!)) }, plan);
    expect(asked).toEqual(['c0', 'c1', 'c2']);
    expect(rows).toEqual([
      { stage: 'A', currency: 'EUR', n: 11, documents: 4 },
      { stage: 'B', currency: null, n: 2, documents: 2 },
      { stage: 'A', currency: 'USD', n: 100, documents: 1 },
    ]);
  });
});
