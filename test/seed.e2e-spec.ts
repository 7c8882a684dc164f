import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEAD_SOURCES, LeadConversion } from '@pipeline-ledger/domain';
import { ChainVerifier, StoredEvent } from '@pipeline-ledger/event-store';
import { isSealed } from '@pipeline-ledger/privacy';
import { ALL_PROJECTIONS, ProjectorRunner, SqliteReadModelStore } from '@pipeline-ledger/read-models';
import { loadConfig } from '../apps/api/src/config/app-config';
import { openEventStores } from '../apps/api/src/infrastructure/stores';
import { SEED_ACTOR, StoreNotEmptyError, seedDemo } from '../apps/cli/src/demo/seed';
import { cli } from './support/cli';

const LEADS = 300;
const OPTIONS = ['--leads', String(LEADS), '--seed', '42', '--start-date', '2024-01-01', '--months', '18'];


/** Every event of a store: opened (personal fields readable) and as stored (sealed: what the hash chains cover). */
async function readStore(dataDir: string): Promise<{ opened: StoredEvent[]; sealed: StoredEvent[]; lagging: string[] }> {
  const config = loadConfig({ DATA_DIR: dataDir });
  const stores = openEventStores(config);
  const readModels = new SqliteReadModelStore({ filename: config.readModelFile });
  try {
    const readAll = async (read: (after: bigint | null) => Promise<StoredEvent[]>) => {
      const all: StoredEvent[] = [];
      for (let after: bigint | null = null; ; ) {
        const page = await read(after);
        all.push(...page);
        if (page.length < 5000) return all;
        after = page[page.length - 1]!.position;
      }
    };
    const opened = await readAll((after) => stores.events.readAll({ after, maxCount: 5000 }));
    const sealed = await readAll((after) => stores.sealed.readAll({ after, maxCount: 5000 }));
    const status = await new ProjectorRunner(stores.events, readModels, ALL_PROJECTIONS, { follow: false }).status();
    const lagging = ALL_PROJECTIONS.map((p) => p.name).filter((name) => status.find((s) => s.name === name)?.lag !== '0');
    return { opened, sealed, lagging };
  } finally {
    await readModels.close();
    await stores.close();
  }
}

