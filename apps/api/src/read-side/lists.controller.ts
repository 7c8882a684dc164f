import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  READ_MODEL_STORE,
  ReadModelStore,
  leadsListAnswer,
  leadsListParamsSchema,
  leadsListProjection,
  leadsListQuery,
  opportunitiesListAnswer,
  opportunitiesListParamsSchema,
  opportunitiesListProjection,
  opportunitiesListQuery,
} from '@pipeline-ledger/read-models';
import { FreshnessService } from './freshness.service';
import { parseQuery } from './query-params';

/** Lists from the read models (a record's own current state is GET /leads/:id, from its stream). */
@Controller()
export class ListsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly freshness: FreshnessService,
  ) {}

  @ApiTags('leads')
  @Get('leads')
  async leads(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(leadsListParamsSchema, raw);
    const freshness = await this.freshness.of(leadsListProjection);
    const q = leadsListQuery(params);
    return { ...leadsListAnswer(await this.store.find(q.collection, q.query), params), freshness };
  }

  @ApiTags('opportunities')
  @Get('opportunities')
  async opportunities(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(opportunitiesListParamsSchema, raw);
    const freshness = await this.freshness.of(opportunitiesListProjection);
    const q = opportunitiesListQuery(params);
    return { ...opportunitiesListAnswer(await this.store.find(q.collection, q.query), params), freshness };
  }
}
