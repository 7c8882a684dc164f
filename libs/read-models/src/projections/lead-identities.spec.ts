import { ERASED } from '@pipeline-ledger/domain';
import { LEAD_IDENTITIES, LEAD_PERSONAL_DATA_ERASED, leadIdentitiesProjection } from './lead-identities.projection';
import { leadIdentityMatch, leadIdentityMatchQuery } from './lead-identities.query';
import { identityKey, leadIdentityKeys } from './lead-identity.keys';
import { EventLog } from './testing/event-log';
import { InMemoryProjectionStore } from './testing/in-memory-projection-store';
import { leadConverted, leadCreated, leadDetailsUpdated, leadDuplicateSubmitted } from './testing/lead-events.fixture';

const ada = { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd', email: 'ada@engines.example' };

function erased(log: EventLog, leadId: string, at: string): EventLog {
  return log.add({ at, event: { type: LEAD_PERSONAL_DATA_ERASED, data: { leadId, erasedAt: at } } });
}

function run(log: EventLog): InMemoryProjectionStore {
  return new InMemoryProjectionStore([leadIdentitiesProjection]).run(log.events);
}

async function match(store: InMemoryProjectionStore, field: 'emailKey' | 'nameAndCompanyKey', details: Parameters<typeof leadIdentityKeys>[0]) {
  const key = leadIdentityKeys(details)[field];
  if (key === null) return null;
  const q = leadIdentityMatchQuery(field, key);
  return leadIdentityMatch((await store.find(q.collection, q.query)).documents);
}

describe('lead identities', () => {
  it('keeps, per lead, SHA-256 keys of its normalized email and name and company, never the text', () => {
    const store = run(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', ada)));
    const doc = store.document(LEAD_IDENTITIES, 'L1')!;
    expect(doc).toEqual({ id: 'L1', createdAt: '2025-01-10T09:00:00Z', ...leadIdentityKeys(ada), closed: null });
    for (const key of ['emailKey', 'firstNameKey', 'lastNameKey', 'companyKey', 'nameAndCompanyKey']) expect(doc[key]).toMatch(/^[0-9a-f]{64}$/);
    const text = JSON.stringify(doc).toLowerCase();
    for (const plain of ['ada', 'lovelace', 'engines']) expect(text).not.toContain(plain);
  });

  it('finds a lead by its email in other letters, and by its name and company with other case, accents and spaces', async () => {
    const store = run(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', ada), leadCreated('L2', '2025-01-11T09:00:00Z', { firstName: 'José', lastName: 'García', company: 'Acme Ltd', email: null })));
    expect(await match(store, 'emailKey', { email: '  ADA@Engines.Example ' })).toBe('L1');
    expect(await match(store, 'nameAndCompanyKey', { firstName: 'JOSE', lastName: 'garcia', company: 'ACME  ltd' })).toBe('L2');
    expect(await match(store, 'nameAndCompanyKey', { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines' })).toBeNull();
    expect(await match(store, 'emailKey', { email: 'grace@navy.example' })).toBeNull();
  });

  it('answers the oldest lead when several share a key', async () => {
    const store = run(new EventLog().add(leadCreated('L2', '2025-01-12T09:00:00Z', ada), leadCreated('L1', '2025-01-10T09:00:00Z', ada)));
    expect(await match(store, 'emailKey', ada)).toBe('L1');
  });

  it('hashes each part under its own label: the same text as a last name and as a company gives two keys', () => {
    expect(identityKey('last-name', 'acme')).not.toBe(identityKey('company', 'acme'));
    expect(identityKey('email', null)).toBeNull();
  });

  it('has no name-and-company key without a last name or a company, and none for an email not given', () => {
    const store = run(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', { ...ada, email: null, company: ' ' })));
    expect(store.document(LEAD_IDENTITIES, 'L1')).toMatchObject({ emailKey: null, companyKey: null, nameAndCompanyKey: null });
  });

  it('follows detail changes: a new email, and a changed name part with the others kept', async () => {
    const log = new EventLog().add(
      leadCreated('L1', '2025-01-10T09:00:00Z', ada),
      leadDetailsUpdated('L1', '2025-01-11T09:00:00Z', { email: 'ada@new.example', title: 'CEO' }),
      leadDetailsUpdated('L1', '2025-01-12T09:00:00Z', { lastName: 'King' }),
    );
    const store = run(log);
    expect(await match(store, 'emailKey', ada)).toBeNull();
    expect(await match(store, 'emailKey', { email: 'ADA@new.example' })).toBe('L1');
    expect(await match(store, 'nameAndCompanyKey', ada)).toBeNull();
    expect(await match(store, 'nameAndCompanyKey', { ...ada, lastName: 'king' })).toBe('L1');
    const cleared = run(log.add(leadDetailsUpdated('L1', '2025-01-13T09:00:00Z', { email: null, firstName: null })));
    expect(cleared.document(LEAD_IDENTITIES, 'L1')).toMatchObject({ emailKey: null, firstNameKey: null, nameAndCompanyKey: leadIdentityKeys({ lastName: 'KING', company: ada.company }).nameAndCompanyKey });
    expect(leadIdentityKeys({ lastName: 'KING', company: ada.company }).nameAndCompanyKey).not.toBeNull();
  });

  it('ignores changes to fields it does not key on', () => {
    const store = run(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', ada)));
    const result = leadIdentitiesProjection.apply(
      new EventLog().add(leadDetailsUpdated('L1', '2025-01-11T09:00:00Z', { title: 'CEO', phone: null })).events[0],
      store.document(LEAD_IDENTITIES, 'L1') as never,
    );
    expect(result).toEqual({});
  });

  it('forgets a converted lead: its person is a contact now, and the lead is read-only', async () => {
    const store = run(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', ada), leadConverted('L1', '2025-01-11T09:00:00Z', null)));
    expect(store.document(LEAD_IDENTITIES, 'L1')).toMatchObject({ closed: 'converted', emailKey: null, nameAndCompanyKey: null });
    expect(await match(store, 'emailKey', ada)).toBeNull();
  });

  it('forgets an erased lead (LeadPersonalDataErased), and does not learn it again from a later change', async () => {
    const log = erased(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', ada)), 'L1', '2025-01-11T09:00:00Z');
    log.add(leadDetailsUpdated('L1', '2025-01-12T09:00:00Z', { email: 'ada@engines.example' }));
    const store = run(log);
    expect(store.document(LEAD_IDENTITIES, 'L1')).toEqual({
      id: 'L1',
      createdAt: '2025-01-10T09:00:00Z',
      emailKey: null,
      firstNameKey: null,
      lastNameKey: null,
      companyKey: null,
      nameAndCompanyKey: null,
      closed: 'erased',
    });
    expect(await match(store, 'emailKey', ada)).toBeNull();
    expect(await match(store, 'nameAndCompanyKey', ada)).toBeNull();
  });

  it('reads erased personal fields (as a rebuild after an erasure sees them) as absent, so erased leads never match each other', () => {
    const shredded = { firstName: ERASED, lastName: ERASED, email: ERASED, company: 'Analytical Engines Ltd' };
    const store = run(new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z', shredded), leadCreated('L2', '2025-01-11T09:00:00Z', shredded)));
    expect(store.document(LEAD_IDENTITIES, 'L1')).toMatchObject({ emailKey: null, firstNameKey: null, lastNameKey: null, nameAndCompanyKey: null });
  });

  it('an erasure of a lead it never saw, and a duplicate submission, change nothing', () => {
    const store = run(erased(new EventLog(), 'L9', '2025-01-11T09:00:00Z').add(leadCreated('L1', '2025-01-10T09:00:00Z', ada), leadDuplicateSubmitted('L1', '2025-01-12T09:00:00Z')));
    expect(store.documents(LEAD_IDENTITIES).map((d) => d.id)).toEqual(['L1']);
    expect(leadIdentitiesProjection.eventTypes).not.toContain('LeadDuplicateSubmitted');
  });
});
