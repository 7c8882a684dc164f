import { Controller, Get, HttpCode, Param, Patch, Post, Res, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { Response } from 'express';
import { ConvertLead, LeadCommand } from '@pipeline-ledger/domain';
import { Allow } from '../auth/access.decorators';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Viewer, redactRecord } from '../auth/redaction';
import { Ctx } from '../http/command-context.decorator';
import { pathId, withRevision } from '../http/respond';
import { ValidBody } from '../http/valid-body.decorator';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { newRecordId } from '../write/idempotency';
import { RECORDS, Records } from '../write/record-types';
import {
  ConvertLeadBody,
  CreateLeadBody,
  UpdateLeadBody,
  convertLeadBody,
  createLeadBody,
  disqualifyBody,
  logContactBody,
  nurtureBody,
  qualificationBody,
  reassignBody,
  reopenBody,
  updateLeadBody,
} from './lead.bodies';
import { ConvertLeadCommand } from './lead.commands';
import { ExecuteRecordCommand } from '../write/execute-record.command';
import { presentLead } from './lead.presenter';

type Body<T extends { parse: (v: unknown) => unknown }> = ReturnType<T['parse']>;
type SingleStreamCommand = Exclude<LeadCommand, ConvertLead>;
/** A lead command without what every one of them carries. */
type Intent = SingleStreamCommand extends infer C ? (C extends SingleStreamCommand ? Omit<C, 'leadId' | 'at'> : never) : never;

@ApiTags('leads')
@Controller('leads')
export class LeadsController {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly commandBus: CommandBus,
    private readonly repository: EventSourcedRepository,
  ) {}

  @Allow('sales', 'manager', 'integration')
  @Post()
  async create(@ValidBody(createLeadBody) body: CreateLeadBody, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const { owner, ...details } = body;
    const leadId = newRecordId('lead', ctx);
    res.location(`/leads/${leadId}`);
    return this.run(leadId, { type: 'CreateLead', details, owner: owner ?? ctx.actor }, ctx, who, res);
  }

  @Allow('sales', 'manager')
  @Get(':id')
  async get(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const lead = await this.repository.get(this.records.lead, pathId(id));
    return withRevision(res, lead, redactRecord(who, 'lead', presentLead(id, lead.state, lead.revision)));
  }

  @Allow('sales', 'manager')
  @Patch(':id')
  @HttpCode(200)
  update(@Param('id') id: string, @ValidBody(updateLeadBody) changes: UpdateLeadBody, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'UpdateLeadDetails', changes }, ctx, who, res);
  }

  @Allow('manager')
  @Post(':id/owner')
  @HttpCode(200)
  reassign(@Param('id') id: string, @ValidBody(reassignBody) body: Body<typeof reassignBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ChangeLeadOwner', owner: body.owner }, ctx, who, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/contacts')
  @HttpCode(200)
  logContact(@Param('id') id: string, @ValidBody(logContactBody) body: Body<typeof logContactBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'LogLeadContact', ...body }, ctx, who, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/qualification')
  @HttpCode(200)
  qualify(@Param('id') id: string, @ValidBody(qualificationBody) body: Body<typeof qualificationBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const { note, ...bant } = body;
    return this.run(pathId(id), { type: 'RecordLeadQualification', bant, note }, ctx, who, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/nurture')
  @HttpCode(200)
  nurture(@Param('id') id: string, @ValidBody(nurtureBody) body: Body<typeof nurtureBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'StartLeadNurture', reason: body.reason }, ctx, who, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/disqualify')
  @HttpCode(200)
  disqualify(@Param('id') id: string, @ValidBody(disqualifyBody) body: Body<typeof disqualifyBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'DisqualifyLead', reasonCode: body.reasonCode, reason: body.reason }, ctx, who, res);
  }

  @Allow('manager')
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Param('id') id: string, @ValidBody(reopenBody) body: Body<typeof reopenBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    return this.run(pathId(id), { type: 'ReopenLead', reason: body.reason }, ctx, who, res);
  }

  @Allow('sales', 'manager')
  @Post(':id/convert')
  @HttpCode(200)
  async convert(@Param('id') id: string, @ValidBody(convertLeadBody) body: ConvertLeadBody, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const outcome = await this.commandBus.execute(new ConvertLeadCommand(pathId(id), body, ctx));
    return withRevision(res, outcome, {
      leadId: outcome.id,
      accountId: outcome.accountId,
      contactId: outcome.contactId,
      opportunityId: outcome.opportunityId,
      lead: redactRecord(who, 'lead', presentLead(outcome.id, outcome.state, outcome.revision)),
    });
  }

  private async run(leadId: string, intent: Intent, ctx: CommandContext, who: Viewer, res: Response) {
    const command = { ...intent, leadId, at: ctx.occurredAt } as SingleStreamCommand;
    const outcome = await this.commandBus.execute(new ExecuteRecordCommand(this.records.lead, leadId, command, ctx));
    return withRevision(res, outcome, redactRecord(who, 'lead', presentLead(leadId, outcome.state, outcome.revision)));
  }
}
