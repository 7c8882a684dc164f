import type { StageDefinition } from '@pipeline-ledger/domain';
import { SumRow } from '../read-model-store.port';
import { PipelineTotals, pipelineTotals } from './money-totals';
import { PIPELINE_BUCKETS, PIPELINE_OWNER_TOTALS, PIPELINE_SUM_FIELDS, PIPELINE_TOTALS } from './pipeline-by-stage.projection';
import { SumRequest, dayWindowFilters, eqFilter } from './query-request';

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

/**
 * The sum over pipeline buckets: one row per stage x status x currency, whatever the number of opportunities.
 * The buckets are per close day and owner, so a query with a close-date window reads rows that grow with days and
 * owners (never with deals); without one, the rollups answer from a few rows.
 */
export function pipelineQuery(params: PipelineParams): SumRequest {
  // Without a close-date window a rollup answers: rows per stage x status x currency (x owner), not per day.
  const windowed = params.closeFrom !== undefined || params.closeTo !== undefined;
  const collection = windowed ? PIPELINE_BUCKETS : params.owner !== undefined ? PIPELINE_OWNER_TOTALS : PIPELINE_TOTALS;
  return {
    collection,
    query: {
      filters: [...eqFilter('owner', params.owner), ...dayWindowFilters('closeDate', params.closeFrom, params.closeTo)],
      groupBy: ['stage', 'status', 'currency'],
      sum: PIPELINE_SUM_FIELDS,
    },
  };
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
