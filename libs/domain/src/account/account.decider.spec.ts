import { given } from '../testing/given-when-then';
import { accountDecider } from './account.decider';
import { AccountCreated, AccountDetails, AccountEvent, AccountFilledFields, CreateAccount, MergeLeadIntoAccount } from './account.types';

const AT = '2025-03-01T09:00:00.000Z';
const DETAILS: AccountDetails = { name: 'Analytical Engines', industry: 'Manufacturing', website: null, phone: '', billingCountry: null };

const create = (details: Partial<AccountDetails> = {}, overrides: Partial<CreateAccount> = {}): CreateAccount => ({
  type: 'CreateAccount',
  accountId: 'A1',
  at: AT,
  details: { ...DETAILS, ...details },
  owner: 'alice',
  source: 'Referral',
  leadId: 'L1',
  ...overrides,
});
const created = (overrides: Partial<AccountCreated['data']> = {}): AccountCreated => ({
  type: 'AccountCreated',
  data: { accountId: 'A1', ...DETAILS, owner: 'alice', source: 'Referral', leadId: 'L1', createdAt: AT, ...overrides },
});
const merge = (leadId: string, fields: MergeLeadIntoAccount['fields']): MergeLeadIntoAccount => ({ type: 'MergeLeadIntoAccount', accountId: 'A1', at: AT, leadId, fields });
const merged = (leadId: string, filled: AccountFilledFields): AccountEvent => ({ type: 'AccountMergedFromLead', data: { accountId: 'A1', leadId, filled } });

describe('account decider', () => {
  describe('CreateAccount', () => {
    it('creates the account', () => {
      const scenario = given(accountDecider, []).when(create());
      scenario.then([created()]);
      scenario.thenState({ exists: true, accountId: 'A1', details: DETAILS, owner: 'alice', leadIds: ['L1'] });
    });

    it('creates an account that no lead produced', () => {
      given(accountDecider, []).when(create({}, { leadId: null, source: null })).thenState({ leadIds: [], source: null });
    });

    it.each(['', '   '])('refuses the name %p', (name) => {
      const error = given(accountDecider, []).when(create({ name })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues).toEqual([{ field: 'name', reason: 'is required and must not be empty' }]);
    });

    it('refuses an empty owner and an unknown source', () => {
      const error = given(accountDecider, []).when(create({}, { owner: '', source: 'Rumour' as never })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['owner', 'source']);
    });

    it('refuses to create an account that already exists', () => {
      given(accountDecider, [created()]).when(create()).thenRefuses('rule', 'ACCOUNT_EXISTS');
    });
  });

  describe('MergeLeadIntoAccount', () => {
    it('fills only the fields the account has empty (null or blank) and never overwrites', () => {
      const scenario = given(accountDecider, [created()]).when(
        merge('L2', { industry: 'Aerospace', website: 'https://engines.example', phone: '+44 20 1234', billingCountry: null }),
      );
      scenario.then([merged('L2', { website: 'https://engines.example', phone: '+44 20 1234' })]);
      scenario.thenState({
        details: { ...DETAILS, website: 'https://engines.example', phone: '+44 20 1234' },
        leadIds: ['L1', 'L2'],
      });
    });

    it('does not fill with blank values', () => {
      given(accountDecider, [created()]).when(merge('L2', { website: '  ', billingCountry: '' })).then([merged('L2', {})]);
    });

    it('records the merge even when it fills nothing', () => {
      given(accountDecider, [created()]).when(merge('L2', { industry: 'Aerospace' })).thenState({ details: DETAILS, leadIds: ['L1', 'L2'] });
    });

    it('records nothing for a lead already merged (idempotent)', () => {
      given(accountDecider, [created(), merged('L2', { website: 'https://a.example' })]).when(merge('L2', { billingCountry: 'UK' })).thenNothing();
    });

    it('records nothing for the lead that created the account', () => {
      given(accountDecider, [created()]).when(merge('L1', { website: 'https://a.example' })).thenNothing();
    });

    it('refuses an empty lead id', () => {
      const error = given(accountDecider, [created()]).when(merge('', {})).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['leadId']);
    });

    it('refuses an account that does not exist', () => {
      given(accountDecider, []).when(merge('L2', {})).thenRefuses('not_found', 'ACCOUNT_NOT_FOUND', 'account A1 does not exist');
    });
  });
});
