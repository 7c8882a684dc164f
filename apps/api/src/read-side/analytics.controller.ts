import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_TIME_BASIS,
  READ_MODEL_STORE,
  ReadModelStore,
  TIME_BASES,
  conversionRatesAnswer,
  conversionRatesParamsSchema,
  conversionRatesQuery,
  leadConversionProjection,
  pipelineAnswer,
  pipelineByStageProjection,
  pipelineParamsSchema,
  pipelineQuery,
  runSumPlan,
  winRateAnswer,
  winRateParamsSchema,
  winRateProjection,
  winRateQuery,
} from '@pipeline-ledger/read-models';
import { Allow } from '../auth/access.decorators';
import { RECORDS, Records } from '../write/record-types';
import { FreshnessService } from './freshness.service';
import { parseQuery } from './query-params';

/** `timeBasis` in the OpenAPI document: the same values and default as the zod schema that checks it. */
const timeBasisQuery = (what: string) =>
  ApiQuery({
    name: 'timeBasis',
    required: false,
    enum: [...TIME_BASES],
    schema: { type: 'string', enum: [...TIME_BASES], default: DEFAULT_TIME_BASIS },
    description:
      `whose days ${what} follow: \`occurred\` (default), when it happened in the business (an import may date events in the past); ` +
      '`recorded`, when the store recorded the event (what was known by then; an import shows on its own day). Echoed in the answer. ' +
      'Any other value is a 400 naming timeBasis.',
  });

/** What analysts ask: pipeline by stage, conversion rates, win rates. Each answer says how fresh it is. */
@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(RECORDS) private readonly records: Records,
    private readonly freshness: FreshnessService,
  ) {}

  /** Open opportunities per stage and currency (count, amount, weighted amount), plus closed won and lost totals. */
  @Allow('analyst', 'sales', 'manager')
  @Get('pipeline')
  @ApiOperation({
    summary: 'Pipeline value by stage',
    description:
      'Open opportunities per stage and currency (count, amount, weighted amount), plus closed won and lost totals, as they stand now; ' +
      'optionally for one `owner` and a window of planned close dates (`closeFrom`, `closeTo`). ' +
      'There is no `timeBasis` here (it is refused as an unknown parameter): the close date is a business field of the deal, not the time of an event, ' +
      'and the answer is the current state, so no window follows an event time.',
  })
  async pipeline(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(pipelineParamsSchema, raw);
    const freshness = await this.freshness.of(pipelineByStageProjection);
    const rows = await runSumPlan(this.store, pipelineQuery(params));
    return { ...pipelineAnswer(rows, params, this.records.catalogue.stages), freshness };
  }

  /** Leads created, contacted, qualified, disqualified, converted; conversion rates; time to convert. */
  @Allow('analyst', 'sales', 'manager')
  @Get('conversion')
  @ApiOperation({
    summary: 'Lead conversion rates, by cohort or by period',
    description:
      'Leads created, contacted, qualified, disqualified, converted; conversion rates; time to convert (always a business duration). ' +
      'Parameters: `basis` (cohort, period), `timeBasis`, `from`, `to`, `groupBy` (source, owner, campaign, cohortMonth), `source`, `owner`, `campaign`. ' +
      'With `timeBasis`, both bases follow the chosen time: the window and cohortMonth are business days (occurred) or recorded days (recorded).',
  })
  @timeBasisQuery('the window `from`/`to` and the `cohortMonth` grouping')
  async conversion(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(conversionRatesParamsSchema, raw);
    const freshness = await this.freshness.of(leadConversionProjection);
    const rows = await runSumPlan(this.store, conversionRatesQuery(params));
    return { ...conversionRatesAnswer(rows, params), freshness };
  }

  /** Won / closed, by owner and by source. */
  @Allow('analyst', 'sales', 'manager')
  @Get('win-rate')
  @ApiOperation({
    summary: 'Win rate (won / closed)',
    description:
      'Deals closed in a window of days (`from`, `to`) on the day each closed, not its planned close date; `groupBy` owner, source; filters `owner`, `source`. ' +
      'With `timeBasis`, the close day is the business day (occurred) or the day the store recorded the close (recorded).',
  })
  @timeBasisQuery('the window `from`/`to` (the day each deal closed)')
  async winRate(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(winRateParamsSchema, raw);
    const freshness = await this.freshness.of(winRateProjection);
    const q = winRateQuery(params);
    const rows = await this.store.sum(q.collection, q.query);
    return { ...winRateAnswer(rows, params), freshness };
  }
}
