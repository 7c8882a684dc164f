import { given } from '../testing/given-when-then';
import { OPP_ID, T0, T1, T2, closedLost, closedWon, create, created, movedToNeedsAnalysis, probabilityOverridden } from '../testing/opportunity.fixtures';
import { createOpportunityDecider, opportunityDecider } from './opportunity.decider';
import { OpportunityCommand, OpportunityEvent } from './opportunity.types';
import { StageCatalogue } from './stage-catalogue';

const decider = opportunityDecider;
const fields = (issues: readonly { field: string }[]) => issues.map((i) => i.field);

const changeStage = (stage: string, lossReason: string | null = null) =>
  ({ type: 'ChangeOpportunityStage', opportunityId: OPP_ID, at: T1, stage, lossReason }) as const;
const closeWon = { type: 'CloseOpportunityWon', opportunityId: OPP_ID, at: T2 } as const;
const closeLost = (reason: string) => ({ type: 'CloseOpportunityLost', opportunityId: OPP_ID, at: T2, reason }) as const;
const overrideProbability = (probability: number) => ({ type: 'OverrideOpportunityProbability', opportunityId: OPP_ID, at: T1, probability }) as const;
const changeAmount = (amount: number, currency: string) => ({ type: 'ChangeOpportunityAmount', opportunityId: OPP_ID, at: T1, amount, currency }) as const;
const changeCloseDate = (closeDate: string) => ({ type: 'ChangeOpportunityCloseDate', opportunityId: OPP_ID, at: T1, closeDate }) as const;
const changeOwner = (owner: string) => ({ type: 'ChangeOpportunityOwner', opportunityId: OPP_ID, at: T1, owner }) as const;
const reopen = (stage: string | null = null) => ({ type: 'ReopenOpportunity', opportunityId: OPP_ID, at: T2, stage, reason: 'customer came back' }) as const;

/** Every command but create, as it would be refused on a closed opportunity (owner and reopen excepted). */
const CLOSED_REFUSES: readonly OpportunityCommand[] = [changeStage('Needs Analysis'), closeWon, closeLost('late'), overrideProbability(50), changeAmount(5, 'USD'), changeCloseDate('2025-07-01')];

