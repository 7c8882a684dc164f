import { DOMAIN_EVENT_TYPES } from '@pipeline-ledger/domain';
import { ALL_PROJECTIONS } from './index';

describe('ALL_PROJECTIONS', () => {
  it('holds the six projections, with collection names unique across them and as the port wants them', () => {
    expect(ALL_PROJECTIONS.map((p) => p.name)).toEqual(['leads-list', 'opportunities-list', 'pipeline-by-stage', 'lead-conversion', 'win-rate', 'lead-identities']);
    const names = ALL_PROJECTIONS.flatMap((p) => p.collections.map((c) => c.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^[a-z0-9_]+$/.test(n))).toBe(true);
    expect(names.sort()).toEqual([
      'conversion_cohorts',
      'conversion_cohorts_by_campaign',
      'conversion_cohorts_by_campaign_monthly',
      'conversion_cohorts_by_owner',
      'conversion_cohorts_by_owner_monthly',
      'conversion_cohorts_by_source',
      'conversion_cohorts_by_source_monthly',
      'conversion_cohorts_monthly',
      'conversion_leads',
      'conversion_periods',
      'conversion_periods_by_campaign',
      'conversion_periods_by_campaign_monthly',
      'conversion_periods_by_owner',
      'conversion_periods_by_owner_monthly',
      'conversion_periods_by_source',
      'conversion_periods_by_source_monthly',
      'conversion_periods_monthly',
      'lead_identities',
      'lead_list',
      'opportunity_list',
      'pipeline_buckets',
      'pipeline_day_totals',
      'pipeline_month_totals',
      'pipeline_opportunities',
      'pipeline_owner_month_totals',
      'pipeline_owner_totals',
      'pipeline_totals',
      'win_rate_opportunities',
      'win_rates',
    ]);
  });

  it('each reads known event types only, and its entity collection is one of its collections', () => {
    const known: readonly string[] = DOMAIN_EVENT_TYPES;
    for (const projection of ALL_PROJECTIONS) {
      expect(Number.isInteger(projection.version) && projection.version >= 1).toBe(true);
      expect(projection.eventTypes.filter((t) => !known.includes(t))).toEqual([]);
      expect(projection.collections.map((c) => c.name)).toContain(projection.entityCollection);
    }
  });
});
