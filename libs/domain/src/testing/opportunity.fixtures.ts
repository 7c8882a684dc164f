/** Commands and events for the opportunity specs. Only spec files import this (testing/ is left out of the build). */
import {
  CreateOpportunity,
  OpportunityCreated,
  OpportunityProbabilityOverridden,
  OpportunityStageChanged,
} from '../opportunity/opportunity.types';

export const OPP_ID = 'O1';
export const T0 = '2025-03-01T09:00:00.000Z';
export const T1 = '2025-03-05T10:00:00.000Z';
export const T2 = '2025-03-09T11:00:00.000Z';

export const create = (overrides: Partial<CreateOpportunity> = {}): CreateOpportunity => ({
  type: 'CreateOpportunity',
  opportunityId: OPP_ID,
  at: T0,
  accountId: 'A1',
  name: 'Engines - 10 units',
  stage: null,
  closeDate: '2025-06-30',
  amount: 1_000_000,
  currency: 'USD',
  owner: 'alice',
  source: 'Web Form',
  leadId: 'L1',
  ...overrides,
});

/** Created in Prospecting (10 %, Pipeline), 10,000.00 USD. */
export const created = (overrides: Partial<OpportunityCreated['data']> = {}): OpportunityCreated => ({
  type: 'OpportunityCreated',
  data: {
    stage: 'Prospecting',
    probability: 10,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
    opportunityId: OPP_ID,
    accountId: 'A1',
    name: 'Engines - 10 units',
    closeDate: '2025-06-30',
    amount: 1_000_000,
    currency: 'USD',
    owner: 'alice',
    source: 'Web Form',
    leadId: 'L1',
    createdAt: T0,
    ...overrides,
  },
});

export const movedToNeedsAnalysis: OpportunityStageChanged = {
  type: 'OpportunityStageChanged',
  data: {
    stage: 'Needs Analysis',
    probability: 20,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
    opportunityId: OPP_ID,
    previousStage: 'Prospecting',
    lossReason: null,
    changedAt: T1,
  },
};

export const closedLost: OpportunityStageChanged = {
  type: 'OpportunityStageChanged',
  data: {
    stage: 'Closed Lost',
    probability: 0,
    forecastCategory: 'Omitted',
    isClosed: true,
    isWon: false,
    opportunityId: OPP_ID,
    previousStage: 'Needs Analysis',
    lossReason: 'went with a competitor',
    changedAt: T2,
  },
};

export const closedWon: OpportunityStageChanged = {
  type: 'OpportunityStageChanged',
  data: {
    stage: 'Closed Won',
    probability: 100,
    forecastCategory: 'Closed',
    isClosed: true,
    isWon: true,
    opportunityId: OPP_ID,
    previousStage: 'Prospecting',
    lossReason: null,
    changedAt: T2,
  },
};

export const probabilityOverridden = (probability: number, previousProbability = 10): OpportunityProbabilityOverridden => ({
  type: 'OpportunityProbabilityOverridden',
  data: { opportunityId: OPP_ID, probability, previousProbability },
});
