import { ForecastCategory, StageSnapshot, expectedRevenue } from '@pipeline-ledger/domain';
import { Projection } from '../projection';
import { occurredAt } from './business-time';
import { domainEventOf } from './domain-event';
import { OPPORTUNITY_EVENT_TYPES, OpportunityStatus, opportunityIdOf, statusOf } from './opportunity-events';

export const OPPORTUNITY_LIST = 'opportunity_list';

/** One row per opportunity, for the opportunity list: by stage, status, owner, account and close window. */
export interface OpportunityListDocument {
  id: string;
  accountId: string;
  name: string;
  stage: string;
  status: OpportunityStatus;
  probability: number;
  forecastCategory: ForecastCategory;
  isClosed: boolean;
  isWon: boolean;
  closeDate: string;
  /** Integer minor units with its ISO 4217 currency; both null until known. */
  amount: number | null;
  currency: string | null;
  /** amount x probability / 100, whole minor units (the domain's rounding); null without an amount. */
  expectedRevenue: number | null;
  owner: string;
  source: string | null;
  leadId: string | null;
  lossReason: string | null;
  createdAt: string;
  closedAt: string | null;
  updatedAt: string;
  [field: string]: unknown;
}

export const opportunitiesListProjection: Projection<OpportunityListDocument> = {
  name: 'opportunities-list',
  version: 1,
  collections: [
    {
      name: OPPORTUNITY_LIST,
      indexedFields: ['stage', 'status', 'owner', 'accountId', 'closeDate', 'amount', 'expectedRevenue', 'name', 'createdAt', 'updatedAt'],
    },
  ],
  eventTypes: OPPORTUNITY_EVENT_TYPES,
  entityCollection: OPPORTUNITY_LIST,
  entityId: opportunityIdOf,
  apply(event, current) {
    const e = domainEventOf(event);
    if (!e) return {};
    if (e.type === 'OpportunityCreated') {
      const d = e.data;
      return {
        document: {
          id: d.opportunityId,
          accountId: d.accountId,
          name: d.name,
          stage: d.stage,
          status: statusOf(d),
          probability: d.probability,
          forecastCategory: d.forecastCategory,
          isClosed: d.isClosed,
          isWon: d.isWon,
          closeDate: d.closeDate,
          amount: d.amount,
          currency: d.currency,
          expectedRevenue: expectedRevenue(d.amount, d.probability),
          owner: d.owner,
          source: d.source,
          leadId: d.leadId,
          lossReason: null,
          createdAt: d.createdAt,
          closedAt: d.isClosed ? d.createdAt : null,
          updatedAt: d.createdAt,
        },
      };
    }
    if (!current) return {};
    const at = occurredAt(event);
    switch (e.type) {
      case 'OpportunityStageChanged':
        return { document: withStage(current, e.data, e.data.lossReason, occurredAt(event, e.data.changedAt)) };
      case 'OpportunityReopened':
        return { document: withStage(current, e.data, null, occurredAt(event, e.data.reopenedAt)) };
      case 'OpportunityAmountChanged':
        return {
          document: {
            ...current,
            amount: e.data.amount,
            currency: e.data.currency,
            expectedRevenue: expectedRevenue(e.data.amount, current.probability),
            updatedAt: at,
          },
        };
      case 'OpportunityProbabilityOverridden':
        return {
          document: { ...current, probability: e.data.probability, expectedRevenue: expectedRevenue(current.amount, e.data.probability), updatedAt: at },
        };
      case 'OpportunityCloseDateChanged':
        return { document: { ...current, closeDate: e.data.closeDate, updatedAt: at } };
      case 'OpportunityOwnerChanged':
        return { document: { ...current, owner: e.data.owner, updatedAt: at } };
      default:
        return {};
    }
  },
};

/** The row in a new stage (a change, closing won or lost, or a reopen): probability and forecast come with it. */
function withStage(current: OpportunityListDocument, snapshot: StageSnapshot, lossReason: string | null, at: string): OpportunityListDocument {
  return {
    ...current,
    stage: snapshot.stage,
    status: statusOf(snapshot),
    probability: snapshot.probability,
    forecastCategory: snapshot.forecastCategory,
    isClosed: snapshot.isClosed,
    isWon: snapshot.isWon,
    expectedRevenue: expectedRevenue(current.amount, snapshot.probability),
    lossReason,
    // Closed at the moment it went from open to closed; a reopen clears it.
    closedAt: snapshot.isClosed ? (current.isClosed ? current.closedAt : at) : null,
    updatedAt: at,
  };
}
