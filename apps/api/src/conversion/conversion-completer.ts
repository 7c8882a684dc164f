import { Injectable, Inject } from '@nestjs/common';
import { upcast } from '@pipeline-ledger/contracts';
import { LeadConversion, conversionFollowUps } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { RECORDS, Records } from '../write/record-types';

/**
 * Writes what a LeadConverted event promises: the account (created, or the lead merged into it), the contact
 * (created, or the lead merged into it) and the opportunity, in that order. Every write's event ids derive from the
 * LeadConverted event's id, so completing the same conversion twice, or concurrently, writes each thing once.
 */
@Injectable()
export class ConversionCompleter {
  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly repository: EventSourcedRepository,
  ) {}

  async complete(converted: StoredEvent): Promise<void> {
    if (converted.type !== 'LeadConverted') throw new Error(`not a LeadConverted event: ${converted.type}`);
    const c = upcast(converted).data as unknown as LeadConversion; // in the current schema version of LeadConverted
    const ctx = (part: string): CommandContext => ({
      actor: converted.metadata.actor,
      correlationId: converted.metadata.correlationId,
      causationId: converted.eventId,
      occurredAt: converted.metadata.occurredAt,
      eventIdSeed: `${converted.eventId}|${part}`,
    });
    const commands = conversionFollowUps(c);
    await this.repository.execute(this.records.account, c.account.accountId, commands.account, ctx('account'));
    await this.repository.execute(this.records.contact, c.contact.contactId, commands.contact, ctx('contact'));
    if (commands.opportunity) {
      await this.repository.execute(this.records.opportunity, commands.opportunity.opportunityId, commands.opportunity, ctx('opportunity'));
    }
  }
}
