import { Controller, Get, HttpCode, Param, Post, Res, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { Response } from 'express';
import { OpportunityCommand } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { Allow } from '../auth/access.decorators';
import { Ctx } from '../http/command-context.decorator';
import { pathId, withRevision } from '../http/respond';
import { ValidBody } from '../http/valid-body.decorator';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { ExecuteRecordCommand } from '../write/execute-record.command';
import { newRecordId } from '../write/idempotency';
import { RECORDS, Records } from '../write/record-types';
import {
  CreateOpportunityBody,
  amountBody,
  changeStageBody,
  closeDateBody,
  closeLostBody,
  closeWonBody,
  createOpportunityBody,
  ownerBody,
  probabilityBody,
  reopenOpportunityBody,
} from './opportunity.bodies';
import { presentOpportunity } from './opportunity.presenter';

type Intent = OpportunityCommand extends infer C ? (C extends OpportunityCommand ? Omit<C, 'opportunityId' | 'at'> : never) : never;

@ApiTags('opportunities')
@Controller('opportunities')
export class OpportunitiesController {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly commandBus: CommandBus,
    private readonly repository: EventSourcedRepository,
  ) {}

  @Allow('sales', 'manager')
  @Post()
  create(@ValidBody(createOpportunityBody) body: CreateOpportunityBody, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    const id = newRecordId('opportunity', ctx);
    res.location(`/opportunities/${id}`);
    return this.run(
      id,
      {
        type: 'CreateOpportunity',
        accountId: body.accountId,
        name: body.name,
        stage: body.stage ?? null,
        closeDate: body.closeDate,
        amount: body.amount ?? null,
        currency: body.currency ?? null,
        owner: body.owner ?? ctx.actor,
        source: body.source ?? null,
        leadId: null,
      },
      ctx,
      res,
    );
  }

  @Allow('sales', 'manager')
  @Get(':id')
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const opportunity = await this.repository.get(this.records.opportunity, pathId(id));
    return withRevision(res, opportunity, presentOpportunity(id, opportunity.state, opportunity.revision));
  }

  @Allow('sales', 'manager')
  @Post(':id/stage')
  @HttpCode(200)
  changeStage(@Param('id') id: string, @ValidBody(changeStageBody) body: z.infer<typeof changeStageBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ChangeOpportunityStage', stage: body.stage, lossReason: body.lossReason }, ctx, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/probability')
  @HttpCode(200)
  overrideProbability(@Param('id') id: string, @ValidBody(probabilityBody) body: z.infer<typeof probabilityBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'OverrideOpportunityProbability', probability: body.probability }, ctx, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/amount')
  @HttpCode(200)
  changeAmount(@Param('id') id: string, @ValidBody(amountBody) body: z.infer<typeof amountBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ChangeOpportunityAmount', amount: body.amount, currency: body.currency }, ctx, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/close-date')
  @HttpCode(200)
  changeCloseDate(@Param('id') id: string, @ValidBody(closeDateBody) body: z.infer<typeof closeDateBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ChangeOpportunityCloseDate', closeDate: body.closeDate }, ctx, res);
  }

  @Allow('manager')
  @Post(':id/owner')
  @HttpCode(200)
  changeOwner(@Param('id') id: string, @ValidBody(ownerBody) body: z.infer<typeof ownerBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ChangeOpportunityOwner', owner: body.owner }, ctx, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/close-won')
  @HttpCode(200)
  closeWon(@Param('id') id: string, @ValidBody(closeWonBody) _body: unknown, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'CloseOpportunityWon' }, ctx, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/close-lost')
  @HttpCode(200)
  closeLost(@Param('id') id: string, @ValidBody(closeLostBody) body: z.infer<typeof closeLostBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'CloseOpportunityLost', reason: body.reason }, ctx, res);
  }

  @Allow('manager')
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Param('id') id: string, @ValidBody(reopenOpportunityBody) body: z.infer<typeof reopenOpportunityBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ReopenOpportunity', stage: body.stage ?? null, reason: body.reason }, ctx, res);
  }

  private async run(opportunityId: string, intent: Intent, ctx: CommandContext, res: Response) {
    const command = { ...intent, opportunityId, at: ctx.occurredAt } as OpportunityCommand;
    const outcome = await this.commandBus.execute(new ExecuteRecordCommand(this.records.opportunity, opportunityId, command, ctx));
    return withRevision(res, outcome, presentOpportunity(opportunityId, outcome.state, outcome.revision));
  }
}
