import { z } from 'zod';
import { instant, optionalLeadSource, optionalRecordId, optionalText, ownerName, recordId, requiredText } from './contract-fields';

/** The data of every contact event, version by version (a contact's stream is `contact-<contactId>`). */

const contactId = () => recordId('The contact (its stream is `contact-<contactId>`)');

export const contactCreatedV1 = z
  .strictObject({
    contactId: contactId(),
    accountId: recordId('The account the contact belongs to (always exactly one)'),
    firstName: optionalText('First name; null when not known'),
    lastName: requiredText('Last name'),
    title: optionalText('Job title; null when not known'),
    email: optionalText('Email address; null when not known'),
    phone: optionalText('Phone number; null when not known'),
    owner: ownerName('Who owns the contact'),
    source: optionalLeadSource('The lead source, for a contact created by a conversion; null otherwise'),
    leadId: optionalRecordId('The lead whose conversion created it; null when it was created directly'),
    createdAt: instant('When the contact was created, in business time'),
  })
  .meta({
    title: 'ContactCreated v1',
    description: 'A contact was created under an account: directly, or by a lead conversion (after its account, with the same correlation id).',
  });

const filledText = (description: string) => requiredText(`${description}, filled from the lead`).optional();

export const contactMergedFromLeadV1 = z
  .strictObject({
    contactId: contactId(),
    leadId: recordId('The converted lead merged into the contact'),
    filled: z
      .strictObject({
        firstName: filledText('First name'),
        title: filledText('Job title'),
        email: filledText('Email address'),
        phone: filledText('Phone number'),
      })
      .describe('Only the fields the contact had empty and the lead could fill (possibly none): a merge never overwrites'),
  })
  .meta({
    title: 'ContactMergedFromLead v1',
    description: 'A converted lead was merged into an existing contact of the account. Recorded even when it filled nothing.',
  });

export const contactPersonalDataErasedV1 = z
  .strictObject({
    contactId: contactId(),
    erasedAt: instant('When the personal data was erased'),
  })
  .meta({
    title: 'ContactPersonalDataErased v1',
    description:
      "The contact's personal data (first and last name, email, phone) was erased at the person's request: its data key was deleted. " +
      'From now on every event of the contact, earlier ones included, carries "[erased]" in those fields (null stays null). ' +
      'Subscribers that keep personal data must erase their copy.',
  });
