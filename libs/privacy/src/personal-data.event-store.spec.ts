import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASED } from '@pipeline-ledger/domain';
import { NewEvent, SqliteEventStore } from '@pipeline-ledger/event-store';
import { describeEventStoreContract } from '@pipeline-ledger/event-store/event-store.contract';
import { DataKeyring } from './data-keyring';
import { isSealed } from './field-cipher';
import { MasterKey } from './master-key';
import { DataKeyMissingError, PersonalDataErasedError, PersonalDataProtector, keyIdsOf } from './personal-data-protector';
import { PersonalDataEventStore } from './personal-data.event-store';
import { SqliteDataKeyStore } from './sqlite.data-key-store';

interface World {
  dir: string;
  sealed: SqliteEventStore;
  keys: SqliteDataKeyStore;
  master: MasterKey;
  protector: PersonalDataProtector;
  store: PersonalDataEventStore;
  cleanup(): Promise<void>;
}

function world(options: { dir?: string; master?: MasterKey } = {}): World {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pl-pii-'));
  const sealed = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const keys = new SqliteDataKeyStore({ filename: join(dir, 'events.sqlite'), ownFsync: false }); // as configured by default
  const master = options.master ?? MasterKey.random();
  const protector = new PersonalDataProtector(new DataKeyring(keys, master));
  const store = new PersonalDataEventStore(sealed, protector);
  return {
    dir,
    sealed,
    keys,
    master,
    protector,
    store,
    cleanup: async () => {
      await store.close();
      await keys.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The decorator is an EventStore like any other: the same contract holds through it (its events carry no personal data).
describeEventStoreContract('PersonalDataEventStore over SqliteEventStore', async () => world());

const meta = { actor: 'alice', correlationId: 'c1', causationId: null, occurredAt: '2026-11-23T09:00:00.000Z' };
const leadCreated = (leadId: string, personal: Record<string, string | null>): NewEvent => ({
  eventId: randomUUID(),
  type: 'LeadCreated',
  schemaVersion: 1,
  data: { leadId, ...personal, company: 'Engines', source: 'Web Form', owner: 'alice' },
  metadata: meta,
});
const ADA = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null };

/** As the erasure service does: the keys the lead's stored events name, and the lead recorded as erased. */
async function eraseLead(w: World, lead: string): Promise<void> {
  await w.protector.erase([lead], keyIdsOf(await w.sealed.readStream(`lead-${lead}`)), '2026-11-23T10:00:00.000Z');
}

describe('PersonalDataEventStore and its protector', () => {
  let w: World;
  beforeEach(() => (w = world()));
  afterEach(async () => w.cleanup());

  it('stores personal fields sealed (null stays null, other fields as they are) and reads them back whole', async () => {
    const lead = randomUUID();
    await w.store.appendToStream(`lead-${lead}`, [leadCreated(lead, ADA)], { expectedRevision: 'no_stream' });
    const [raw] = await w.sealed.readStream(`lead-${lead}`);
    expect(isSealed(raw.data['firstName'])).toBe(true);
    expect(isSealed(raw.data['lastName'])).toBe(true);
    expect(isSealed(raw.data['email'])).toBe(true);
    expect(raw.data['phone']).toBeNull();
    expect(raw.data['company']).toBe('Engines');
    expect(JSON.stringify(raw.data)).not.toMatch(/Ada|Lovelace|ada@example/);
    const [read] = await w.store.readStream(`lead-${lead}`);
    expect(read.data).toEqual(leadCreated(lead, ADA).data);
    expect((await w.store.readAll())[0].data).toEqual(read.data);
  });

  it('seals the nested personal fields of every event type that has them', async () => {
    const lead = randomUUID();
    const contact = randomUUID();
    const events: Array<[string, NewEvent, string[]]> = [
      [`lead-${lead}`, { ...leadCreated(lead, ADA), type: 'LeadDetailsUpdated', data: { leadId: lead, changes: { email: 'new@example.com', title: 'CTO' } } }, ['changes', 'email']],
      [`lead-${lead}`, { ...leadCreated(lead, ADA), type: 'LeadConverted', data: { leadId: lead, contact: { contactId: contact, lastName: 'Lovelace', phone: '+44 1' } } }, ['contact', 'phone']],
      [`contact-${contact}`, { ...leadCreated(lead, ADA), type: 'ContactCreated', data: { contactId: contact, lastName: 'Lovelace', email: null } }, ['lastName']],
      [`contact-${contact}`, { ...leadCreated(lead, ADA), type: 'ContactMergedFromLead', data: { contactId: contact, leadId: lead, filled: { firstName: 'Ada' } } }, ['filled', 'firstName']],
    ];
    for (const [stream, event, path] of events) {
      await w.store.appendToStream(stream, [event], { expectedRevision: 'any' });
      const raw = (await w.sealed.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
      const at = (data: unknown) => path.reduce((v: unknown, k) => (v as Record<string, unknown>)[k], data);
      expect(isSealed(at(raw.data))).toBe(true);
      const read = (await w.store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
      expect(read.data).toEqual(event.data);
    }
  });

  it('reads an erased subject as "[erased]" everywhere (stream, global stream, subscription), and refuses new personal data for it', async () => {
    const lead = randomUUID();
    const other = randomUUID();
    await w.store.appendToStream(`lead-${lead}`, [leadCreated(lead, ADA)], { expectedRevision: 'no_stream' });
    await w.store.appendToStream(`lead-${other}`, [leadCreated(other, ADA)], { expectedRevision: 'no_stream' });
    await eraseLead(w, lead);
    const [read] = await w.store.readStream(`lead-${lead}`);
    expect(read.data).toMatchObject({ firstName: ERASED, lastName: ERASED, email: ERASED, phone: null, company: 'Engines' });
    const all = await w.store.readAll();
    expect(all.map((e) => e.data['firstName'])).toEqual([ERASED, 'Ada']);
    const seen: unknown[] = [];
    for await (const event of w.store.subscribeToAll({ signal: AbortSignal.timeout(2000) })) {
      seen.push(event.data['email']);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([ERASED, 'ada@example.com']);
    await expect(w.store.appendToStream(`lead-${lead}`, [leadCreated(lead, ADA)], { expectedRevision: 'any' })).rejects.toThrow(PersonalDataErasedError);
  });

  it('forgets a key it had cached when it reads the erasure event another process wrote', async () => {
    const lead = randomUUID();
    await w.store.appendToStream(`lead-${lead}`, [leadCreated(lead, ADA)], { expectedRevision: 'no_stream' });
    const replica = world({ dir: w.dir, master: w.master }); // another process on the same files
    try {
      expect((await replica.store.readStream(`lead-${lead}`))[0].data['firstName']).toBe('Ada'); // now cached there
      await eraseLead(w, lead);
      await w.store.appendToStream(`lead-${lead}`, [{ ...leadCreated(lead, ADA), type: 'LeadPersonalDataErased', data: { leadId: lead, erasedAt: '2026-11-23T10:00:00.000Z' } }], { expectedRevision: 0 });
      const events = await replica.store.readStream(`lead-${lead}`);
      expect(events.map((e) => e.type)).toEqual(['LeadCreated', 'LeadPersonalDataErased']);
      expect(events[0].data['firstName']).toBe(ERASED);
    } finally {
      await replica.cleanup();
    }
  });

  it('reads plaintext written before encryption as it is, and as "[erased]" once its subject is erased', async () => {
    const lead = randomUUID();
    await w.sealed.appendToStream(`lead-${lead}`, [leadCreated(lead, ADA)], { expectedRevision: 'no_stream' });
    expect((await w.store.readStream(`lead-${lead}`))[0].data['email']).toBe('ada@example.com');
    await eraseLead(w, lead);
    expect((await w.store.readStream(`lead-${lead}`))[0].data['email']).toBe(ERASED);
  });

  it('fails loudly when a sealed field has no key (a lost or replaced key store), rather than hiding it', async () => {
    const lead = randomUUID();
    await w.store.appendToStream(`lead-${lead}`, [leadCreated(lead, ADA)], { expectedRevision: 'no_stream' });
    const [raw] = await w.sealed.readStream(`lead-${lead}`);
    const stranger = world(); // same events, another (empty) key store
    try {
      await stranger.sealed.appendToStream(`lead-${lead}`, [{ ...raw, eventId: randomUUID(), metadata: meta }], { expectedRevision: 'no_stream' });
      await expect(stranger.store.readStream(`lead-${lead}`)).rejects.toThrow(DataKeyMissingError);
    } finally {
      await stranger.cleanup();
    }
  });

  it('keeps one key per person while it remembers them, takes a new one per new person, and stores none of them per command', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await w.store.appendToStream(`lead-${a}`, [leadCreated(a, ADA), { ...leadCreated(a, ADA), type: 'LeadDetailsUpdated', data: { leadId: a, changes: { email: 'new@example.com' } } }], { expectedRevision: 'no_stream' });
    await w.store.appendToStream(`lead-${b}`, [leadCreated(b, ADA)], { expectedRevision: 'no_stream' });
    const idsOfA = keyIdsOf(await w.sealed.readStream(`lead-${a}`));
    const idsOfB = keyIdsOf(await w.sealed.readStream(`lead-${b}`));
    expect(idsOfA).toHaveLength(1);
    expect(idsOfB).toHaveLength(1);
    expect(idsOfA[0]).not.toBe(idsOfB[0]);
    // Erasing one person deletes their key only.
    await eraseLead(w, a);
    expect((await w.store.readStream(`lead-${a}`)).map((e) => e.data['email'] ?? (e.data['changes'] as Record<string, unknown>)['email'])).toEqual([ERASED, ERASED]);
    expect((await w.store.readStream(`lead-${b}`))[0].data['email']).toBe('ada@example.com');
  });

  it('leaves events without personal data untouched (the same objects)', async () => {
    const events = [{ type: 'OpportunityStageChanged', data: { opportunityId: 'o1', stage: 'Prospecting' } }];
    expect(await w.protector.seal(events)).toEqual(events);
    expect((await w.protector.unseal(events))[0]).toBe(events[0]);
  });
});
