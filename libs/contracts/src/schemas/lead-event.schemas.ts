import { z } from 'zod';
import { CONTACT_CHANNELS, DISQUALIFICATION_REASON_CODES, DUPLICATE_MATCHES, LEAD_DETAIL_FIELDS, LEAD_RATINGS, LEAD_STATUS } from '@pipeline-ledger/domain';
import {
  calendarDate,
  flag,
  instant,
  leadSource,
  leadStatus,
  nonBlankOrNull,
  optionalCurrencyCode,
  optionalMinorUnits,
  optionalText,
  ownerName,
  recordId,
  requiredText,
} from './contract-fields';

/** The data of every lead event, version by version (a lead's stream is `lead-<leadId>`). */

const leadId = () => recordId('The lead (its stream is `lead-<leadId>`)');

/** The descriptive fields of a lead, keyed by the domain's own list: a detail field added there must be added here. */
const leadDetailShape = {
  firstName: optionalText('First name; null when not given'),
  lastName: requiredText('Last name'),
  company: requiredText('The company the lead works for'),
  title: optionalText('Job title; null when not given'),
  email: optionalText('Email address as given (the API checks its form and lowercases it); null when not given'),
  phone: optionalText('Phone number as given; null when not given'),
  source: leadSource('Where the lead came from'),
  campaign: optionalText('The marketing campaign that brought the lead; null when none'),
  industry: optionalText('Industry; null when not given'),
  rating: z.enum(LEAD_RATINGS).nullable().describe('Hot, Warm or Cold; null when not rated'),
} satisfies { [F in (typeof LEAD_DETAIL_FIELDS)[number]]: z.ZodType };

export const leadCreatedV1 = z
  .strictObject({
    leadId: leadId(),
    ...leadDetailShape,
    owner: ownerName('Who owns the lead (the actor who created it unless another owner was given)'),
    status: leadStatus(`always "${LEAD_STATUS.open}"`),
    createdAt: instant('When the lead was created, in business time'),
  })
  .meta({ title: 'LeadCreated v1', description: 'A lead was created (a web form, a list import, a person typing it in).' });

const detailChanges = z
  .strictObject(leadDetailShape)
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'names at least one field')
  .meta({ minProperties: 1 })
  .describe('Only the fields that changed, each with its new value (null clears an optional one); at least one');

export const leadDetailsUpdatedV1 = z
  .strictObject({ leadId: leadId(), changes: detailChanges })
  .meta({
    title: 'LeadDetailsUpdated v1',
    description: "Some of a lead's descriptive fields changed. An update that changes nothing records nothing.",
  });

export const leadOwnerChangedV1 = z
  .strictObject({
    leadId: leadId(),
    previousOwner: ownerName('Who owned the lead before'),
    owner: ownerName('Who owns it now'),
  })
  .meta({ title: 'LeadOwnerChanged v1', description: 'A lead was reassigned to another owner.' });

export const leadContactedV1 = z
  .strictObject({
    leadId: leadId(),
    channel: z.enum(CONTACT_CHANNELS).describe('How the lead was reached'),
    note: optionalText('What was said or agreed; null when no note was given'),
    contactedAt: instant('When the contact happened, in business time'),
    status: leadStatus(
      `"${LEAD_STATUS.working}" (the first touch moves a new lead there; later touches keep it), or "${LEAD_STATUS.nurturing}" for a lead being nurtured`,
    ),
  })
  .meta({ title: 'LeadContacted v1', description: 'A touch with the lead was logged (call, email, meeting).' });

export const leadQualifiedV1 = z
  .strictObject({
    leadId: leadId(),
    bant: z
      .strictObject({
        budget: flag('The lead has a budget'),
        authority: flag('The person can decide (or reaches who does)'),
        need: flag('There is a need the offer meets'),
        timeline: flag('They mean to buy soon enough; recorded, but not needed to qualify'),
      })
      .describe('The BANT answers'),
    qualified: flag('The verdict: budget, authority and need are all present'),
    note: optionalText('A note on the assessment; null when none'),
    assessedAt: instant('When the assessment was made, in business time'),
  })
  .meta({
    title: 'LeadQualified v1',
    description: 'A BANT assessment of the lead was recorded, with its verdict (qualified or not). It does not change the status.',
  });

export const leadNurtureStartedV1 = z
  .strictObject({
    leadId: leadId(),
    reason: optionalText('Why the lead is nurtured rather than worked now; null when not given'),
    status: leadStatus(`always "${LEAD_STATUS.nurturing}"`),
  })
  .meta({
    title: 'LeadNurtureStarted v1',
    description: 'Nurturing started: a lead qualified in principle but not buying now is kept warm by campaigns. Clears a disqualification.',
  });

export const leadDisqualifiedV1 = z
  .strictObject({
    leadId: leadId(),
    reason: requiredText('Why the lead was disqualified, in free text'),
    disqualifiedAt: instant('When it was disqualified, in business time'),
    status: leadStatus(`always "${LEAD_STATUS.disqualified}"`),
  })
  .meta({
    title: 'LeadDisqualified v1',
    description: 'The lead was disqualified, with a free-text reason. It can be reopened or nurtured later.',
  });

