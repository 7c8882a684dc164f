import { DEFAULT_STAGE_CATALOGUE, OpportunityCreated, StageSnapshot, stageSnapshot } from '@pipeline-ledger/domain';
import { TimedEvent } from './event-log';

/** Opportunity events for specs, with stage snapshots from the default catalogue, as the decider writes them. */

export function snapshot(stage: string): StageSnapshot {
  const definition = DEFAULT_STAGE_CATALOGUE.get(stage);
  if (!definition) throw new Error(`no stage ${stage} in the default catalogue`);
  return stageSnapshot(definition);
}

export function opportunityCreated(opportunityId: string, at: string, overrides: Partial<OpportunityCreated['data']> & { stage?: string } = {}): TimedEvent {
  const { stage = 'Prospecting', ...rest } = overrides;
  return {
    at,
    event: {
      type: 'OpportunityCreated',
      data: {
        ...snapshot(stage),
        opportunityId,
        accountId: 'A1',
        name: `Deal ${opportunityId}`,
        closeDate: '2025-06-30',
        amount: 1_000_000,
        currency: 'USD',
        owner: 'alice',
        source: 'Web Form',
        leadId: null,
        createdAt: at,
        ...rest,
      },
    },
  };
}

export function stageChanged(opportunityId: string, at: string, previousStage: string, stage: string): TimedEvent {
  const s = snapshot(stage);
  const lossReason = s.isClosed && !s.isWon ? 'price' : null;
  return { at, event: { type: 'OpportunityStageChanged', data: { ...s, opportunityId, previousStage, lossReason, changedAt: at } } };
}

export function reopened(opportunityId: string, at: string, previousStage: string, stage: string): TimedEvent {
  return { at, event: { type: 'OpportunityReopened', data: { ...snapshot(stage), opportunityId, previousStage, reason: 'customer came back', reopenedAt: at } } };
}

export function amountChanged(opportunityId: string, at: string, amount: number, currency: string, previousAmount: number | null = null, previousCurrency: string | null = null): TimedEvent {
  return { at, event: { type: 'OpportunityAmountChanged', data: { opportunityId, amount, currency, previousAmount, previousCurrency } } };
}

export function probabilityOverridden(opportunityId: string, at: string, probability: number, previousProbability = 10): TimedEvent {
  return { at, event: { type: 'OpportunityProbabilityOverridden', data: { opportunityId, probability, previousProbability } } };
}

export function closeDateChanged(opportunityId: string, at: string, closeDate: string, previousCloseDate = '2025-06-30'): TimedEvent {
  return { at, event: { type: 'OpportunityCloseDateChanged', data: { opportunityId, closeDate, previousCloseDate } } };
}

export function opportunityOwnerChanged(opportunityId: string, at: string, previousOwner: string, owner: string): TimedEvent {
  return { at, event: { type: 'OpportunityOwnerChanged', data: { opportunityId, owner, previousOwner } } };
}
