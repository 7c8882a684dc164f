import type { AccountCommand } from '../account/account.types';
import type { ContactCommand } from '../contact/contact.types';
import type { CreateOpportunity } from '../opportunity/opportunity.types';
import type { LeadConversion } from './lead.types';

/** The commands a LeadConverted event promises, one per record, written in this order. */
export interface ConversionFollowUps {
  /** Create the account, or merge the lead into the existing one (fills only empty fields). */
  account: AccountCommand;
  /** Create the contact under the account, or merge the lead into the existing contact. */
  contact: ContactCommand;
  /** null: the caller chose to convert without an opportunity. */
  opportunity: CreateOpportunity | null;
}

/** Pure: everything comes from the conversion snapshot the LeadConverted event carries. */
export function conversionFollowUps(c: LeadConversion): ConversionFollowUps {
  const at = c.convertedAt;
  const { account, contact, opportunity } = c;
  const person = { firstName: contact.firstName, title: contact.title, email: contact.email, phone: contact.phone };
  return {
    account: account.created
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
    contact: contact.created
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
    opportunity: opportunity
      ? { type: 'CreateOpportunity', at, accountId: account.accountId, owner: c.owner, source: c.source, leadId: c.leadId, ...opportunity }
      : null,
  };
}
