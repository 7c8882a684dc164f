import { Decider, Decision } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { checkMoney, checkOptionalMoney } from '../shared/money';
import { isBlank, refusalFor, requireCalendarDate, requireOneOf, requireText } from '../shared/validation';
import { LEAD_SOURCES } from '../lead/lead.types';
import { expectedRevenue } from './expected-revenue';
import {
  ChangeOpportunityAmount,
  ChangeOpportunityCloseDate,
  ChangeOpportunityOwner,
  CreateOpportunity,
  OpportunityCommand,
  OpportunityEvent,
  OpportunityState,
  OverrideOpportunityProbability,
  ReopenOpportunity,
  StageSnapshot,
} from './opportunity.types';
import { DEFAULT_STAGE_CATALOGUE, StageCatalogue, StageDefinition, stageSnapshot } from './stage-catalogue';

/**
 * Opportunity rules. Checks run in this order: exists -> closed (for the commands a closed deal refuses) ->
 * input validation -> "nothing changes". The catalogue is only read by decide; evolve applies the stage snapshot
 * carried by each event, so history reads the same whatever catalogue is configured later.
 */

const INITIAL_OPPORTUNITY_STATE: OpportunityState = Object.freeze({
  exists: false,
  opportunityId: null,
  accountId: null,
  name: null,
  stage: null,
  probability: null,
  forecastCategory: null,
  isClosed: false,
  isWon: false,
  closeDate: null,
  amount: null,
  currency: null,
  expectedRevenue: null,
  owner: null,
  source: null,
  leadId: null,
  lossReason: null,
  lastOpenStage: null,
  createdAt: null,
  closedAt: null,
});

export function createOpportunityDecider(catalogue: StageCatalogue): Decider<OpportunityCommand, OpportunityState, OpportunityEvent> {
  return {
    initialState: INITIAL_OPPORTUNITY_STATE,
    decide: (command, state) => decideOpportunity(command, state, catalogue),
    evolve: evolveOpportunity,
  };
}

export const opportunityDecider = createOpportunityDecider(DEFAULT_STAGE_CATALOGUE);

function decideOpportunity(command: OpportunityCommand, state: OpportunityState, catalogue: StageCatalogue): Decision<OpportunityEvent> {
  if (command.type === 'CreateOpportunity') return create(command, state, catalogue);
  if (!state.exists) return DomainError.notFound('opportunity', command.opportunityId);
  switch (command.type) {
    case 'ChangeOpportunityStage':
      return changeStage(state, catalogue, command.stage, command.lossReason, 'lossReason', command.at);
    case 'CloseOpportunityWon':
      return changeStage(state, catalogue, catalogue.wonStage().name, null, 'reason', command.at);
    case 'CloseOpportunityLost':
      return changeStage(state, catalogue, catalogue.lostStage().name, command.reason, 'reason', command.at);
    case 'OverrideOpportunityProbability':
      return overrideProbability(command, state);
    case 'ChangeOpportunityAmount':
      return changeAmount(command, state);
    case 'ChangeOpportunityCloseDate':
      return changeCloseDate(command, state);
    case 'ChangeOpportunityOwner':
      return changeOwner(command, state);
    case 'ReopenOpportunity':
      return reopen(command, state, catalogue);
  }
}

/** A new opportunity, possibly already closed (imports of old deals). Probability is the stage's default. */
function create(command: CreateOpportunity, state: OpportunityState, catalogue: StageCatalogue): Decision<OpportunityEvent> {
  if (state.exists) return DomainError.rule('OPPORTUNITY_EXISTS', `Opportunity ${command.opportunityId} already exists`);
  const stageName = command.stage ?? catalogue.firstOpenStage().name;
  const invalid = refusalFor(
    requireText('accountId', command.accountId),
    requireText('name', command.name),
    catalogue.unknownStageIssue('stage', stageName),
    requireCalendarDate('closeDate', command.closeDate),
    checkOptionalMoney(command.amount, command.currency)?.issues ?? null,
    requireText('owner', command.owner),
    requireOneOf('source', LEAD_SOURCES, command.source, true),
  );
  if (invalid) return invalid;
  const stage = catalogue.get(stageName) as StageDefinition;
  return [
    {
      type: 'OpportunityCreated',
      data: {
        ...stageSnapshot(stage),
        opportunityId: command.opportunityId,
        accountId: command.accountId,
        name: command.name,
        closeDate: command.closeDate,
        amount: command.amount,
        currency: command.currency,
        owner: command.owner,
        source: command.source ?? null,
        leadId: command.leadId ?? null,
        createdAt: command.at,
      },
    },
  ];
}

