import type { StageDefinition } from '@pipeline-ledger/domain';
import { SumRow } from '../read-model-store.port';
import { PipelineTotals, pipelineTotals } from './money-totals';
import {
  PIPELINE_BUCKETS,
  PIPELINE_DAY_TOTALS,
  PIPELINE_MONTH_TOTALS,
  PIPELINE_OWNER_MONTH_TOTALS,
  PIPELINE_OWNER_TOTALS,
  PIPELINE_SUM_FIELDS,
  PIPELINE_TOTALS,
} from './pipeline-by-stage.projection';
import { SumPlan, SumRequest, dayWindowFilters, eqFilter, sliceWindow } from './query-request';

/** Pipeline value by stage, optionally for one owner and a window of close dates (inclusive, YYYY-MM-DD). */
export interface PipelineParams {
  owner?: string;
  closeFrom?: string;
  closeTo?: string;
}

/** One stage: open opportunities for an open stage, closed ones for a closed stage. */
export interface PipelineStageLine extends PipelineTotals {
  stage: string;
  isClosed: boolean;
  isWon: boolean;
  /** False for a stage that opportunities still stand in but the catalogue in force no longer has. */
  inCatalogue: boolean;
}

export interface PipelineAnswer {
  filters: { owner: string | null; closeFrom: string | null; closeTo: string | null };
  /** Every stage of the catalogue, in its order, zeros included; then any stage the catalogue no longer has. */
  stages: PipelineStageLine[];
  /** All open opportunities: the pipeline. */
  open: PipelineTotals;
  closedWon: PipelineTotals;
  closedLost: PipelineTotals;
}

export type CatalogueStage = Pick<StageDefinition, 'name' | 'isClosed' | 'isWon'>;

const GROUP_BY = ['stage', 'status', 'currency'];

/**
 * The sums that answer: rows per stage x status x currency, however many opportunities, from rollups chosen so
 * that the rows read do not grow with the number of deals, nor with the length of a close-date window.
 * - No window: one rollup (pipeline_totals, or pipeline_owner_totals for one owner): a few rows.
 * - A window: its whole months from the monthly rollup (with or without owner), and the days of a partial first or
 *   last month from the daily rollup (without owner) or the buckets (for one owner): at most two months of days.
 */
export function pipelineQuery(params: PipelineParams): SumPlan {
  const owner = eqFilter('owner', params.owner);
  const part = (collection: string, filters: SumRequest['query']['filters']): SumRequest => ({
    collection,
    query: { filters: [...owner, ...(filters ?? [])], groupBy: GROUP_BY, sum: PIPELINE_SUM_FIELDS },
  });
  const plan = (parts: SumRequest[]): SumPlan => ({ parts, groupBy: GROUP_BY, sum: PIPELINE_SUM_FIELDS });
  if (params.closeFrom === undefined && params.closeTo === undefined) {
    return plan([part(params.owner !== undefined ? PIPELINE_OWNER_TOTALS : PIPELINE_TOTALS, [])]);
  }
  const slices = sliceWindow(params.closeFrom, params.closeTo);
  const parts: SumRequest[] = [];
  if (slices.months) {
    parts.push(part(params.owner !== undefined ? PIPELINE_OWNER_MONTH_TOTALS : PIPELINE_MONTH_TOTALS, dayWindowFilters('closeMonth', slices.months.from, slices.months.to)));
  }
  for (const days of slices.days) {
    parts.push(part(params.owner !== undefined ? PIPELINE_BUCKETS : PIPELINE_DAY_TOTALS, dayWindowFilters('closeDate', days.from, days.to)));
  }
  return plan(parts);
}

/**
 * The answer, with every stage of the catalogue (passed in: it is configurable) so that empty stages show as zeros.
 * A stage line adds up its bucket rows whatever their status: a stage's status comes from its snapshot, which
 * only disagrees with the catalogue if the catalogue was changed; the open/won/lost totals follow the snapshots.
 */
export function pipelineAnswer(rows: readonly SumRow[], params: PipelineParams, stages: readonly CatalogueStage[]): PipelineAnswer {
  const rowsOfStage = new Map<string, SumRow[]>();
  for (const row of rows) {
    const stage = String(row['stage']);
    rowsOfStage.set(stage, [...(rowsOfStage.get(stage) ?? []), row]);
  }
  const known = new Set(stages.map((s) => s.name));
  const lines: PipelineStageLine[] = stages.map((s) => ({
    stage: s.name,
    isClosed: s.isClosed,
    isWon: s.isWon,
    inCatalogue: true,
    ...pipelineTotals(rowsOfStage.get(s.name) ?? []),
  }));
  const others = [...rowsOfStage.keys()].filter((name) => !known.has(name)).sort();
  for (const name of others) {
    const stageRows = rowsOfStage.get(name) ?? [];
    const status = stageRows[0]?.['status'];
    lines.push({ stage: name, isClosed: status !== 'open', isWon: status === 'won', inCatalogue: false, ...pipelineTotals(stageRows) });
  }
  return {
    filters: { owner: params.owner ?? null, closeFrom: params.closeFrom ?? null, closeTo: params.closeTo ?? null },
    stages: lines,
    open: pipelineTotals(rows.filter((r) => r['status'] === 'open')),
    closedWon: pipelineTotals(rows.filter((r) => r['status'] === 'won')),
    closedLost: pipelineTotals(rows.filter((r) => r['status'] === 'lost')),
  };
}
