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
import { Allow } from '../auth/access.decorators';
import { AccessError } from '../auth/access.errors';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { redactLeadListRow } from '../auth/redaction';
import { FreshnessService } from './freshness.service';
import { parseQuery } from './query-params';

/** Lists from the read models (a record's own current state is GET /leads/:id, from its stream). */
@Controller()
export class ListsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly freshness: FreshnessService,
  ) {}

  /**
   * Without the pii grant the personal fields read [redacted], and what would reveal them anyway is refused (403
   * PII_GRANT_REQUIRED): the text search `q` (it looks in names and email: which searches match tells the data) and
   * sorting by lastName. Filtering by company (not personal) works for everyone.
   */
  @Allow('analyst', 'sales', 'manager')
  @ApiTags('leads')
  @Get('leads')
  async leads(@Query() raw: Record<string, unknown>, @CurrentPrincipal() who: Principal) {
    const params = parseQuery(leadsListParamsSchema, raw);
    if (!who.pii && params.q !== undefined) throw AccessError.piiRequired('searching leads with q (it matches names and email addresses)');
    if (!who.pii && params.sort.field === 'lastName') throw AccessError.piiRequired('sorting leads by lastName');
    const freshness = await this.freshness.of(leadsListProjection);
    const q = leadsListQuery(params);
    const page = leadsListAnswer(await this.store.find(q.collection, q.query), params);
    return { ...page, items: page.items.map((row) => redactLeadListRow(who, row)), freshness };
  }

  @Allow('analyst', 'sales', 'manager')
  @ApiTags('opportunities')
  @Get('opportunities')
  async opportunities(@Query() raw: Record<string, unknown>) {
    const params = parseQuery(opportunitiesListParamsSchema, raw);
    const freshness = await this.freshness.of(opportunitiesListProjection);
    const q = opportunitiesListQuery(params);
    return { ...opportunitiesListAnswer(await this.store.find(q.collection, q.query), params), freshness };
  }
}
