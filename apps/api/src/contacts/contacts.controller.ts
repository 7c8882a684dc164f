import { Controller, Get, Param, Post, Res, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { Response } from 'express';
import { ContactState } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { Allow } from '../auth/access.decorators';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { redactRecord } from '../auth/redaction';
import { Ctx } from '../http/command-context.decorator';
import { email, optionalText, owner, phone, requiredText, uuid } from '../http/fields';
import { pathId, withRevision } from '../http/respond';
import { ValidBody } from '../http/valid-body.decorator';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { ExecuteRecordCommand } from '../write/execute-record.command';
import { newRecordId } from '../write/idempotency';
import { RECORDS, Records } from '../write/record-types';

const createContactBody = z.strictObject({
  accountId: uuid,
  firstName: optionalText(40),
  lastName: requiredText(80),
  title: optionalText(128),
  email: email.nullish().transform((v) => v ?? null),
  phone: phone.nullish().transform((v) => (v ? v : null)),
  owner: owner.optional(),
});

export function presentContact(id: string, state: ContactState, revision: number) {
  return { id, revision, accountId: state.accountId, ...state.details, owner: state.owner, source: state.source, createdAt: state.createdAt, leadIds: state.leadIds };
}

@ApiTags('contacts')
@Controller('contacts')
export class ContactsController {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly commandBus: CommandBus,
    private readonly repository: EventSourcedRepository,
  ) {}

  @Allow('sales', 'manager')
  @Post()
  async create(@ValidBody(createContactBody) body: z.infer<typeof createContactBody>, @Ctx() ctx: CommandContext, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const { accountId, owner: contactOwner, ...details } = body;
    const contactId = newRecordId('contact', ctx);
    const outcome = await this.commandBus.execute(
      new ExecuteRecordCommand(this.records.contact, contactId, { type: 'CreateContact', contactId, accountId, at: ctx.occurredAt, details, owner: contactOwner ?? ctx.actor, source: null, leadId: null }, ctx),
    );
    res.location(`/contacts/${contactId}`);
    return withRevision(res, outcome, redactRecord(who, 'contact', presentContact(contactId, outcome.state, outcome.revision)));
  }

  @Allow('sales', 'manager')
  @Get(':id')
  async get(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const contact = await this.repository.get(this.records.contact, pathId(id));
    return withRevision(res, contact, redactRecord(who, 'contact', presentContact(id, contact.state, contact.revision)));
  }
}
