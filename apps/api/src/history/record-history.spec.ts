import { DEFAULT_STAGE_CATALOGUE, LEAD_STATUS } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { presentLead } from '../leads/lead.presenter';
import { buildRecords } from '../write/record-types';
import { changesBetween, recordHistory } from './record-history';

describe('changesBetween', () => {
  it('names each changed field, nested ones by their path, and leaves the revision out', () => {
    expect(
      changesBetween(
        { revision: 1, status: 'Open', qualification: { budget: true, need: false }, conversion: null, tags: ['a'] },
        { revision: 2, status: 'Working', qualification: { budget: true, need: true }, conversion: { accountId: 'A1' }, tags: ['a', 'b'] },
      ),
    ).toEqual([
      { field: 'status', from: 'Open', to: 'Working' },
      { field: 'qualification.need', from: false, to: true },
      { field: 'conversion', from: null, to: { accountId: 'A1' } },
      { field: 'tags', from: ['a'], to: ['a', 'b'] },
    ]);
  });

  it('treats a missing field as null, and finds nothing when nothing changed', () => {
    expect(changesBetween({ id: 'x' }, { id: 'x', title: 'CTO' })).toEqual([{ field: 'title', from: null, to: 'CTO' }]);
    expect(changesBetween({ id: 'x', title: null }, { id: 'x' })).toEqual([]);
    expect(changesBetween({ a: { b: { c: 1 } } }, { a: { b: { c: 1 } } })).toEqual([]);
  });
});

describe('recordHistory of events stored in an older schema version', () => {
  const leadId = '7d3c1a2b-9e8f-4a6b-8c5d-1e2f3a4b5c6d';
  const stored = (revision: number, type: string, schemaVersion: number, data: Record<string, unknown>): StoredEvent => ({
    eventId: `00000000-0000-4000-8000-00000000000${revision}`,
    streamId: `lead-${leadId}`,
    revision,
    position: BigInt(revision + 1),
    type,
    schemaVersion,
    data,
    metadata: { actor: 'alice', correlationId: `c-${revision}`, causationId: null, occurredAt: `2024-05-0${revision + 1}T10:00:00.000Z`, recordedAt: `2024-05-0${revision + 1}T10:00:01.000Z` },
  });
  const events = [
    stored(0, 'LeadCreated', 1, {
      leadId, firstName: 'Ada', lastName: 'Byron', company: 'Analytical Engines', title: null, email: null, phone: null, source: 'Referral',
      campaign: null, industry: null, rating: null, owner: 'alice', status: LEAD_STATUS.open, createdAt: '2024-05-01T10:00:00.000Z',
    }),
    stored(1, 'LeadDisqualified', 1, { leadId, reason: 'no budget until next year', disqualifiedAt: '2024-05-02T10:00:00.000Z', status: LEAD_STATUS.disqualified }),
  ];

  it('folds the upcast event (version 2: a reason code), and shows the event as it was recorded (version 1)', () => {
    const history = recordHistory(buildRecords(DEFAULT_STAGE_CATALOGUE).lead, leadId, events, presentLead, { basis: 'recorded', page: 1, pageSize: 100 });
    const disqualified = history.entries[1];
    expect(disqualified).toMatchObject({ type: 'LeadDisqualified', schemaVersion: 1, data: events[1].data });
    expect(disqualified.changes).toEqual(
      expect.arrayContaining([
        { field: 'disqualificationReasonCode', from: null, to: 'other' },
        { field: 'disqualificationReason', from: null, to: 'no budget until next year' },
      ]),
    );
    expect(history.state).toMatchObject({ status: LEAD_STATUS.disqualified, disqualificationReasonCode: 'other', disqualificationReason: 'no budget until next year' });
  });
});