describe('seed: a reproducible demo in an empty store', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    dirs.push(dir);
    return dir;
  };
  let viaCli: string;
  let viaCliOut: string;
  let store: Awaited<ReturnType<typeof readStore>>;

  beforeAll(async () => {
    viaCli = newDir();
    const run = cli(viaCli, 'seed', ...OPTIONS, '--no-progress');
    viaCliOut = run.out;
    expect({ status: run.status, out: run.out }).toMatchObject({ status: 0 });
    store = await readStore(viaCli);
  }, 60_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('creates exactly the leads asked for, from every source, and says what it made', () => {
    const leads = store.opened.filter((e) => e.type === 'LeadCreated');
    expect(leads).toHaveLength(LEADS);
    expect(new Set(leads.map((e) => e.data['source']))).toEqual(new Set(LEAD_SOURCES));
    expect(viaCliOut).toMatch(/leads {10}300: converted \d+/);
    expect(viaCliOut).toMatch(/opportunities {2}\d+: won \d+, lost \d+, open \d+/);
    expect(viaCliOut).toContain(`seeded ${store.opened.length.toLocaleString('en-US')} events`);
    expect(store.opened.every((e) => e.metadata.actor === SEED_ACTOR)).toBe(true);
    const times = store.opened.map((e) => Date.parse(e.metadata.occurredAt));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00Z'));
    expect(Math.max(...times)).toBeLessThan(Date.parse('2025-07-01T00:00:00Z'));
  });

  it('works the leads in plausible proportions: contacted, nurtured, disqualified, converted', () => {
    const count = (type: string) => store.opened.filter((e) => e.type === type).length;
    const conversions = store.opened.filter((e) => e.type === 'LeadConverted');
    const perLead = (n: number) => n / LEADS;
    expect(perLead(new Set(store.opened.filter((e) => e.type === 'LeadContacted').map((e) => e.streamId)).size)).toBeGreaterThan(0.8);
    expect(perLead(conversions.length)).toBeGreaterThan(0.15);
    expect(perLead(conversions.length)).toBeLessThan(0.45);
    expect(perLead(new Set(store.opened.filter((e) => e.type === 'LeadDisqualified').map((e) => e.streamId)).size)).toBeGreaterThan(0.2);
    expect(perLead(count('LeadDisqualified'))).toBeLessThan(0.6);
    expect(perLead(count('LeadNurtureStarted'))).toBeGreaterThan(0.05);
    expect(perLead(count('LeadNurtureStarted'))).toBeLessThan(0.4);
    const withOpportunity = conversions.filter((e) => (e.data as unknown as LeadConversion).opportunity !== null).length;
    expect(withOpportunity / conversions.length).toBeGreaterThan(0.6);
    expect(count('AccountCreated')).toBeGreaterThan(0);
    expect(count('ContactCreated')).toBeGreaterThan(0);
  });

  it('moves opportunities through the stages to won and lost, with amounts in several currencies', () => {
    const outcome = new Map<string, string>();
    const stages = new Set<string>();
    const currencies = new Set<string>();
    for (const e of store.opened) {
      if (!e.streamId.startsWith('opportunity-')) continue;
      if (typeof e.data['stage'] === 'string') stages.add(e.data['stage']);
      if (typeof e.data['currency'] === 'string') currencies.add(e.data['currency']);
      if (e.type === 'OpportunityCreated' || e.type === 'OpportunityStageChanged' || e.type === 'OpportunityReopened') {
        outcome.set(e.streamId, e.data['isClosed'] ? (e.data['isWon'] ? 'won' : 'lost') : 'open');
      }
    }
    const share = (o: string) => [...outcome.values()].filter((x) => x === o).length / outcome.size;
    expect(outcome.size).toBeGreaterThan(LEADS * 0.15);
    expect(share('won')).toBeGreaterThan(0.1);
    expect(share('won')).toBeLessThan(0.45);
    expect(share('lost')).toBeGreaterThan(0.15);
    expect(share('lost')).toBeLessThan(0.55);
    expect(share('open')).toBeGreaterThan(0.1);
    expect(stages.size).toBeGreaterThanOrEqual(6);
    expect(currencies.size).toBeGreaterThanOrEqual(2);
  });

  it('writes as the service does: personal fields sealed, every stream hash-chained, read models caught up', () => {
    const verifier = new ChainVerifier();
    const breaks = store.sealed.map((e) => verifier.check(e)).filter((b) => b !== null);
    expect(breaks).toEqual([]);
    expect(verifier.verified).toBe(store.sealed.length);
    expect(verifier.unchained).toBe(0);

    const created = store.sealed.filter((e) => e.type === 'LeadCreated');
    expect(created.every((e) => isSealed(e.data['lastName']))).toBe(true);
    const opened = store.opened.find((e) => e.eventId === created[0]!.eventId)!;
    expect(typeof opened.data['lastName']).toBe('string');
    expect(isSealed(opened.data['lastName'])).toBe(false);

    expect(store.lagging).toEqual([]);
  });

  it('is reproducible: the same seed and window give the same events and ids', async () => {
    const again = newDir();
    const result = await seedDemo(loadConfig({ DATA_DIR: again }), { leads: LEADS, seed: 42, months: 18, startDate: new Date('2024-01-01T00:00:00Z'), readModels: false });
    expect(result.summary.leads.created).toBe(LEADS);
    expect(result.events).toBe(store.opened.length);
    const comparable = (events: StoredEvent[]) =>
      events.map(({ eventId, streamId, revision, type, schemaVersion, data, metadata }) => {
        const { hash: _hash, recordedAt: _recordedAt, ...rest } = metadata;
        return { eventId, streamId, revision, type, schemaVersion, data, metadata: rest };
      });
    const second = await readStore(again);
    expect(comparable(second.opened)).toEqual(comparable(store.opened));

    const other = newDir();
    await seedDemo(loadConfig({ DATA_DIR: other }), { leads: 20, seed: 43, months: 18, startDate: new Date('2024-01-01T00:00:00Z'), readModels: false });
    const third = await readStore(other);
    expect(third.opened.filter((e) => e.type === 'LeadCreated')).toHaveLength(20);
    expect(third.opened[0]!.eventId).not.toBe(store.opened[0]!.eventId);
  }, 30_000);

  it('refuses a store that already holds events, and says how to point at an empty one', async () => {
    const run = cli(viaCli, 'seed', '--leads', '10', '--no-progress');
    expect(run.status).toBe(1);
    expect(run.out).toContain('is not empty');
    expect(run.out).toContain('DATA_DIR');
    await expect(seedDemo(loadConfig({ DATA_DIR: viaCli }), { leads: 10 })).rejects.toBeInstanceOf(StoreNotEmptyError);
    expect((await readStore(viaCli)).opened).toHaveLength(store.opened.length);
  }, 60_000);
});
