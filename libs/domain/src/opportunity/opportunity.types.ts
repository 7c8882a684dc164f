/** Opportunities: commands, events and state. Stages come from a StageCatalogue (stage-catalogue.ts). */
import type { LeadSource } from '../lead/lead.types';

export type ForecastCategory = 'Pipeline' | 'Best Case' | 'Commit' | 'Closed' | 'Omitted';

interface OpportunityCommandBase {
  opportunityId: string;
  at: string;
}
export interface CreateOpportunity extends OpportunityCommandBase {
  type: 'CreateOpportunity';
  accountId: string;
  name: string;
  /** null: the catalogue's first open stage. */
  stage: string | null;
  closeDate: string; // YYYY-MM-DD
  amount: number | null; // integer minor units; with currency, or both null
  currency: string | null;
  owner: string;
  source: LeadSource | null;
  /** The lead this opportunity was converted from, if any. */
  leadId: string | null;
}
export interface ChangeOpportunityStage extends OpportunityCommandBase {
  type: 'ChangeOpportunityStage';
  stage: string;
  /** Required when the new stage is closed and not won. */
  lossReason: string | null;
}
export interface CloseOpportunityWon extends OpportunityCommandBase {
  type: 'CloseOpportunityWon';
}
export interface CloseOpportunityLost extends OpportunityCommandBase {
  type: 'CloseOpportunityLost';
  reason: string;
}
export interface OverrideOpportunityProbability extends OpportunityCommandBase {
  type: 'OverrideOpportunityProbability';
  probability: number; // integer 0..100
}
export interface ChangeOpportunityAmount extends OpportunityCommandBase {
  type: 'ChangeOpportunityAmount';
  amount: number;
  currency: string;
}
export interface ChangeOpportunityCloseDate extends OpportunityCommandBase {
  type: 'ChangeOpportunityCloseDate';
  closeDate: string;
}
export interface ChangeOpportunityOwner extends OpportunityCommandBase {
  type: 'ChangeOpportunityOwner';
  owner: string;
}
export interface ReopenOpportunity extends OpportunityCommandBase {
  type: 'ReopenOpportunity';
  /** null: back to the stage it had before it was closed. */
  stage: string | null;
  reason: string | null;
}

export type OpportunityCommand =
  | CreateOpportunity
  | ChangeOpportunityStage
  | CloseOpportunityWon
  | CloseOpportunityLost
  | OverrideOpportunityProbability
  | ChangeOpportunityAmount
  | ChangeOpportunityCloseDate
  | ChangeOpportunityOwner
  | ReopenOpportunity;

export interface StageSnapshot {
  stage: string;
  probability: number;
  forecastCategory: ForecastCategory;
  isClosed: boolean;
  isWon: boolean;
}

export interface OpportunityCreated {
  type: 'OpportunityCreated';
  data: StageSnapshot & {
    opportunityId: string;
    accountId: string;
    name: string;
    closeDate: string;
    amount: number | null;
    currency: string | null;
    owner: string;
    source: LeadSource | null;
    leadId: string | null;
    createdAt: string;
  };
}
/** Every stage change, closing won or lost included. Probability resets to the new stage's default. */
export interface OpportunityStageChanged {
  type: 'OpportunityStageChanged';
  data: StageSnapshot & { opportunityId: string; previousStage: string; lossReason: string | null; changedAt: string };
}
export interface OpportunityAmountChanged {
  type: 'OpportunityAmountChanged';
  data: { opportunityId: string; amount: number; currency: string; previousAmount: number | null; previousCurrency: string | null };
}
export interface OpportunityCloseDateChanged {
  type: 'OpportunityCloseDateChanged';
  data: { opportunityId: string; closeDate: string; previousCloseDate: string };
}
export interface OpportunityProbabilityOverridden {
  type: 'OpportunityProbabilityOverridden';
  data: { opportunityId: string; probability: number; previousProbability: number };
}
export interface OpportunityOwnerChanged {
  type: 'OpportunityOwnerChanged';
  data: { opportunityId: string; owner: string; previousOwner: string };
}
/** Reopening a closed opportunity is an explicit, recorded act. */
export interface OpportunityReopened {
  type: 'OpportunityReopened';
  data: StageSnapshot & { opportunityId: string; previousStage: string; reason: string | null; reopenedAt: string };
}

export type OpportunityEvent =
  | OpportunityCreated
  | OpportunityStageChanged
  | OpportunityAmountChanged
  | OpportunityCloseDateChanged
  | OpportunityProbabilityOverridden
  | OpportunityOwnerChanged
  | OpportunityReopened;

export interface OpportunityState {
  exists: boolean;
  opportunityId: string | null;
  accountId: string | null;
  name: string | null;
  stage: string | null;
  probability: number | null;
  forecastCategory: ForecastCategory | null;
  isClosed: boolean;
  isWon: boolean;
  closeDate: string | null;
  amount: number | null;
  currency: string | null;
  /** amount x probability / 100, rounded to whole minor units; null when amount is unknown. */
  expectedRevenue: number | null;
  owner: string | null;
  source: LeadSource | null;
  leadId: string | null;
  lossReason: string | null;
  /** The last open stage, where a reopen without a stage goes back to. */
  lastOpenStage: string | null;
  createdAt: string | null;
  closedAt: string | null;
}
