import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  READ_MODEL_STORE,
  ReadModelStore,
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
  async pipeline(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(pipelineParamsSchema, raw);
    const freshness = await this.freshness.of(pipelineByStageProjection);
    const rows = await runSumPlan(this.store, pipelineQuery(params));
    return { ...pipelineAnswer(rows, params, this.records.catalogue.stages), freshness };
  }

  /** Leads created, contacted, qualified, disqualified, converted; conversion rates; time to convert. */
  @Allow('analyst', 'sales', 'manager')
  @Get('conversion')
  async conversion(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(conversionRatesParamsSchema, raw);
    const freshness = await this.freshness.of(leadConversionProjection);
    const rows = await runSumPlan(this.store, conversionRatesQuery(params));
    return { ...conversionRatesAnswer(rows, params), freshness };
  }

  /** Won / closed, by owner and by source. */
  @Allow('analyst', 'sales', 'manager')
  @Get('win-rate')
  async winRate(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(winRateParamsSchema, raw);
    const freshness = await this.freshness.of(winRateProjection);
    const q = winRateQuery(params);
    const rows = await this.store.sum(q.collection, q.query);
    return { ...winRateAnswer(rows, params), freshness };
  }
}
