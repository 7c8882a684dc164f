import { z } from 'zod';
import { instant, optionalLeadSource, optionalRecordId, optionalText, ownerName, recordId, requiredText } from './contract-fields';

/** The data of every account event, version by version (an account's stream is `account-<accountId>`). */

const accountId = () => recordId('The account (its stream is `account-<accountId>`)');

export const accountCreatedV1 = z
  .strictObject({
    accountId: accountId(),
    name: requiredText("The account's name"),
    industry: optionalText('Industry; null when not known'),
    website: optionalText('Website; null when not known'),
    phone: optionalText('Main phone number; null when not known'),
    billingCountry: optionalText('Billing country; null when not known'),
    owner: ownerName('Who owns the account'),
    source: optionalLeadSource('The lead source, for an account created by a conversion; null otherwise'),
    leadId: optionalRecordId('The lead whose conversion created it; null when it was created directly'),
    createdAt: instant('When the account was created, in business time'),
  })
  .meta({
    title: 'AccountCreated v1',
    description: 'An account was created: directly, or by a lead conversion (right after its LeadConverted, with the same correlation id).',
  });

const filledText = (description: string) => requiredText(`${description}, filled from the lead`).optional();

export const accountMergedFromLeadV1 = z
  .strictObject({
    accountId: accountId(),
    leadId: recordId('The converted lead merged into the account'),
    filled: z
      .strictObject({
        industry: filledText('Industry'),
        website: filledText('Website'),
        phone: filledText('Phone number'),
        billingCountry: filledText('Billing country'),
      })
      .describe('Only the fields the account had empty and the lead could fill (possibly none): a merge never overwrites'),
  })
  .meta({
    title: 'AccountMergedFromLead v1',
    description: 'A converted lead was merged into an existing account. Recorded even when it filled nothing: the account gained a lead.',
  });
