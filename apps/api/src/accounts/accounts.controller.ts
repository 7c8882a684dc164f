import { Controller, Get, Param, Post, Res, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { Response } from 'express';
import { AccountState } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { Allow } from '../auth/access.decorators';
import { Ctx } from '../http/command-context.decorator';
import { optionalText, owner, requiredText } from '../http/fields';
import { pathId, withRevision } from '../http/respond';
import { ValidBody } from '../http/valid-body.decorator';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { ExecuteRecordCommand } from '../write/execute-record.command';
import { newRecordId } from '../write/idempotency';
import { RECORDS, Records } from '../write/record-types';

const createAccountBody = z.strictObject({
  name: requiredText(255),
  industry: optionalText(80),
  website: optionalText(255),
  phone: optionalText(40),
  billingCountry: optionalText(80),
  owner: owner.optional(),
});

export function presentAccount(id: string, state: AccountState, revision: number) {
  return { id, revision, ...state.details, owner: state.owner, source: state.source, createdAt: state.createdAt, leadIds: state.leadIds };
}

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly commandBus: CommandBus,
    private readonly repository: EventSourcedRepository,
  ) {}

  @Allow('sales', 'manager')
  @Post()
  async create(@ValidBody(createAccountBody) body: z.infer<typeof createAccountBody>, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    const { owner: accountOwner, ...details } = body;
    const accountId = newRecordId('account', ctx);
    const outcome = await this.commandBus.execute(
      new ExecuteRecordCommand(this.records.account, accountId, { type: 'CreateAccount', accountId, at: ctx.occurredAt, details, owner: accountOwner ?? ctx.actor, source: null, leadId: null }, ctx),
    );
    res.location(`/accounts/${accountId}`);
    return withRevision(res, outcome, presentAccount(accountId, outcome.state, outcome.revision));
  }

  @Allow('sales', 'manager')
  @Get(':id')
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const account = await this.repository.get(this.records.account, pathId(id));
    return withRevision(res, account, presentAccount(id, account.state, account.revision));
  }
}