describe('opportunity decider', () => {
  it.each([...CLOSED_REFUSES, changeOwner('bob'), reopen()].map((c) => [c.type, c] as const))(
    '%s on an opportunity that does not exist is refused as not found',
    (_type, command) => {
      given(decider, []).when(command).thenRefuses('not_found', 'OPPORTUNITY_NOT_FOUND', `opportunity ${OPP_ID} does not exist`);
    },
  );

  describe('CreateOpportunity', () => {
    it('starts in the first open stage with its default probability when no stage is given', () => {
      const scenario = given(decider, []).when(create());
      scenario.then([created()]);
      scenario.thenState({ exists: true, stage: 'Prospecting', probability: 10, expectedRevenue: 100_000, lastOpenStage: 'Prospecting', closedAt: null });
    });

    it('starts in the stage given, with that stage’s probability and forecast category', () => {
      given(decider, [])
        .when(create({ stage: 'Negotiation/Review' }))
        .then([created({ stage: 'Negotiation/Review', probability: 90 })]);
    });

    it('allows creating an already closed deal (imports)', () => {
      const scenario = given(decider, []).when(create({ stage: 'Closed Won' }));
      scenario.then([created({ stage: 'Closed Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true })]);
      scenario.thenState({ isClosed: true, isWon: true, closedAt: T0, lastOpenStage: null, expectedRevenue: 1_000_000 });
    });

    it('allows an unknown amount: amount and currency both null, no expected revenue', () => {
      const scenario = given(decider, []).when(create({ amount: null, currency: null }));
      scenario.then([created({ amount: null, currency: null })]);
      scenario.thenState({ amount: null, expectedRevenue: null });
    });

    it('refuses an unknown stage, listing the valid ones', () => {
      const error = given(decider, []).when(create({ stage: 'Haggling' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues).toEqual([
        {
          field: 'stage',
          reason:
            'unknown stage "Haggling"; valid stages: Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, ' +
            'Perception Analysis, Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost',
        },
      ]);
    });

    it('refuses an empty name, account or owner', () => {
      const error = given(decider, []).when(create({ name: ' ', accountId: '', owner: '' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['accountId', 'name', 'owner']);
    });

    it.each(['2025-02-30', '2025-13-01', '2025-6-30', '30/06/2025', '2025-06-30T00:00:00Z', ''])('refuses the close date %p', (closeDate) => {
      const error = given(decider, []).when(create({ closeDate })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues).toEqual([{ field: 'closeDate', reason: 'must be a calendar date written YYYY-MM-DD' }]);
    });

    it('accepts 29 February in a leap year', () => {
      given(decider, []).when(create({ closeDate: '2024-02-29' })).then([created({ closeDate: '2024-02-29' })]);
    });

    it('refuses an amount without a currency, and a currency without an amount', () => {
      const noCurrency = given(decider, []).when(create({ currency: null })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(noCurrency.issues)).toEqual(['currency']);
      const noAmount = given(decider, []).when(create({ amount: null })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(noAmount.issues)).toEqual(['amount']);
    });

    it.each([
      ['a fraction', 10.5, 'USD', 'amount'],
      ['a negative amount', -1, 'USD', 'amount'],
      ['an unsafe integer', 2 ** 53, 'USD', 'amount'],
      ['an unknown currency', 100, 'XYZ1', 'currency'],
      ['a lower-case currency', 100, 'usd', 'currency'],
    ])('refuses %s', (_what, amount, currency, field) => {
      const error = given(decider, []).when(create({ amount, currency })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual([field]);
    });

    it('refuses an unknown source', () => {
      const error = given(decider, []).when(create({ source: 'Rumour' as never })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['source']);
    });

    it('refuses to create an opportunity that already exists', () => {
      given(decider, [created()]).when(create()).thenRefuses('rule', 'OPPORTUNITY_EXISTS');
    });
  });

  describe('ChangeOpportunityStage', () => {
    it('moves to the new stage with its snapshot, the previous stage and the time', () => {
      given(decider, [created()]).when(changeStage('Needs Analysis', 'ignored for an open stage')).then([movedToNeedsAnalysis]);
    });

    it('resets an overridden probability to the new stage’s default and recomputes expected revenue', () => {
      given(decider, [created(), probabilityOverridden(35)])
        .when(changeStage('Needs Analysis'))
        .thenState({ stage: 'Needs Analysis', probability: 20, expectedRevenue: 200_000, lastOpenStage: 'Needs Analysis' });
    });

    it('refuses an unknown stage', () => {
      const error = given(decider, [created()]).when(changeStage('Haggling')).thenRefuses('validation', 'VALIDATION_FAILED', /valid stages: Prospecting/);
      expect(fields(error.issues)).toEqual(['stage']);
    });

    it('records nothing when the stage is the same', () => {
      given(decider, [created()]).when(changeStage('Prospecting')).thenNothing();
    });

    it('closes lost with its loss reason; the last open stage is kept for a reopen', () => {
      const scenario = given(decider, [created(), movedToNeedsAnalysis]).when({ ...changeStage('Closed Lost', 'went with a competitor'), at: T2 });
      scenario.then([closedLost]);
      scenario.thenState({ isClosed: true, isWon: false, probability: 0, expectedRevenue: 0, lossReason: 'went with a competitor', closedAt: T2, lastOpenStage: 'Needs Analysis' });
    });

    it.each([null, '', '  '])('refuses to move to a lost stage with loss reason %p', (lossReason) => {
      const error = given(decider, [created()]).when(changeStage('Closed Lost', lossReason)).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['lossReason']);
    });

    it.each([
      ['lost', closedLost],
      ['won', closedWon],
    ])('refuses a closed (%s) opportunity: reopen it first', (_how, closing) => {
      given(decider, [created(), closing]).when(changeStage('Needs Analysis')).thenRefuses('rule', 'OPPORTUNITY_CLOSED', /reopen it first/);
    });
  });

  describe('CloseOpportunityWon', () => {
    it('moves to the won stage', () => {
      const scenario = given(decider, [created()]).when(closeWon);
      scenario.then([closedWon]);
      scenario.thenState({ isClosed: true, isWon: true, forecastCategory: 'Closed', probability: 100, expectedRevenue: 1_000_000, closedAt: T2 });
    });

    it('refuses an opportunity that is already closed', () => {
      given(decider, [created(), closedWon]).when(closeWon).thenRefuses('rule', 'OPPORTUNITY_CLOSED');
    });
  });

  describe('CloseOpportunityLost', () => {
    it('moves to the lost stage with the reason', () => {
      given(decider, [created(), movedToNeedsAnalysis]).when(closeLost('went with a competitor')).then([closedLost]);
    });

    it('refuses without a reason', () => {
      const error = given(decider, [created()]).when(closeLost('')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['reason']);
    });

    it('refuses an opportunity that is already closed', () => {
      given(decider, [created(), closedLost]).when(closeLost('again')).thenRefuses('rule', 'OPPORTUNITY_CLOSED');
    });

    it('uses the first closed stage that is not won in a configured catalogue', () => {
      const catalogue = new StageCatalogue([
        { name: 'Talking', probability: 30, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
        { name: 'Signed', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
        { name: 'No Budget', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
        { name: 'No Decision', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
      ]);
      given(createOpportunityDecider(catalogue), [created({ stage: 'Talking', probability: 30 })])
        .when(closeLost('frozen'))
        .then([
          {
            type: 'OpportunityStageChanged',
            data: {
              stage: 'No Budget',
              probability: 0,
              forecastCategory: 'Omitted',
              isClosed: true,
              isWon: false,
              opportunityId: OPP_ID,
              previousStage: 'Talking',
              lossReason: 'frozen',
              changedAt: T2,
            },
          },
        ]);
    });
  });

  describe('OverrideOpportunityProbability', () => {
    it('overrides the probability and recomputes expected revenue', () => {
      const scenario = given(decider, [created()]).when(overrideProbability(35));
      scenario.then([probabilityOverridden(35, 10)]);
      scenario.thenState({ probability: 35, expectedRevenue: 350_000, stage: 'Prospecting', forecastCategory: 'Pipeline' });
    });

    it.each([-1, 101, 12.5, Number.NaN])('refuses the probability %p', (probability) => {
      const error = given(decider, [created()]).when(overrideProbability(probability)).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['probability']);
    });

    it.each([0, 100])('accepts the bound %p', (probability) => {
      given(decider, [created()]).when(overrideProbability(probability)).then([probabilityOverridden(probability, 10)]);
    });

    it('records nothing when the probability is the same', () => {
      given(decider, [created()]).when(overrideProbability(10)).thenNothing();
    });

    it('refuses a closed opportunity', () => {
      given(decider, [created(), closedWon]).when(overrideProbability(50)).thenRefuses('rule', 'OPPORTUNITY_CLOSED');
    });
  });

  describe('ChangeOpportunityAmount', () => {
    it('changes the amount, keeps the previous one and recomputes expected revenue', () => {
      const scenario = given(decider, [created()]).when(changeAmount(2_500_005, 'USD'));
      scenario.then([
        { type: 'OpportunityAmountChanged', data: { opportunityId: OPP_ID, amount: 2_500_005, currency: 'USD', previousAmount: 1_000_000, previousCurrency: 'USD' } },
      ]);
      // 2,500,005 x 10 % = 250,000.5 -> rounded half up
      scenario.thenState({ amount: 2_500_005, expectedRevenue: 250_001 });
    });

    it('sets a first amount on an opportunity that had none', () => {
      given(decider, [created({ amount: null, currency: null })])
        .when(changeAmount(500, 'JPY'))
        .then([{ type: 'OpportunityAmountChanged', data: { opportunityId: OPP_ID, amount: 500, currency: 'JPY', previousAmount: null, previousCurrency: null } }]);
    });

    it('changes the currency alone', () => {
      given(decider, [created()])
        .when(changeAmount(1_000_000, 'EUR'))
        .then([{ type: 'OpportunityAmountChanged', data: { opportunityId: OPP_ID, amount: 1_000_000, currency: 'EUR', previousAmount: 1_000_000, previousCurrency: 'USD' } }]);
    });

    it('records nothing when amount and currency are the same', () => {
      given(decider, [created()]).when(changeAmount(1_000_000, 'USD')).thenNothing();
    });

    it('refuses money that is not integer minor units with an ISO 4217 currency', () => {
      const error = given(decider, [created()]).when(changeAmount(99.99, 'dollars')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['amount', 'currency']);
    });

    it('refuses a closed opportunity', () => {
      given(decider, [created(), closedLost]).when(changeAmount(5, 'USD')).thenRefuses('rule', 'OPPORTUNITY_CLOSED');
    });
  });

  describe('ChangeOpportunityCloseDate', () => {
    it('changes the close date', () => {
      const scenario = given(decider, [created()]).when(changeCloseDate('2025-09-30'));
      scenario.then([{ type: 'OpportunityCloseDateChanged', data: { opportunityId: OPP_ID, closeDate: '2025-09-30', previousCloseDate: '2025-06-30' } }]);
      scenario.thenState({ closeDate: '2025-09-30' });
    });

    it('refuses a date that is not on the calendar', () => {
      const error = given(decider, [created()]).when(changeCloseDate('2025-04-31')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['closeDate']);
    });

    it('records nothing when the date is the same', () => {
      given(decider, [created()]).when(changeCloseDate('2025-06-30')).thenNothing();
    });

    it('refuses a closed opportunity', () => {
      given(decider, [created(), closedWon]).when(changeCloseDate('2025-07-01')).thenRefuses('rule', 'OPPORTUNITY_CLOSED');
    });
  });

  describe('ChangeOpportunityOwner', () => {
    it('changes the owner', () => {
      given(decider, [created()])
        .when(changeOwner('bob'))
        .then([{ type: 'OpportunityOwnerChanged', data: { opportunityId: OPP_ID, owner: 'bob', previousOwner: 'alice' } }]);
    });

    it('may change the owner of a closed opportunity', () => {
      given(decider, [created(), closedWon]).when(changeOwner('bob')).thenState({ owner: 'bob', isClosed: true });
    });

    it('records nothing when the owner is the same', () => {
      given(decider, [created()]).when(changeOwner('alice')).thenNothing();
    });

    it('refuses an empty owner', () => {
      const error = given(decider, [created()]).when(changeOwner('')).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(fields(error.issues)).toEqual(['owner']);
    });
  });

  describe('ReopenOpportunity', () => {
    const reopened = (stage: string, probability: number, previousStage = 'Closed Lost'): OpportunityEvent => ({
      type: 'OpportunityReopened',
      data: { stage, probability, forecastCategory: 'Pipeline', isClosed: false, isWon: false, opportunityId: OPP_ID, previousStage, reason: 'customer came back', reopenedAt: T2 },
    });

    it('goes back to the last open stage, with its default probability, and clears the loss', () => {
      const scenario = given(decider, [created(), movedToNeedsAnalysis, closedLost]).when(reopen());
      scenario.then([reopened('Needs Analysis', 20)]);
      scenario.thenState({ stage: 'Needs Analysis', probability: 20, isClosed: false, lossReason: null, closedAt: null, expectedRevenue: 200_000 });
    });

    it('goes to the open stage given', () => {
      given(decider, [created(), closedWon]).when(reopen('Negotiation/Review')).then([reopened('Negotiation/Review', 90, 'Closed Won')]);
    });

    it('goes to the first open stage when the deal was created closed', () => {
      given(decider, [created({ stage: 'Closed Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true })])
        .when(reopen())
        .then([reopened('Prospecting', 10, 'Closed Won')]);
    });

    it('goes to the first open stage when the last open stage is no longer in the catalogue', () => {
      const catalogue = new StageCatalogue([
        { name: 'Talking', probability: 30, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
        { name: 'Closed Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
        { name: 'Closed Lost', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
      ]);
      given(createOpportunityDecider(catalogue), [created(), movedToNeedsAnalysis, closedLost]).when(reopen()).then([reopened('Talking', 30)]);
    });

    it('refuses a closed stage as the target', () => {
      const error = given(decider, [created(), closedLost]).when(reopen('Closed Won')).thenRefuses('validation', 'VALIDATION_FAILED', /must be an open stage/);
      expect(fields(error.issues)).toEqual(['stage']);
    });

    it('refuses an unknown target stage', () => {
      const error = given(decider, [created(), closedLost]).when(reopen('Haggling')).thenRefuses('validation', 'VALIDATION_FAILED', /unknown stage "Haggling"/);
      expect(fields(error.issues)).toEqual(['stage']);
    });

    it('refuses an opportunity that is open', () => {
      given(decider, [created()]).when(reopen()).thenRefuses('rule', 'OPPORTUNITY_NOT_CLOSED');
    });

    it('can be closed again after a reopen', () => {
      given(decider, [created(), closedWon, reopened('Prospecting', 10, 'Closed Won')]).when(closeWon).thenState({ isClosed: true, closedAt: T2 });
    });
  });

  describe('evolve', () => {
    it('leaves the state as it was on an event type it does not know', () => {
      const state = given(decider, [created()]).state;
      expect(decider.evolve(state, { type: 'OpportunityVanished', data: {} } as unknown as OpportunityEvent)).toBe(state);
    });
  });
});
