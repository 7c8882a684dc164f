import { REDACTED } from '@pipeline-ledger/domain';
import { redactEventData, redactEventMessage, redactHistory, redactLeadListRow, redactRecord } from './redaction';

const hidden = { pii: false };
const shown = { pii: true };

describe('redaction of personal fields', () => {
  const created = { leadId: 'L1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null, company: 'Analytical Engines', owner: 'alice' };

  it('masks the personal fields where PERSONAL_DATA_IN_EVENTS says they are; null stays null; the rest is untouched', () => {
    expect(redactEventData(hidden, 'LeadCreated', created)).toEqual({ ...created, firstName: REDACTED, lastName: REDACTED, email: REDACTED, phone: null });
    const updated = { leadId: 'L1', changes: { email: 'new@example.com', title: 'CTO' } };
    expect(redactEventData(hidden, 'LeadDetailsUpdated', updated)).toEqual({ leadId: 'L1', changes: { email: REDACTED, title: 'CTO' } });
    const converted = { leadId: 'L1', account: { name: 'Analytical Engines' }, contact: { contactId: 'C1', firstName: 'Ada', lastName: 'Lovelace', email: null, phone: '+44 1' } };
    expect(redactEventData(hidden, 'LeadConverted', converted)).toEqual({ ...converted, contact: { contactId: 'C1', firstName: REDACTED, lastName: REDACTED, email: null, phone: REDACTED } });
    const contacted = { leadId: 'L1', channel: 'call' };
    expect(redactEventData(hidden, 'LeadContacted', contacted)).toBe(contacted);
  });

  it('never changes what it is given, and gives everything as is to a viewer with the grant', () => {
    const copy = structuredClone(created);
    redactEventData(hidden, 'LeadCreated', created);
    expect(created).toEqual(copy);
    expect(redactEventData(shown, 'LeadCreated', created)).toBe(created);
    const message = { type: 'LeadCreated', position: '1', data: created };
    expect(redactEventMessage(shown, message)).toBe(message);
    expect(redactEventMessage(hidden, message)).toEqual({ ...message, data: redactEventData(hidden, 'LeadCreated', created) });
  });

  it("masks a lead's and a contact's presented state, but not an account's phone (a company's, not a person's)", () => {
    const lead = { id: 'L1', firstName: 'Ada', lastName: 'Lovelace', email: null, company: 'AE' };
    expect(redactRecord(hidden, 'lead', lead)).toEqual({ id: 'L1', firstName: REDACTED, lastName: REDACTED, email: null, company: 'AE' });
    expect(redactRecord(hidden, 'contact', lead).lastName).toBe(REDACTED);
    const account = { id: 'A1', name: 'AE', phone: '+44 20 7946 0000' };
    expect(redactRecord(hidden, 'account', account)).toBe(account);
  });

  it('masks a lead list row, its full name too', () => {
    const row = { id: 'L1', name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null, company: 'AE' };
    expect(redactLeadListRow(hidden, row)).toEqual({ id: 'L1', name: REDACTED, firstName: REDACTED, lastName: REDACTED, email: REDACTED, phone: null, company: 'AE' });
  });

  it("masks a history's entries (data, changes, state) and its final state", () => {
    const history = {
      kind: 'lead',
      entries: [
        {
          type: 'LeadDetailsUpdated',
          data: { leadId: 'L1', changes: { email: 'b@example.com', title: 'CTO' } },
          changes: [
            { field: 'email', from: 'a@example.com', to: 'b@example.com' },
            { field: 'phone', from: null, to: '+1 555' },
            { field: 'title', from: null, to: 'CTO' },
          ],
          state: { id: 'L1', email: 'b@example.com', title: 'CTO' },
        },
      ],
      state: { id: 'L1', email: 'b@example.com', title: 'CTO' },
    };
    expect(redactHistory(hidden, 'lead', history)).toEqual({
      kind: 'lead',
      entries: [
        {
          type: 'LeadDetailsUpdated',
          data: { leadId: 'L1', changes: { email: REDACTED, title: 'CTO' } },
          changes: [
            { field: 'email', from: REDACTED, to: REDACTED },
            { field: 'phone', from: null, to: REDACTED },
            { field: 'title', from: null, to: 'CTO' },
          ],
          state: { id: 'L1', email: REDACTED, title: 'CTO' },
        },
      ],
      state: { id: 'L1', email: REDACTED, title: 'CTO' },
    });
    expect(redactHistory(shown, 'lead', history)).toBe(history);
  });
});