/**
 * Every move between stages, closing won or lost included. Probability resets to the new stage's default.
 * A closed opportunity must be reopened first (an explicit, recorded act). Only a lost stage keeps a loss reason.
 */
function changeStage(
  state: OpportunityState,
  catalogue: StageCatalogue,
  stageName: string,
  lossReason: string | null,
  lossReasonField: string,
  at: string,
): Decision<OpportunityEvent> {
  if (state.isClosed) return closedRefusal(state, 'change stage');
  const invalid = refusalFor(catalogue.unknownStageIssue('stage', stageName));
  if (invalid) return invalid;
  const stage = catalogue.get(stageName) as StageDefinition;
  if (stage.name === state.stage) return [];
  const lost = stage.isClosed && !stage.isWon;
  if (lost && isBlank(lossReason)) return DomainError.validation(lossReasonField, `a loss reason is required to move to ${stage.name}`);
  return [
    {
      type: 'OpportunityStageChanged',
      data: {
        ...stageSnapshot(stage),
        opportunityId: state.opportunityId as string,
        previousStage: state.stage as string,
        lossReason: lost ? lossReason : null,
        changedAt: at,
      },
    },
  ];
}

function overrideProbability(command: OverrideOpportunityProbability, state: OpportunityState): Decision<OpportunityEvent> {
  if (state.isClosed) return closedRefusal(state, 'change its probability');
  const p = command.probability;
  if (!Number.isInteger(p) || p < 0 || p > 100) return DomainError.validation('probability', 'must be a whole number from 0 to 100');
  if (p === state.probability) return [];
  return [
    {
      type: 'OpportunityProbabilityOverridden',
      data: { opportunityId: command.opportunityId, probability: p, previousProbability: state.probability as number },
    },
  ];
}

function changeAmount(command: ChangeOpportunityAmount, state: OpportunityState): Decision<OpportunityEvent> {
  if (state.isClosed) return closedRefusal(state, 'change its amount');
  const invalid = checkMoney(command.amount, command.currency);
  if (invalid) return invalid;
  if (command.amount === state.amount && command.currency === state.currency) return [];
  return [
    {
      type: 'OpportunityAmountChanged',
      data: {
        opportunityId: command.opportunityId,
        amount: command.amount,
        currency: command.currency,
        previousAmount: state.amount,
        previousCurrency: state.currency,
      },
    },
  ];
}

/** Refused on a closed deal, like the other forecast fields: its close date is when it closed. */
function changeCloseDate(command: ChangeOpportunityCloseDate, state: OpportunityState): Decision<OpportunityEvent> {
  if (state.isClosed) return closedRefusal(state, 'change its close date');
  const invalid = refusalFor(requireCalendarDate('closeDate', command.closeDate));
  if (invalid) return invalid;
  if (command.closeDate === state.closeDate) return [];
  return [
    {
      type: 'OpportunityCloseDateChanged',
      data: { opportunityId: command.opportunityId, closeDate: command.closeDate, previousCloseDate: state.closeDate as string },
    },
  ];
}

/** Ownership is administrative, so it may change on a closed deal too (e.g. when a rep leaves). */
function changeOwner(command: ChangeOpportunityOwner, state: OpportunityState): Decision<OpportunityEvent> {
  const invalid = refusalFor(requireText('owner', command.owner));
  if (invalid) return invalid;
  if (command.owner === state.owner) return [];
  return [
    {
      type: 'OpportunityOwnerChanged',
      data: { opportunityId: command.opportunityId, owner: command.owner, previousOwner: state.owner as string },
    },
  ];
}

