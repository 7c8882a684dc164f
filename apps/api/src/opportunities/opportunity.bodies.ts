import { z } from 'zod';
import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { calendarDate, currencyCode, minorUnits, optionalText, owner, probability, reason, requiredText, uuid } from '../http/fields';

/** Request bodies of the opportunity endpoints. Stages are checked against the catalogue by the decider. */

const stage = requiredText(80);

export const createOpportunityBody = z
  .strictObject({
    accountId: uuid,
    name: requiredText(120),
    /** Defaults to the catalogue's first stage. */
    stage: stage.optional(),
    closeDate: calendarDate,
    amount: minorUnits.optional(),
    currency: currencyCode.optional(),
    owner: owner.optional(),
    source: z.enum(LEAD_SOURCES, { error: `must be one of: ${LEAD_SOURCES.join(', ')}` }).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.amount === undefined) !== (b.currency === undefined)) {
      ctx.addIssue({ code: 'custom', path: [b.amount === undefined ? 'amount' : 'currency'], message: 'amount and currency go together' });
    }
  });
export type CreateOpportunityBody = z.infer<typeof createOpportunityBody>;

export const changeStageBody = z.strictObject({ stage, lossReason: optionalText(1000) });
export const probabilityBody = z.strictObject({ probability });
export const amountBody = z.strictObject({ amount: minorUnits, currency: currencyCode });
export const closeDateBody = z.strictObject({ closeDate: calendarDate });
export const ownerBody = z.strictObject({ owner });
export const closeWonBody = z.strictObject({});
export const closeLostBody = z.strictObject({ reason });
export const reopenOpportunityBody = z.strictObject({ stage: stage.optional(), reason: optionalText(1000) });
