import { CounterIncrement } from '../read-model-store.port';
import { diffIncrements, mergeIncrements } from './counter-increments';
import { CONVERSION_TIERS, ConversionLeadDocument, conversionChanges, conversionContributions } from './lead-conversion.counters';
import { TIME_TO_CONVERT_FIELDS } from './time-to-convert.histogram';

/** A small deterministic generator, so that a failure names a seed that reproduces it. */
function random(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return { next, pick };
}

const DAYS = ['2026-01-30', '2026-01-31', '2026-02-01', '2026-03-15'];

/** A step's business day and recorded day: mostly the same (live), sometimes recorded later (an import). */
function dated(r: ReturnType<typeof random>, day: string | null): [string | null, string | null] {
  if (day === null) return [null, null];
  return [day, r.next() < 0.6 ? day : r.pick(DAYS)];
}

function lead(r: ReturnType<typeof random>): ConversionLeadDocument {
  const day = () => (r.next() < 0.4 ? null : r.pick(DAYS));
  const [createdDay, createdRecordedDay] = dated(r, r.pick(DAYS));
  const [contactedDay, contactedRecordedDay] = dated(r, day());
  const [qualifiedDay, qualifiedRecordedDay] = dated(r, day());
  const [disqualifiedDay, disqualifiedRecordedDay] = dated(r, day());
  const [convertedDay, convertedRecordedDay] = dated(r, r.next() < 0.3 ? r.pick(DAYS) : null);
  return {
    id: 'lead-1',
    source: r.pick(['web', 'event']),
    owner: r.pick(['ann', 'bob']),
    campaign: r.pick([null, 'spring']),
    createdAt: '2026-01-30T09:00:00.000Z',
    createdDay: createdDay!,
    contactedDay,
    qualifiedDay,
    disqualifiedDay,
    convertedDay,
    withOpportunity: convertedDay !== null && r.next() < 0.5,
    timeToConvertField: convertedDay === null ? null : r.pick(TIME_TO_CONVERT_FIELDS),
    createdRecordedDay: createdRecordedDay!,
    contactedRecordedDay,
    qualifiedRecordedDay,
    disqualifiedRecordedDay,
    convertedRecordedDay,
  };
}

/** The lead after one change, as events make them: one step moved, or its group changed. */
function changed(r: ReturnType<typeof random>, before: ConversionLeadDocument): ConversionLeadDocument {
  const other = lead(r);
  const field = r.pick(['contactedDay', 'qualifiedDay', 'disqualifiedDay', 'converted', 'owner', 'source', 'campaign', 'several'] as const);
  if (field === 'converted') {
    return {
      ...before,
      convertedDay: other.convertedDay,
      convertedRecordedDay: other.convertedRecordedDay,
      withOpportunity: other.withOpportunity,
      timeToConvertField: other.timeToConvertField,
    };
  }
  if (field === 'several') return { ...other, id: before.id, createdDay: before.createdDay, createdRecordedDay: before.createdRecordedDay };
  if (field === 'contactedDay' || field === 'qualifiedDay' || field === 'disqualifiedDay') {
    const recorded = field.replace('Day', 'RecordedDay') as 'contactedRecordedDay';
    return { ...before, [field]: other[field], [recorded]: other[recorded] };
  }
  return { ...before, [field]: other[field] };
}

const sorted = (increments: CounterIncrement[]) => [...increments].sort((a, b) => `${a.collection} ${a.id}`.localeCompare(`${b.collection} ${b.id}`));

