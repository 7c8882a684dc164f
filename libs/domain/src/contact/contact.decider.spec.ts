import { given } from '../testing/given-when-then';
import { contactDecider } from './contact.decider';
import { ContactCreated, ContactDetails, ContactEvent, ContactFilledFields, CreateContact, MergeLeadIntoContact } from './contact.types';

const AT = '2025-03-01T09:00:00.000Z';
const DETAILS: ContactDetails = { firstName: null, lastName: 'Lovelace', title: 'CTO', email: null, phone: ' ' };

const create = (details: Partial<ContactDetails> = {}, overrides: Partial<CreateContact> = {}): CreateContact => ({
  type: 'CreateContact',
  contactId: 'C1',
  accountId: 'A1',
  at: AT,
  details: { ...DETAILS, ...details },
  owner: 'alice',
  source: 'Webinar',
  leadId: 'L1',
  ...overrides,
});
const created = (overrides: Partial<ContactCreated['data']> = {}): ContactCreated => ({
  type: 'ContactCreated',
  data: { contactId: 'C1', accountId: 'A1', ...DETAILS, owner: 'alice', source: 'Webinar', leadId: 'L1', createdAt: AT, ...overrides },
});
const merge = (leadId: string, fields: MergeLeadIntoContact['fields']): MergeLeadIntoContact => ({ type: 'MergeLeadIntoContact', contactId: 'C1', at: AT, leadId, fields });
const merged = (leadId: string, filled: ContactFilledFields): ContactEvent => ({ type: 'ContactMergedFromLead', data: { contactId: 'C1', leadId, filled } });

describe('contact decider', () => {
  describe('CreateContact', () => {
    it('creates the contact under its account', () => {
      const scenario = given(contactDecider, []).when(create());
      scenario.then([created()]);
      scenario.thenState({ exists: true, contactId: 'C1', accountId: 'A1', details: DETAILS, source: 'Webinar', leadIds: ['L1'] });
    });

    it('refuses an empty last name', () => {
      const error = given(contactDecider, []).when(create({ lastName: '' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues).toEqual([{ field: 'lastName', reason: 'is required and must not be empty' }]);
    });

    it('refuses a contact without an account (a contact always belongs to one)', () => {
      const error = given(contactDecider, []).when(create({}, { accountId: '' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['accountId']);
    });

    it('refuses an empty owner', () => {
      const error = given(contactDecider, []).when(create({}, { owner: ' ' })).thenRefuses('validation', 'VALIDATION_FAILED');
      expect(error.issues.map((i) => i.field)).toEqual(['owner']);
    });

    it('refuses to create a contact that already exists', () => {
      given(contactDecider, [created()]).when(create()).thenRefuses('rule', 'CONTACT_EXISTS');
    });
  });

  describe('MergeLeadIntoContact', () => {
    it('fills only the fields the contact has empty and never overwrites', () => {
      const scenario = given(contactDecider, [created()]).when(merge('L2', { firstName: 'Ada', title: 'CEO', email: 'ada@engines.example', phone: '+44 1' }));
      scenario.then([merged('L2', { firstName: 'Ada', email: 'ada@engines.example', phone: '+44 1' })]);
      scenario.thenState({ details: { ...DETAILS, firstName: 'Ada', email: 'ada@engines.example', phone: '+44 1' }, leadIds: ['L1', 'L2'] });
    });

    it('ignores fields that may not be filled (the last name)', () => {
      const fields = { lastName: 'Byron', firstName: 'Ada' } as MergeLeadIntoContact['fields'];
      given(contactDecider, [created()]).when(merge('L2', fields)).then([merged('L2', { firstName: 'Ada' })]);
    });

    it('records nothing for a lead already merged (idempotent)', () => {
      given(contactDecider, [created(), merged('L2', {})]).when(merge('L2', { firstName: 'Ada' })).thenNothing();
    });

    it('refuses a contact that does not exist', () => {
      given(contactDecider, []).when(merge('L2', {})).thenRefuses('not_found', 'CONTACT_NOT_FOUND', 'contact C1 does not exist');
    });
  });
  describe('EraseContactPersonalData (the right to erasure)', () => {
    const erase = { type: 'EraseContactPersonalData', contactId: 'C1', at: AT } as const;
    const erased: ContactEvent = { type: 'ContactPersonalDataErased', data: { contactId: 'C1', erasedAt: AT } };

    it('records the erasure and shows the personal fields as erased (null stays null)', () => {
      const scenario = given(contactDecider, [created({ email: 'ada@example.com' })]).when(erase);
      scenario.then([erased]);
      scenario.thenState({ personalDataErasedAt: AT, details: { firstName: null, lastName: '[erased]', title: 'CTO', email: '[erased]', phone: '[erased]' } });
    });

    it('records nothing the second time, and refuses an unknown contact', () => {
      given(contactDecider, [created(), erased]).when(erase).then([]);
      given(contactDecider, []).when(erase).thenRefuses('not_found', 'CONTACT_NOT_FOUND');
    });

    it('refuses to merge a lead into an erased contact', () => {
      given(contactDecider, [created(), erased]).when(merge('L2', { email: 'x@example.com' })).thenRefuses('rule', 'PERSONAL_DATA_ERASED');
    });
  });
});
