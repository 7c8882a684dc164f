import { z } from 'zod';
import {
  calendarDate,
  currencyCode,
  instant,
  minorUnits,
  nonBlankOrNull,
  optionalCurrencyCode,
  optionalLeadSource,
  optionalMinorUnits,
  optionalRecordId,
  optionalText,
  ownerName,
  percent,
  recordId,
  requiredText,
  stageSnapshotShape,
} from './contract-fields';

/**
 * The data of every opportunity event, version by version (an opportunity's stream is `opportunity-<opportunityId>`).
 * Events that enter a stage carry the stage as it was configured then (probability, forecast category, closed, won),
 * so they read the same whatever stage catalogue is configured later.
 */

const opportunityId = () => recordId('The opportunity (its stream is `opportunity-<opportunityId>`)');

export const opportunityCreatedV1 = z
  .strictObject({
    ...stageSnapshotShape(),
    opportunityId: opportunityId(),
    accountId: recordId('The account it is sold to'),
    name: requiredText("The opportunity's name"),
    closeDate: calendarDate('When it is expected to close'),
    amount: optionalMinorUnits('The amount'),
    currency: optionalCurrencyCode("The amount's currency"),
    owner: ownerName('Who owns the opportunity'),
    source: optionalLeadSource('The lead source, for an opportunity created by a conversion (or given); null otherwise'),
    leadId: optionalRecordId('The lead whose conversion created it; null when it was created directly'),
    createdAt: instant('When it was created, in business time'),
  })
  .meta({
    title: 'OpportunityCreated v1',
    description:
      'An opportunity was created in a stage (the first open stage unless another was given), with that stage\'s default ' +
      'probability: directly, or by a lead conversion. Amount and currency are both set or both null.',
  });

export const opportunityStageChangedV1 = z
  .strictObject({
    ...stageSnapshotShape(),
    opportunityId: opportunityId(),
    previousStage: requiredText('The stage it was in'),
    lossReason: nonBlankOrNull('Why the deal was lost, when the new stage is closed and not won; null otherwise'),
    changedAt: instant('When the stage changed, in business time'),
  })
  .meta({
    title: 'OpportunityStageChanged v1',
    description:
      'The opportunity moved to another stage, closing won or lost included (a loss records its reason). The probability ' +
      'resets to the new stage\'s default.',
  });

export const opportunityAmountChangedV1 = z
  .strictObject({
    opportunityId: opportunityId(),
    amount: minorUnits('The new amount'),
    currency: currencyCode("The new amount's currency"),
    previousAmount: optionalMinorUnits('The amount before'),
    previousCurrency: optionalCurrencyCode('The currency before'),
  })
  .meta({ title: 'OpportunityAmountChanged v1', description: "An open opportunity's amount or currency changed." });

export const opportunityCloseDateChangedV1 = z
  .strictObject({
    opportunityId: opportunityId(),
    closeDate: calendarDate('The new expected close date'),
    previousCloseDate: calendarDate('The close date before'),
  })
  .meta({ title: 'OpportunityCloseDateChanged v1', description: "An open opportunity's expected close date changed." });

export const opportunityProbabilityOverriddenV1 = z
  .strictObject({
    opportunityId: opportunityId(),
    probability: percent('The probability now, in percent'),
    previousProbability: percent('The probability before, in percent'),
  })
  .meta({
    title: 'OpportunityProbabilityOverridden v1',
    description: "A user overrode an open opportunity's probability (the next stage change resets it to the stage's default).",
  });

export const opportunityOwnerChangedV1 = z
  .strictObject({
    opportunityId: opportunityId(),
    owner: ownerName('Who owns it now'),
    previousOwner: ownerName('Who owned it before'),
  })
  .meta({ title: 'OpportunityOwnerChanged v1', description: 'An opportunity was reassigned (open or closed).' });

export const opportunityReopenedV1 = z
  .strictObject({
    ...stageSnapshotShape(),
    opportunityId: opportunityId(),
    previousStage: requiredText('The closed stage it was in'),
    reason: optionalText('Why it was reopened; null when not given'),
    reopenedAt: instant('When it was reopened, in business time'),
  })
  .meta({
    title: 'OpportunityReopened v1',
    description:
      'A closed opportunity was reopened into an open stage (the one given, else the last open stage it had): an ' +
      'explicit, recorded act. The stage fields describe the stage it is in now.',
  });
