import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConvertLead, LEAD_STATUS, LeadState } from '@pipeline-ledger/domain';
import { ConversionCompleter } from '../conversion/conversion-completer';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { forStream, newRecordId } from '../write/idempotency';
import { RECORDS, Records } from '../write/record-types';
import { ConversionOutcome, ConvertLeadCommand } from './lead.commands';
import { ConvertLeadBody } from './lead.bodies';

/**
 * Converting a lead writes up to four streams, and no event store can be assumed to write several streams atomically.
 * So the lead's own LeadConverted event is the one commit point: it is appended first and holds everything the other
 * writes need (ids chosen up front, the account, contact and opportunity data). The account, contact and opportunity
 * are then written from it by the ConversionCompleter with event ids derived from it, so writing them again writes
 * nothing. If the process dies in between, the completer's subscription (at start-up) or a retry of the request
 * finishes the job; a converted lead's account therefore always comes to exist, exactly once.
 */
@CommandHandler(ConvertLeadCommand)
export class ConvertLeadHandler implements ICommandHandler<ConvertLeadCommand> {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly repository: EventSourcedRepository,
    private readonly completer: ConversionCompleter,
  ) {}

  async execute({ leadId, request, ctx }: ConvertLeadCommand): Promise<ConversionOutcome> {
    const lead = await this.repository.get(this.records.lead, leadId);
    // A converted lead goes straight to the decider: it refuses, or the repository finds this request's earlier run.
    const command = lead.state.status === LEAD_STATUS.converted ? this.placeholder(leadId, ctx) : await this.prepare(lead.state, leadId, request, ctx);
    const outcome = await this.repository.execute(this.records.lead, leadId, command, forStream(ctx, 'lead', leadId));

    const converted = await this.repository.lastEventOfType(this.records.lead, leadId, 'LeadConverted');
    if (!converted) throw new Error(`lead ${leadId} has no LeadConverted event after its conversion`);
    await this.completer.complete(converted);

    const conversion = outcome.state.conversion!;
    return { ...outcome, accountId: conversion.accountId, contactId: conversion.contactId, opportunityId: conversion.opportunityId };
  }

  /**
   * Checks what the lead's decider cannot see (other records) and chooses the ids of the records to create. The
   * decider checks the opportunity's fields itself, before anything is written, so the completer cannot be refused.
   */
  private async prepare(lead: LeadState, leadId: string, request: ConvertLeadBody, ctx: CommandContext): Promise<ConvertLead> {
    const purpose = `convert:${leadId}`;
    if (request.accountId) await this.repository.get(this.records.account, request.accountId);
    const contact = request.contactId ? await this.repository.get(this.records.contact, request.contactId) : null;
    const accountId = request.accountId ?? newRecordId('account', ctx, purpose);

    const o = request.opportunity;
    const opportunity =
      request.doNotCreateOpportunity || !o
        ? null
        : {
            opportunityId: newRecordId('opportunity', ctx, purpose),
            name: o.name ?? lead.details!.company,
            stage: o.stage ?? this.records.catalogue.firstOpenStage().name,
            closeDate: o.closeDate,
            amount: o.amount ?? null,
            currency: o.currency ?? null,
          };

    return {
      type: 'ConvertLead',
      leadId,
      at: ctx.occurredAt,
      account: request.accountId
        ? { mode: 'existing', accountId }
        : { mode: 'new', accountId, name: request.accountName ?? lead.details!.company },
      contact: contact
        ? { mode: 'existing', contactId: request.contactId!, accountId: contact.state.accountId! }
        : { mode: 'new', contactId: newRecordId('contact', ctx, purpose) },
      opportunity,
    };
  }

  /** The decider refuses any command on a converted lead before looking at it; this one is never appended. */
  private placeholder(leadId: string, ctx: CommandContext): ConvertLead {
    return { type: 'ConvertLead', leadId, at: ctx.occurredAt, account: { mode: 'new', accountId: leadId, name: '-' }, contact: { mode: 'new', contactId: leadId }, opportunity: null };
  }
}
