import type { LeadSource } from '@pipeline-ledger/domain';
import { SumRow } from '../read-model-store.port';
import { compareGroups, groupOf } from './group-key';
import { SumRequest, dayWindowFilters, eqFilter } from './query-request';
import { numberField, rate } from './rate';
import { DEFAULT_TIME_BASIS, TimeBasis, countedForFilter } from './time-basis';
import { WIN_RATES, WIN_RATE_SUM_FIELDS } from './win-rate.projection';

export const WIN_RATE_GROUP_BY = ['owner', 'source'] as const;
export type WinRateGroupBy = (typeof WIN_RATE_GROUP_BY)[number];

/**
 * Win rate of the deals closed in a window of days (inclusive; open ends unbounded), grouped by owner and/or source.
 * The close days are those of `timeBasis`: the business day (occurred, the default) or the day the store recorded it.
 */
export interface WinRateParams {
  timeBasis?: TimeBasis;
  from?: string;
  to?: string;
  groupBy: WinRateGroupBy[];
  owner?: string;
  source?: LeadSource;
}

export interface WinRateFigures {
  won: number;
  lost: number;
  closed: number;
  /** won / closed, 4 decimals; null when nothing closed. */
  winRate: number | null;
}

export interface WinRateGroup extends WinRateFigures {
  group: Partial<Record<WinRateGroupBy, string | null>>;
}

export interface WinRateAnswer {
  /** Whose day a close is dated by: when it closed in the business (occurred), or when the store recorded it. */
  timeBasis: TimeBasis;
  /** The window is on the day each deal closed (in the time of timeBasis), not on its planned close date. */
  window: { from: string | null; to: string | null };
  filters: { owner: string | null; source: string | null };
  groupBy: WinRateGroupBy[];
  groups: WinRateGroup[];
  total: WinRateFigures;
}

export function winRateQuery(params: WinRateParams): SumRequest {
  return {
    collection: WIN_RATES,
    query: {
      filters: [...dayWindowFilters('day', params.from, params.to), ...eqFilter('owner', params.owner), ...eqFilter('source', params.source), countedForFilter(params.timeBasis)],
      groupBy: [...params.groupBy],
      sum: WIN_RATE_SUM_FIELDS,
    },
  };
}

export function winRateAnswer(rows: readonly SumRow[], params: WinRateParams): WinRateAnswer {
  const fields = params.groupBy.map((name) => ({ name, field: name }));
  const groups = rows
    .map((row) => ({ group: groupOf(row, fields) as Record<WinRateGroupBy, string | null>, row }))
    .sort((a, b) => compareGroups(params.groupBy)(a.group, b.group))
    .map(({ group, row }) => ({ group, ...figures([row]) }));
  return {
    timeBasis: params.timeBasis ?? DEFAULT_TIME_BASIS,
    window: { from: params.from ?? null, to: params.to ?? null },
    filters: { owner: params.owner ?? null, source: params.source ?? null },
    groupBy: params.groupBy,
    groups,
    total: figures(rows),
  };
}

function figures(rows: readonly SumRow[]): WinRateFigures {
  const won = rows.reduce((sum, row) => sum + numberField(row, 'won'), 0);
  const lost = rows.reduce((sum, row) => sum + numberField(row, 'lost'), 0);
  const closed = rows.reduce((sum, row) => sum + numberField(row, 'closed'), 0);
  return { won, lost, closed, winRate: rate(won, closed) };
}