/**
 * Reopens a closed deal into an open stage: the one given, else the last open stage it had (if this catalogue still
 * has it as an open stage), else the first open stage. Probability is the target stage's default.
 */
function reopen(command: ReopenOpportunity, state: OpportunityState, catalogue: StageCatalogue): Decision<OpportunityEvent> {
  if (!state.isClosed) {
    return DomainError.rule('OPPORTUNITY_NOT_CLOSED', `Opportunity ${command.opportunityId} is open (${state.stage}); only a closed one can be reopened`);
  }
  const last = state.lastOpenStage === null ? undefined : catalogue.get(state.lastOpenStage);
  const targetName = command.stage ?? (last && !last.isClosed ? last.name : catalogue.firstOpenStage().name);
  const unknown = refusalFor(catalogue.unknownStageIssue('stage', targetName));
  if (unknown) return unknown;
  const target = catalogue.get(targetName) as StageDefinition;
  if (target.isClosed) {
    const open = catalogue.openStages().map((s) => s.name);
    return DomainError.validation('stage', `must be an open stage to reopen into (${target.name} is closed); open stages: ${open.join(', ')}`);
  }
  return [
    {
      type: 'OpportunityReopened',
      data: {
        ...stageSnapshot(target),
        opportunityId: command.opportunityId,
        previousStage: state.stage as string,
        reason: command.reason ?? null,
        reopenedAt: command.at,
      },
    },
  ];
}

function closedRefusal(state: OpportunityState, act: string): DomainError {
  return DomainError.rule(
    'OPPORTUNITY_CLOSED',
    `Opportunity ${state.opportunityId} is closed (${state.stage}); reopen it first to ${act}`,
  );
}

/** Applies one event. Never throws; an unknown (newer) event type leaves the state as it was. */
function evolveOpportunity(state: OpportunityState, event: OpportunityEvent): OpportunityState {
  switch (event.type) {
    case 'OpportunityCreated': {
      const d = event.data;
      return {
        ...INITIAL_OPPORTUNITY_STATE,
        exists: true,
        opportunityId: d.opportunityId,
        accountId: d.accountId,
        name: d.name,
        stage: d.stage,
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
        lastOpenStage: d.isClosed ? null : d.stage,
        createdAt: d.createdAt,
        closedAt: d.isClosed ? d.createdAt : null,
      };
    }
    case 'OpportunityStageChanged': {
      const d = event.data;
      return {
        ...withStage(state, d),
        lossReason: d.lossReason,
        lastOpenStage: d.isClosed ? state.lastOpenStage : d.stage,
        closedAt: d.isClosed ? d.changedAt : null,
      };
    }
    case 'OpportunityReopened':
      return { ...withStage(state, event.data), lossReason: null, lastOpenStage: event.data.stage, closedAt: null };
    case 'OpportunityProbabilityOverridden':
      return { ...state, probability: event.data.probability, expectedRevenue: expectedRevenue(state.amount, event.data.probability) };
    case 'OpportunityAmountChanged':
      return {
        ...state,
        amount: event.data.amount,
        currency: event.data.currency,
        expectedRevenue: expectedRevenue(event.data.amount, state.probability),
      };
    case 'OpportunityCloseDateChanged':
      return { ...state, closeDate: event.data.closeDate };
    case 'OpportunityOwnerChanged':
      return { ...state, owner: event.data.owner };
    default:
      return state;
  }
}

/** The state in a new stage: its snapshot, probability reset to the stage's, expected revenue recomputed. */
function withStage(state: OpportunityState, snapshot: StageSnapshot): OpportunityState {
  return {
    ...state,
    stage: snapshot.stage,
    probability: snapshot.probability,
    forecastCategory: snapshot.forecastCategory,
    isClosed: snapshot.isClosed,
    isWon: snapshot.isWon,
    expectedRevenue: expectedRevenue(state.amount, snapshot.probability),
  };
}