describe('conversionChanges', () => {
  it('adds up to exactly what the difference of all contributions adds, for any change of a lead (10,000 random changes)', () => {
    for (let seed = 1; seed <= 10_000; seed++) {
      const r = random(seed);
      const before = r.next() < 0.05 ? null : lead(r);
      const after = before === null ? lead(r) : changed(r, before);
      const expected = diffIncrements(conversionContributions(before), conversionContributions(after));
      const actual = mergeIncrements(conversionChanges(before, after)); // several may hit one counter: the runner adds them up
      if (JSON.stringify(sorted(actual)) !== JSON.stringify(sorted(expected))) {
        // toEqual names the differing counters; the seed reproduces the case.
        expect({ seed, increments: sorted(actual) }).toEqual({ seed, increments: sorted(expected) });
      }
    }
  });

  it('touches only the counters of the step that moved on a first contact', () => {
    const before: ConversionLeadDocument = {
      ...lead(random(3)),
      createdDay: '2026-01-30',
      createdRecordedDay: '2026-01-30',
      convertedDay: null,
      convertedRecordedDay: null,
      contactedDay: null,
      contactedRecordedDay: null,
      withOpportunity: false,
      timeToConvertField: null,
    };
    const after = { ...before, contactedDay: '2026-02-01', contactedRecordedDay: '2026-02-01' };
    const changes = conversionChanges(before, after);
    // +1 contacted on the cohort's and the contact day's counters, daily and monthly, in every tier.
    const collections = [...CONVERSION_TIERS.cohort, ...CONVERSION_TIERS.period].flatMap((tier) => [tier.daily, tier.monthly]);
    expect(collections).toHaveLength(16);
    expect(changes.map((c) => [c.collection, c.add]).sort()).toEqual(collections.map((c) => [c, { contacted: 1 }]).sort());
  });

  it('a first contact entered live touches one counter per collection, counting for both time bases', () => {
    const before: ConversionLeadDocument = { ...lead(random(5)), createdDay: '2026-01-30', createdRecordedDay: '2026-01-30', contactedDay: null, contactedRecordedDay: null };
    const changes = conversionChanges(before, { ...before, contactedDay: '2026-02-01', contactedRecordedDay: '2026-02-01' });
    expect(changes).toHaveLength(16);
    expect(changes.every((c) => c.group['timeBasis'] === 'both')).toBe(true);
  });

  it('a back-dated first contact: one counter per basis where the days differ, one for both where the months agree', () => {
    const before: ConversionLeadDocument = { ...lead(random(5)), createdDay: '2026-01-30', createdRecordedDay: '2026-01-30', contactedDay: null, contactedRecordedDay: null };
    // Contacted Jan 31 in the business, recorded Mar 15: the cohort's and the period's days and months all differ.
    const apart = conversionChanges(before, { ...before, contactedDay: '2026-01-31', contactedRecordedDay: '2026-03-15' });
    const cohortDaily = apart.filter((c) => c.collection === 'conversion_cohorts');
    // The cohort counter is the created day's, which was not back-dated: one, for both.
    expect(cohortDaily.map((c) => [c.group['day'], c.group['timeBasis']])).toEqual([['2026-01-30', 'both']]);
    const periodDaily = apart.filter((c) => c.collection === 'conversion_periods');
    expect(periodDaily.map((c) => [c.group['day'], c.group['timeBasis']])).toEqual([
      ['2026-01-31', 'occurred'],
      ['2026-03-15', 'recorded'],
    ]);
    expect(apart.filter((c) => c.collection === 'conversion_periods_monthly').map((c) => [c.group['month'], c.group['timeBasis']])).toEqual([
      ['2026-01', 'occurred'],
      ['2026-03', 'recorded'],
    ]);
    // 8 cohort counters (both), 8 period counters per basis.
    expect(apart).toHaveLength(24);
    // Recorded the next day of the same month: the daily period counters split, the monthly ones do not.
    const sameMonth = conversionChanges(before, { ...before, contactedDay: '2026-01-30', contactedRecordedDay: '2026-01-31' });
    expect(sameMonth.filter((c) => c.collection === 'conversion_periods_monthly').map((c) => c.group['timeBasis'])).toEqual(['both']);
    expect(sameMonth.filter((c) => c.collection === 'conversion_periods').map((c) => c.group['timeBasis'])).toEqual(['occurred', 'recorded']);
  });
});
