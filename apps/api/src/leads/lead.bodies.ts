import { z } from 'zod';
import { CONTACT_CHANNELS, DISQUALIFICATION_REASON_CODES, LEAD_RATINGS, LEAD_SOURCES } from '@pipeline-ledger/domain';
import { calendarDate, currencyCode, email, minorUnits, optionalText, owner, phone, requiredText, uuid } from '../http/fields';

/** Request bodies of the lead endpoints. Unknown fields are refused, so a typo is a 400, not a silent no-op. */

const source = z.enum(LEAD_SOURCES, { error: `must be one of: ${LEAD_SOURCES.join(', ')}` });
const rating = z.enum(LEAD_RATINGS, { error: `must be one of: ${LEAD_RATINGS.join(', ')}` });

const detailFields = {
  firstName: optionalText(40),
  lastName: requiredText(80),
  company: requiredText(255),
  title: optionalText(128),
  email: email.nullish().transform((v) => v ?? null),
  phone: phone.nullish().transform((v) => (v ? v : null)),
  source,
  campaign: optionalText(120),
  industry: optionalText(80),
  rating: rating.nullish().transform((v) => v ?? null),
};

export const createLeadBody = z.strictObject({ ...detailFields, owner: owner.optional() });
export type CreateLeadBody = z.infer<typeof createLeadBody>;

/** Only the fields given change; null clears an optional field. */
export const updateLeadBody = z
  .strictObject({
    firstName: optionalText(40).optional(),
    lastName: requiredText(80).optional(),
    company: requiredText(255).optional(),
    title: optionalText(128).optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    source: source.optional(),
    campaign: optionalText(120).optional(),
    industry: optionalText(80).optional(),
    rating: rating.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'must name at least one field to change');
export type UpdateLeadBody = z.infer<typeof updateLeadBody>;

export const reassignBody = z.strictObject({ owner });

export const logContactBody = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS, { error: `must be one of: ${CONTACT_CHANNELS.join(', ')}` }),
  note: optionalText(4000),
});

const bantAnswer = z.boolean({ error: 'must be true or false' });
export const qualificationBody = z.strictObject({
  budget: bantAnswer,
  authority: bantAnswer,
  need: bantAnswer,
  timeline: bantAnswer,
  note: optionalText(4000),
});

export const nurtureBody = z.strictObject({ reason: optionalText(1000) });
/** A reason code (default `other`) and words: required with `other`, optional with any other code. */
export const disqualifyBody = z
  .strictObject({
    reasonCode: z.enum(DISQUALIFICATION_REASON_CODES, { error: `must be one of: ${DISQUALIFICATION_REASON_CODES.join(', ')}` }).default('other'),
    reason: optionalText(1000),
  })
  .superRefine((b, ctx) => {
    if (b.reasonCode === 'other' && b.reason === null) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when reasonCode is "other" (the default): say why, or give a reasonCode' });
    }
  });
export const reopenBody = z.strictObject({ reason: optionalText(1000) });

export const convertLeadBody = z
  .strictObject({
    /** Merge into this existing account; absent: create a new account. */
    accountId: uuid.optional(),
    /** Name of the new account; defaults to the lead's company. */
    accountName: requiredText(255).optional(),
    /** Attach to this existing contact of the account (needs accountId); absent: create a new contact. */
    contactId: uuid.optional(),
    /** true: convert without an opportunity. */
    doNotCreateOpportunity: z.boolean({ error: 'must be true or false' }).default(false),
    opportunity: z
      .strictObject({
        name: requiredText(120).optional(),
        stage: requiredText(80).optional(),
        closeDate: calendarDate,
        amount: minorUnits.optional(),
        currency: currencyCode.optional(),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.accountId && b.accountName) ctx.addIssue({ code: 'custom', path: ['accountName'], message: 'cannot be given with accountId (an existing account keeps its name)' });
    if (b.contactId && !b.accountId) ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'needs accountId: an existing contact is chosen within an existing account' });
    if (b.doNotCreateOpportunity && b.opportunity) ctx.addIssue({ code: 'custom', path: ['opportunity'], message: 'cannot be given with doNotCreateOpportunity: true' });
    if (!b.doNotCreateOpportunity && !b.opportunity) ctx.addIssue({ code: 'custom', path: ['opportunity'], message: 'is required (at least closeDate) unless doNotCreateOpportunity is true' });
    const o = b.opportunity;
    if (o && (o.amount === undefined) !== (o.currency === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['opportunity', o.amount === undefined ? 'amount' : 'currency'], message: 'amount and currency go together' });
    }
  });
export type ConvertLeadBody = z.infer<typeof convertLeadBody>;
