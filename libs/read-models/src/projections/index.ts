/**
 * Read models for the analysts' questions: the lead and opportunity lists, pipeline by stage, lead conversion and
 * win rate; and the lead identities the web-to-lead intake finds duplicates by. Each projection is pure (projection.ts); each question has a pure query function that builds the
 * port query, a pure answer function that shapes the result, and a zod schema for its parameters.
 */
import { Projection } from '../projection';
import { leadConversionProjection } from './lead-conversion.projection';
import { leadIdentitiesProjection } from './lead-identities.projection';
import { leadsListProjection } from './leads-list.projection';
import { opportunitiesListProjection } from './opportunities-list.projection';
import { pipelineByStageProjection } from './pipeline-by-stage.projection';
import { winRateProjection } from './win-rate.projection';

export * from './leads-list.projection';
export * from './leads-list.query';
export * from './leads-list.params';
export * from './opportunities-list.projection';
export * from './opportunities-list.query';
export * from './opportunities-list.params';
export * from './pipeline-by-stage.projection';
export * from './pipeline-by-stage.query';
export * from './pipeline-by-stage.params';
export * from './lead-conversion.projection';
export * from './lead-conversion.counters';
export * from './conversion-rates.query';
export * from './conversion-rates.params';
export * from './win-rate.projection';
export * from './win-rate.query';
export * from './win-rate.params';
export * from './lead-identities.projection';
export * from './lead-identities.query';
export * from './lead-identity.keys';
export * from './money-totals';
export * from './list-page';
export * from './query-request';
export * from './time-to-convert.histogram';
export * from './time-basis';
export type { OpportunityStatus } from './opportunity-events';

/** Every projection of this folder, for the runner to start. Collection names are unique across them. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  leadsListProjection,
  opportunitiesListProjection,
  pipelineByStageProjection,
  leadConversionProjection,
  winRateProjection,
  leadIdentitiesProjection,
];
