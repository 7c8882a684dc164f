import { Decider, Decision } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { applyFilled, fillEmpty, withLead } from '../shared/fill-empty';
import { optionalText, refusalFor, requireOneOf, requireText } from '../shared/validation';
import { LEAD_SOURCES } from '../lead/lead.types';
import { AccountCommand, AccountDetails, AccountEvent, AccountState, CreateAccount, MergeLeadIntoAccount } from './account.types';

const NO_LEADS: string[] = [];
Object.freeze(NO_LEADS);

const INITIAL_ACCOUNT_STATE: AccountState = Object.freeze({
  exists: false,
  accountId: null,
  details: null,
  owner: null,
  source: null,
  createdAt: null,
  leadIds: NO_LEADS,
});

/** The account fields a converted lead may fill (everything but the name). */
const FILLABLE = ['industry', 'website', 'phone', 'billingCountry'] as const satisfies readonly (keyof AccountDetails)[];

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent> = {
  initialState: INITIAL_ACCOUNT_STATE,
  decide: decideAccount,
  evolve: evolveAccount,
};

function decideAccount(command: AccountCommand, state: AccountState): Decision<AccountEvent> {
  if (command.type === 'CreateAccount') return create(command, state);
  if (!state.exists) return DomainError.notFound('account', command.accountId);
  return merge(command, state);
}

function create(command: CreateAccount, state: AccountState): Decision<AccountEvent> {
  if (state.exists) return DomainError.rule('ACCOUNT_EXISTS', `Account ${command.accountId} already exists`);
  const d = command.details;
  const invalid = refusalFor(
    requireText('name', d.name),
    ...FILLABLE.map((field) => optionalText(field, d[field] ?? null)),
    requireText('owner', command.owner),
    requireOneOf('source', LEAD_SOURCES, command.source ?? null, true),
  );
  if (invalid) return invalid;
  return [
    {
      type: 'AccountCreated',
      data: {
        accountId: command.accountId,
        name: d.name,
        industry: d.industry ?? null,
        website: d.website ?? null,
        phone: d.phone ?? null,
        billingCountry: d.billingCountry ?? null,
        owner: command.owner,
        source: command.source ?? null,
        leadId: command.leadId ?? null,
        createdAt: command.at,
      },
    },
  ];
}

/**
 * A converted lead merged into this account fills only fields the account has empty; it never overwrites.
 * The merge is recorded even when it fills nothing (the account gained a lead). The same lead twice is a no-op.
 */
function merge(command: MergeLeadIntoAccount, state: AccountState): Decision<AccountEvent> {
  const invalid = refusalFor(requireText('leadId', command.leadId));
  if (invalid) return invalid;
  if (state.leadIds.includes(command.leadId)) return [];
  const filled = fillEmpty(state.details as AccountDetails, command.fields ?? {}, FILLABLE);
  return [{ type: 'AccountMergedFromLead', data: { accountId: command.accountId, leadId: command.leadId, filled } }];
}

function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      return {
        exists: true,
        accountId: d.accountId,
        details: { name: d.name, industry: d.industry, website: d.website, phone: d.phone, billingCountry: d.billingCountry },
        owner: d.owner,
        source: d.source,
        createdAt: d.createdAt,
        leadIds: d.leadId ? [d.leadId] : [],
      };
    }
    case 'AccountMergedFromLead':
      return {
        ...state,
        details: applyFilled(state.details, event.data.filled, FILLABLE),
        leadIds: withLead(state.leadIds, event.data.leadId),
      };
    default:
      return state;
  }
}
