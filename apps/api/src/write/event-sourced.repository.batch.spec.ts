import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateLead, DomainError, LeadState, LogLeadContact, streamIdFor } from '@pipeline-ledger/domain';
import { EventStore, StreamAppend, StreamAppendOutcome, verifyChain } from '@pipeline-ledger/event-store';
import { DETAILS } from '../../../../libs/domain/src/testing/lead.fixtures';
import { loadConfig } from '../config/app-config';
import { EventStores, openEventStores } from '../infrastructure/stores';
import { CommandContext } from './command-context';
import { BatchCommand, BatchCommandResult, EventSourcedRepository } from './event-sourced.repository';
import { DEFAULT_RECORDS } from './record-types';

const records = DEFAULT_RECORDS;
const AT = '2025-03-01T09:00:00.000Z';

const ctx = (seed?: string): CommandContext => ({ actor: 'import', correlationId: 'c-1', causationId: null, occurredAt: AT, ...(seed ? { eventIdSeed: seed } : {}) });
const createLead = (leadId: string, lastName = 'Lovelace'): BatchCommand => ({
  record: records.lead,
  id: leadId,
  command: { type: 'CreateLead', leadId, at: AT, owner: 'alice', details: { ...DETAILS, lastName } } satisfies CreateLead,
  ctx: ctx(`lead-${leadId}|test`),
});
const logContact = (leadId: string): BatchCommand => ({
  record: records.lead,
  id: leadId,
  command: { type: 'LogLeadContact', leadId, at: AT, channel: 'call', note: null } satisfies LogLeadContact,
  ctx: ctx(),
});
const errorOf = (result: BatchCommandResult | undefined): DomainError => {
  if (!result || result.ok) throw new Error('expected a refusal');
  return result.error as DomainError;
};
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('EventSourcedRepository.executeBatch', () => {
  let dir: string;
  let stores: EventStores;
  let repository: EventSourcedRepository;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-batch-'));
    stores = openEventStores(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error' }));
    repository = new EventSourcedRepository(stores.events, stores.protector);
  });
  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides every command with its decider and answers one result per command, in order; a refusal stops none of the others', async () => {
    const [a, b, c] = [uuid(1), uuid(2), uuid(3)];
    const results = await repository.executeBatch([createLead(a), logContact(b), createLead(c, '')]);

    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    expect(results[0]).toMatchObject({ ok: true, outcome: { id: a, revision: 0, appended: ['LeadCreated'], replayed: false } });
    expect(errorOf(results[1])).toBeInstanceOf(DomainError); // no such lead
    expect(errorOf(results[1]).kind).toBe('not_found');
    expect(errorOf(results[2]).kind).toBe('validation'); // a blank last name
    expect(await stores.events.readStream(streamIdFor('lead', a))).toHaveLength(1);
    expect(await stores.events.readStream(streamIdFor('lead', b))).toHaveLength(0);
    expect(await stores.events.readStream(streamIdFor('lead', c))).toHaveLength(0);
  });

  it('decides commands on the same record in order, each on the state the ones before it left', async () => {
    const a = uuid(1);
    const results = await repository.executeBatch([logContact(a), createLead(a), logContact(a), createLead(a)]);

    expect(results.map((r) => r.ok)).toEqual([false, true, true, false]);
    expect(results[2]).toMatchObject({ ok: true, outcome: { revision: 1, appended: ['LeadContacted'] } });
    expect(errorOf(results[3]).kind).toBe('rule'); // it exists by then
    const loaded = await repository.load(records.lead, a);
    expect(loaded.revision).toBe(1);
    expect((loaded.state as LeadState).status).toBe('Working - Contacted');
  });

  it('writes what execute writes: personal fields sealed at rest, every stream hash-chained', async () => {
    const [a, b] = [uuid(1), uuid(2)];
    await repository.executeBatch([createLead(a), createLead(b), logContact(a)]);

    for (const id of [a, b]) {
      const stored = await stores.sealed.readStream(streamIdFor('lead', id));
      expect(verifyChain(stored)).toMatchObject({ ok: true, unchained: 0 });
      expect(String(stored[0]!.data['lastName'])).toMatch(/^pl:enc:/);
    }
    expect((await stores.events.readStream(streamIdFor('lead', a)))[0]!.data['lastName']).toBe('Lovelace');
  });

  it('is idempotent by eventIdSeed: the same batch again writes nothing and answers replayed', async () => {
    const batch = [createLead(uuid(1)), createLead(uuid(2))];
    await repository.executeBatch(batch);
    const head = await stores.events.headPosition();

    const again = await repository.executeBatch(batch);

    expect(again).toEqual([
      { ok: true, outcome: expect.objectContaining({ replayed: true, appended: [] }) },
      { ok: true, outcome: expect.objectContaining({ replayed: true, appended: [] }) },
    ]);
    expect(await stores.events.headPosition()).toBe(head);
  });

  it("fails alone a command whose personal fields cannot be sealed (its person erased meanwhile), and writes the others", async () => {
    const [erased, other] = [uuid(1), uuid(2)];
    await stores.protector.erase([erased], [], AT); // the person's keys gone, before the lead's erasure event reaches the decider
    const results = await repository.executeBatch([createLead(erased), createLead(other)]);

    expect(results[0]).toMatchObject({ ok: false, error: expect.objectContaining({ message: expect.stringMatching(/erased/) }) });
    expect(results[1]).toMatchObject({ ok: true, outcome: { appended: ['LeadCreated'] } });
    expect(await stores.events.readStream(streamIdFor('lead', erased))).toHaveLength(0);
    expect(await stores.events.readStream(streamIdFor('lead', other))).toHaveLength(1);
  });

  it('with assumeNew, does not read the stream, and decides again on the record as it is when it exists after all', async () => {
    const [existing, fresh] = [uuid(1), uuid(2)];
    await repository.executeBatch([createLead(existing)]);
    const readStreams = jest.spyOn(stores.events, 'readStreams');

    const results = await repository.executeBatch([
      { ...createLead(existing), assumeNew: true }, // the same command again: found as an earlier run
      { ...createLead(fresh), assumeNew: true },
      { ...logContact(existing), assumeNew: true }, // decided on the empty state, refused by the store, decided again
    ]);

    expect(readStreams).toHaveBeenCalledTimes(0);
    expect(results[0]).toMatchObject({ ok: true, outcome: { replayed: true } });
    expect(results[1]).toMatchObject({ ok: true, outcome: { appended: ['LeadCreated'], revision: 0 } });
    expect(results[2]).toMatchObject({ ok: true, outcome: { appended: ['LeadContacted'], revision: 1 } });
    expect((await stores.events.readStream(streamIdFor('lead', existing))).map((e) => e.type)).toEqual(['LeadCreated', 'LeadContacted']);
  });

  it('refuses with 404 a command whose referenced record does not exist, and accepts it once the record does', async () => {
    const accountId = uuid(7);
    const opportunity = (id: string): BatchCommand => ({
      record: records.opportunity,
      id,
      command: { type: 'CreateOpportunity', opportunityId: id, at: AT, accountId, name: 'Engines', stage: null, closeDate: '2025-06-30', amount: 100, currency: 'USD', owner: 'alice', source: null, leadId: null },
      ctx: ctx(),
    });
    const [refused] = await repository.executeBatch([opportunity(uuid(8))]);
    expect(refused).toMatchObject({ ok: false, error: expect.objectContaining({ kind: 'not_found' }) });

    await repository.executeBatch([
      { record: records.account, id: accountId, command: { type: 'CreateAccount', accountId, at: AT, details: { name: 'Engines', industry: null, website: null, phone: null, billingCountry: null }, owner: 'alice', source: null, leadId: null }, ctx: ctx() },
    ]);
    const [accepted] = await repository.executeBatch([opportunity(uuid(9))]);
    expect(accepted).toMatchObject({ ok: true, outcome: { appended: ['OpportunityCreated'] } });
  });

  it('decides again, one by one, the commands of a stream that moved under the batch', async () => {
    const a = uuid(1);
    await repository.executeBatch([createLead(a)]);
    // Another writer appends to the lead between the batch's load and its append.
    const racing = new EventSourcedRepository(stores.events, stores.protector);
    const store = stores.events as EventStore;
    const original = store.appendToStreams.bind(store);
    let raced = false;
    jest.spyOn(store, 'appendToStreams').mockImplementation(async (appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> => {
      if (!raced) {
        raced = true;
        await racing.execute(records.lead, a, logContact(a).command, ctx());
      }
      return original(appends);
    });

    const [result] = await repository.executeBatch([logContact(a)]);

    expect(result).toMatchObject({ ok: true, outcome: { revision: 2, appended: ['LeadContacted'] } });
    expect((await stores.events.readStream(streamIdFor('lead', a))).map((e) => e.type)).toEqual(['LeadCreated', 'LeadContacted', 'LeadContacted']);
  });
});
