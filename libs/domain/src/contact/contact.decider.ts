import { Decider, Decision } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { applyFilled, fillEmpty, withLead } from '../shared/fill-empty';
import { ERASED, maskPersonalFields } from '../shared/personal-data';
import { optionalText, refusalFor, requireOneOf, requireText } from '../shared/validation';
import { LEAD_SOURCES } from '../lead/lead.types';
import { ContactCommand, ContactDetails, ContactEvent, ContactState, CreateContact, MergeLeadIntoContact } from './contact.types';

const NO_LEADS: string[] = [];
Object.freeze(NO_LEADS);

const INITIAL_CONTACT_STATE: ContactState = Object.freeze({
  exists: false,
  contactId: null,
  accountId: null,
  details: null,
  owner: null,
  source: null,
  createdAt: null,
  leadIds: NO_LEADS,
  personalDataErasedAt: null,
});

/** The contact fields a converted lead may fill (everything but the last name). */
const FILLABLE = ['firstName', 'title', 'email', 'phone'] as const satisfies readonly (keyof ContactDetails)[];

export const contactDecider: Decider<ContactCommand, ContactState, ContactEvent> = {
  initialState: INITIAL_CONTACT_STATE,
  decide: decideContact,
  evolve: evolveContact,
};

function decideContact(command: ContactCommand, state: ContactState): Decision<ContactEvent> {
  if (command.type === 'CreateContact') return create(command, state);
  if (!state.exists) return DomainError.notFound('contact', command.contactId);
  if (command.type === 'EraseContactPersonalData') {
    if (state.personalDataErasedAt) return [];
    return [{ type: 'ContactPersonalDataErased', data: { contactId: command.contactId, erasedAt: command.at } }];
  }
  if (state.personalDataErasedAt) {
    return DomainError.rule(
      'PERSONAL_DATA_ERASED',
      `Contact ${state.contactId}'s personal data was erased on ${state.personalDataErasedAt}: no lead can be merged into it; convert into a new contact`,
    );
  }
  return merge(command, state);
}

/** A contact always belongs to exactly one account, so the account id is required along with the last name. */
function create(command: CreateContact, state: ContactState): Decision<ContactEvent> {
  if (state.exists) return DomainError.rule('CONTACT_EXISTS', `Contact ${command.contactId} already exists`);
  const d = command.details;
  const invalid = refusalFor(
    requireText('lastName', d.lastName),
    ...FILLABLE.map((field) => optionalText(field, d[field] ?? null)),
    requireText('accountId', command.accountId),
    requireText('owner', command.owner),
    requireOneOf('source', LEAD_SOURCES, command.source ?? null, true),
  );
  if (invalid) return invalid;
  return [
    {
      type: 'ContactCreated',
      data: {
        contactId: command.contactId,
        accountId: command.accountId,
        firstName: d.firstName ?? null,
        lastName: d.lastName,
        title: d.title ?? null,
        email: d.email ?? null,
        phone: d.phone ?? null,
        owner: command.owner,
        source: command.source ?? null,
        leadId: command.leadId ?? null,
        createdAt: command.at,
      },
    },
  ];
}

/** Fills only the fields the contact has empty, never overwrites; recorded even when nothing is filled; idempotent per lead. */
function merge(command: MergeLeadIntoContact, state: ContactState): Decision<ContactEvent> {
  const invalid = refusalFor(requireText('leadId', command.leadId));
  if (invalid) return invalid;
  if (state.leadIds.includes(command.leadId)) return [];
  const filled = fillEmpty(state.details as ContactDetails, command.fields ?? {}, FILLABLE);
  return [{ type: 'ContactMergedFromLead', data: { contactId: command.contactId, leadId: command.leadId, filled } }];
}

function evolveContact(state: ContactState, event: ContactEvent): ContactState {
  switch (event.type) {
    case 'ContactCreated': {
      const d = event.data;
      return {
        exists: true,
        contactId: d.contactId,
        accountId: d.accountId,
        details: { firstName: d.firstName, lastName: d.lastName, title: d.title, email: d.email, phone: d.phone },
        owner: d.owner,
        source: d.source,
        createdAt: d.createdAt,
        leadIds: d.leadId ? [d.leadId] : [],
        personalDataErasedAt: null,
      };
    }
    case 'ContactMergedFromLead':
      return {
        ...state,
        details: applyFilled(state.details, event.data.filled, FILLABLE),
        leadIds: withLead(state.leadIds, event.data.leadId),
      };
    case 'ContactPersonalDataErased':
      return { ...state, details: state.details && maskPersonalFields(state.details, ERASED), personalDataErasedAt: event.data.erasedAt };
    default:
      return state;
  }
}
