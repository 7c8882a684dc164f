import { Injectable, Inject } from '@nestjs/common';
import { LeadConversion } from '@pipeline-ledger/domain';
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
    const c = converted.data as unknown as LeadConversion;
    const ctx = (part: string): CommandContext => ({
      actor: converted.metadata.actor,
      correlationId: converted.metadata.correlationId,
      causationId: converted.eventId,
      occurredAt: converted.metadata.occurredAt,
      eventIdSeed: `${converted.eventId}|${part}`,
    });
    const at = c.convertedAt;
    const { account, contact, opportunity } = c;

    await this.repository.execute(
      this.records.account,
      account.accountId,
      account.created
        ? {
            type: 'CreateAccount',
            accountId: account.accountId,
            at,
            details: { name: account.name, industry: account.industry, website: null, phone: null, billingCountry: null },
            owner: c.owner,
            source: c.source,
            leadId: c.leadId,
          }
        : { type: 'MergeLeadIntoAccount', accountId: account.accountId, at, leadId: c.leadId, fields: { industry: account.industry } },
      ctx('account'),
    );

    const person = { firstName: contact.firstName, title: contact.title, email: contact.email, phone: contact.phone };
    await this.repository.execute(
      this.records.contact,
      contact.contactId,
      contact.created
        ? {
            type: 'CreateContact',
            contactId: contact.contactId,
            accountId: account.accountId,
            at,
            details: { ...person, lastName: contact.lastName },
            owner: c.owner,
            source: c.source,
            leadId: c.leadId,
          }
        : { type: 'MergeLeadIntoContact', contactId: contact.contactId, at, leadId: c.leadId, fields: person },
      ctx('contact'),
    );

    if (opportunity) {
      await this.repository.execute(
        this.records.opportunity,
        opportunity.opportunityId,
        { type: 'CreateOpportunity', at, accountId: account.accountId, owner: c.owner, source: c.source, leadId: c.leadId, ...opportunity },
        ctx('opportunity'),
      );
    }
  }
}