export const leadDisqualifiedV2 = z
  .strictObject({
    leadId: leadId(),
    reasonCode: z
      .enum(DISQUALIFICATION_REASON_CODES)
      .describe(
        'Why, as a code that can be counted: no_budget, no_authority, no_need, bad_timing (the BANT gaps), unresponsive, ' +
          'competitor (chose another vendor), duplicate (of another lead), invalid_contact (the details do not work), or other',
      ),
    reason: nonBlankOrNull('Why, in words: always given with "other", optional with the other codes (null when not given)'),
    disqualifiedAt: instant('When it was disqualified, in business time'),
    status: leadStatus(`always "${LEAD_STATUS.disqualified}"`),
  })
  .meta({
    title: 'LeadDisqualified v2',
    description: 'The lead was disqualified, with a reason code and, optionally, words. It can be reopened or nurtured later.',
  });

export const leadReopenedV1 = z
  .strictObject({
    leadId: leadId(),
    reason: optionalText('Why it was reopened; null when not given'),
    status: leadStatus(`"${LEAD_STATUS.working}" if the lead was ever contacted, else "${LEAD_STATUS.open}"`),
  })
  .meta({ title: 'LeadReopened v1', description: 'A disqualified lead was reopened and is worked again.' });

const conversionAccount = z
  .strictObject({
    accountId: recordId('The account: new (created from this event) or an existing one the lead is merged into'),
    created: flag('True: a new account is created; false: the lead is merged into an existing one (only its empty fields are filled)'),
    name: requiredText("The new account's name; for an existing account, the lead's company (the account keeps its own name)"),
    industry: optionalText("The lead's industry, for the account; null when not known"),
  })
  .describe('The account the lead becomes or joins');

const conversionContact = z
  .strictObject({
    contactId: recordId('The contact: new, or an existing contact of the account'),
    created: flag('True: a new contact is created; false: the lead is merged into an existing contact (only empty fields filled)'),
    firstName: optionalText("The lead's first name; null when not known"),
    lastName: requiredText("The lead's last name"),
    title: optionalText("The lead's job title; null when not known"),
    email: optionalText("The lead's email address; null when not known"),
    phone: optionalText("The lead's phone number; null when not known"),
  })
  .describe('The contact the lead becomes, under that account');

const conversionOpportunity = z
  .strictObject({
    opportunityId: recordId('The opportunity created from this conversion'),
    name: requiredText('Its name (given, or the lead\'s company)'),
    stage: requiredText('Its first stage'),
    closeDate: calendarDate('When it is expected to close'),
    amount: optionalMinorUnits('Its amount'),
    currency: optionalCurrencyCode("The amount's currency"),
  })
  .nullable()
  .describe('The opportunity created with the conversion; null when the user chose not to create one');

export const leadConvertedV1 = z
  .strictObject({
    leadId: leadId(),
    convertedAt: instant('When the lead was converted, in business time'),
    source: leadSource('The lead source, carried over to the contact and the opportunity'),
    owner: ownerName('The lead owner, carried over to what the conversion creates'),
    account: conversionAccount,
    contact: conversionContact,
    opportunity: conversionOpportunity,
    status: leadStatus(`always "${LEAD_STATUS.converted}"`),
  })
  .meta({
    title: 'LeadConverted v1',
    description:
      'The lead was converted: the single commit point of a conversion, carrying everything the account, contact and ' +
      'opportunity events that follow are written from. A converted lead never changes again.',
  });

export const leadPersonalDataErasedV1 = z
  .strictObject({
    leadId: leadId(),
    erasedAt: instant('When the personal data was erased'),
  })
  .meta({
    title: 'LeadPersonalDataErased v1',
    description:
      "The lead's personal data (first and last name, email, phone) was erased at the person's request: its data key was deleted. " +
      'From now on every event of the lead, earlier ones included, carries "[erased]" in those fields (null stays null); ' +
      'counts, amounts, stages, sources and dates are unchanged. Subscribers that keep personal data must erase their copy.',
  });

const submittedDetails = z
  .strictObject({
    firstName: optionalText('First name as submitted; null when not given'),
    lastName: requiredText('Last name as submitted'),
    email: optionalText('Email address as submitted (lowercased); null when not given'),
    phone: optionalText('Phone number as submitted; null when not given'),
    company: requiredText('Company as submitted'),
    title: optionalText('Job title as submitted; null when not given'),
  })
  .describe("What the submission said about the person. The lead's own details are not changed by it");

export const leadDuplicateSubmittedV1 = z
  .strictObject({
    leadId: leadId(),
    formId: recordId('The web form (intake form) the submission came through'),
    submissionId: requiredText("The submission's id, as the form gave it (a UUID or a printable token); unique per form"),
    matchedOn: z
      .enum(DUPLICATE_MATCHES)
      .describe(
        'How the submission matched this lead: email (the same address, case-insensitive) or name-and-company (the same first ' +
          'name, last name and company, case- and accent-insensitive)',
      ),
    submitted: submittedDetails,
    submittedAt: instant('When the submission was received'),
  })
  .meta({
    title: 'LeadDuplicateSubmitted v1',
    description:
      'A web-to-lead submission matched this existing lead (same email, or same name and company), so no second lead was ' +
      "created: the submission is recorded here instead. It changes neither the lead's status nor its details.",
  });
