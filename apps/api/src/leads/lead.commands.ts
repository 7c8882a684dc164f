import { Command } from '@nestjs/cqrs';
import { LeadState } from '@pipeline-ledger/domain';
import { CommandContext, CommandOutcome } from '../write/command-context';
import { ConvertLeadBody } from './lead.bodies';

export interface ConversionOutcome extends CommandOutcome<LeadState> {
  accountId: string;
  contactId: string;
  opportunityId: string | null;
}

/** Conversion: one business act over up to four streams (see ConvertLeadHandler). */
export class ConvertLeadCommand extends Command<ConversionOutcome> {
  constructor(
    readonly leadId: string,
    readonly request: ConvertLeadBody,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
