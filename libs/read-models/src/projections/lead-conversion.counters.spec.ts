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

function lead(r: ReturnType<typeof random>): ConversionLeadDocument {
  const day = () => (r.next() < 0.4 ? null : r.pick(DAYS));
  const convertedDay = r.next() < 0.3 ? r.pick(DAYS) : null;
  return {
    id: 'lead-1',
    source: r.pick(['web', 'event']),
    owner: r.pick(['ann', 'bob']),
    campaign: r.pick([null, 'spring']),
    createdAt: '2026-01-30T09:00:00.000Z',
    createdDay: r.pick(DAYS),
    contactedDay: day(),
    qualifiedDay: day(),
    disqualifiedDay: day(),
    convertedDay,
    withOpportunity: convertedDay !== null && r.next() < 0.5,
    timeToConvertField: convertedDay === null ? null : r.pick(TIME_TO_CONVERT_FIELDS),
  };
}

/** The lead after one change, as events make them: one step moved, or its group changed. */
function changed(r: ReturnType<typeof random>, before: ConversionLeadDocument): ConversionLeadDocument {
  const other = lead(r);
  const field = r.pick(['contactedDay', 'qualifiedDay', 'disqualifiedDay', 'converted', 'owner', 'source', 'campaign', 'several'] as const);
  if (field === 'converted') return { ...before, convertedDay: other.convertedDay, withOpportunity: other.withOpportunity, timeToConvertField: other.timeToConvertField };
  if (field === 'several') return { ...other, id: before.id, createdDay: before.createdDay };
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
    const before: ConversionLeadDocument = { ...lead(random(3)), convertedDay: null, contactedDay: null, withOpportunity: false, timeToConvertField: null };
    const after = { ...before, contactedDay: '2026-02-01' };
    const changes = conversionChanges(before, after);
    // +1 contacted on the cohort's and the contact day's counters, daily and monthly, in every tier.
    const collections = [...CONVERSION_TIERS.cohort, ...CONVERSION_TIERS.period].flatMap((tier) => [tier.daily, tier.monthly]);
    expect(collections).toHaveLength(16);
    expect(changes.map((c) => [c.collection, c.add]).sort()).toEqual(collections.map((c) => [c, { contacted: 1 }]).sort());
  });
});
