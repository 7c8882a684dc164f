import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../apps/api/src/config/app-config';
import { ImportReport } from '../apps/api/src/import/import-report';
import { ImportModule } from '../apps/api/src/import/import.module';
import { LeadImporter, LeadImportOptions } from '../apps/api/src/import/lead-import';
import { OpportunityImporter, OpportunityImportOptions, UNRECORDED_LOSS_REASON } from '../apps/api/src/import/opportunity-import';
import { adaLead, createLead, headPosition } from './support/fixtures';
import { eventually } from './support/eventually';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { cli } from './support/cli';

const BOM = '\uFEFF';

/**
 * CSV imports end to end: the service runs (its projector keeps the read models), and imports write to the same
 * DATA_DIR as the CLI does (an ImportModule application context; one test runs the CLI itself).
 */
describe('CSV import', () => {
  // Each lead import starts its row worker thread, which compiles its TypeScript on the fly under jest (a second or
  // two, more on a busy machine): a test with two imports can pass jest's default 5 s without anything being wrong.
  jest.setTimeout(30_000);
  let t: TestApp;
  let importer: INestApplicationContext;
  const file = (name: string, content: string | Buffer) => {
    const path = join(t.dataDir, name);
    writeFileSync(path, content);
    return path;
  };
  const importLeads = (path: string, options: LeadImportOptions = {}): Promise<ImportReport> => importer.get(LeadImporter).import(path, options);
  const importOpportunities = (path: string, options: OpportunityImportOptions = {}): Promise<ImportReport> => importer.get(OpportunityImporter).import(path, options);
  /** The leads list's ids by last name, once the projector has caught up. */
  const leadsNamed = async (lastName: string) => {
    const res = await request(t.http).get('/leads').query({ q: lastName, pageSize: 100 }).expect(200);
    return (res.body.items as Array<{ id: string; lastName: string }>).filter((l) => l.lastName === lastName);
  };

  beforeAll(async () => {
    t = await startTestApp();
    importer = await NestFactory.createApplicationContext(ImportModule.forRoot(loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'error' })), { logger: false });
  });
  afterAll(async () => {
    await importer.close();
    await t.close();
    removeDir(t.dataDir);
  });

  describe('leads', () => {
    let existingLeadId: string;
    let report: ImportReport;
    // CRLF line ends, a byte-order mark, quoted commas and a quoted line break, headers as another CRM names them.
    const csv = [
      'First Name,Last Name,Company,E-Mail,Phone,Lead Source,Title,Created Date',
      'Grace,Hopper,"Navy, United States",grace@navy.example,+1 202 555 0100,Referral,"Rear Admiral,\nretired",2025-03-01',
      'Alan,Turing,Bletchley Park,alan@bletchley.example,,Webinar,,2025-04-02T10:00:00+01:00',
      'Katherine,Johnson,NASA,not-an-email,,Referral,,',
      'KATHERINE,JOHNSON,nasa,katherine@nasa.example,,,,', // the same name and company as the row before: but that one was rejected
      'Dorothy,Vaughan,NASA,alan@bletchley.example,,,,', // the same email as line 4 (Turing)
      'Ada,Lovelace,Analytical Engines Ltd,ADA@EXAMPLE.COM,,,,', // the same email as the lead that exists already
      'Margaret,Hamilton,MIT,margaret@mit.example,,Carrier Pigeon,,',
      'Edsger,Dijkstra,Eindhoven,edsger@tue.example,,,,2999-01-01',
      'Too,Many,Cells,x@y.example,,,,,extra',
      'Barbara,Liskov,MIT,barbara@mit.example,,Partner,,',
    ].join('\r\n');

    beforeAll(async () => {
      existingLeadId = await createLead(t, adaLead);
      report = await importLeads(file('leads.csv', BOM + csv + '\r\n'), { owner: 'olivia' });
    });

    it('imports the good rows and reports the others with their line and reason', () => {
      expect(report).toMatchObject({ rows: 10, imported: 4, alreadyImported: 0, duplicates: 2, rejected: 4, dryRun: false, events: 4 });
      // Lines of the file: Hopper's quoted title holds a line break, so the rows after it start a line further down.
      expect(report.problems.map((p) => [p.line, p.outcome])).toEqual([
        [5, 'rejected'],
        [7, 'duplicate'],
        [8, 'duplicate'],
        [9, 'rejected'],
        [10, 'rejected'],
        [11, 'rejected'],
      ]);
      const reason = (line: number) => report.problems.find((p) => p.line === line)!.reason;
      expect(reason(5)).toBe('email: must be an email address, e.g. ada@example.com');
      expect(reason(7)).toBe('same email as line 4');
      expect(reason(8)).toBe(`same email as lead ${existingLeadId}`);
      expect(report.problems.find((p) => p.line === 8)!.leadId).toBe(existingLeadId);
      expect(reason(9)).toMatch(/^source: must be one of: Web Form, .* \(a mapping file can translate others\)$/);
      expect(reason(10)).toBe('createdAt: must not be in the future');
      expect(reason(11)).toMatch(/different number of cells/);
    });

    it('keeps what each row said, with its created date as business time and the default owner and source', async () => {
      await eventually(async () => expect(await leadsNamed('Hopper')).toHaveLength(1));
      const [hopper] = await leadsNamed('Hopper');
      const lead = await request(t.http).get(`/leads/${hopper!.id}`).expect(200);
      expect(lead.body).toMatchObject({
        firstName: 'Grace',
        company: 'Navy, United States',
        title: 'Rear Admiral,\nretired',
        email: 'grace@navy.example',
        source: 'Referral',
        owner: 'olivia',
        createdAt: '2025-03-01T00:00:00.000Z',
      });
      const history = await request(t.http).get(`/leads/${hopper!.id}/history`).expect(200);
      expect(history.body.entries[0]).toMatchObject({ type: 'LeadCreated', actor: 'import', occurredAt: '2025-03-01T00:00:00.000Z', correlationId: report.correlationId });
      const [liskov] = await leadsNamed('Liskov');
      expect((await request(t.http).get(`/leads/${liskov!.id}`).expect(200)).body).toMatchObject({ source: 'Partner', createdAt: expect.any(String) });
      const [turing] = await leadsNamed('Turing');
      expect((await request(t.http).get(`/leads/${turing!.id}`).expect(200)).body.createdAt).toBe('2025-04-02T09:00:00.000Z');
      expect(await leadsNamed('Vaughan')).toHaveLength(0);
    });

    it('imports nothing twice when the same file is run again, and counts the rows it had imported', async () => {
      const head = await headPosition(t);
      const again = await importLeads(join(t.dataDir, 'leads.csv'), { owner: 'olivia' });
      expect(again).toMatchObject({ rows: 10, imported: 0, alreadyImported: 4, duplicates: 2, rejected: 4, events: 0 });
      expect(await headPosition(t)).toBe(head);
      expect(await leadsNamed('Hopper')).toHaveLength(1);
    });

    it('finds duplicates among leads a projector has not applied yet (a second file right after the first)', async () => {
      const second = file('second.csv', 'first name,last name,company,email\n,Hopper-Smith,Other,GRACE@navy.example\ngrace,HOPPER,"navy,  united states",\nNew,Person,Elsewhere,new@person.example\n');
      const result = await importLeads(second, { dryRun: true });
      expect(result.problems.map((p) => [p.line, p.outcome, p.reason.replace(/lead \S+/, 'lead X')])).toEqual([
        [2, 'duplicate', 'same email as lead X'],
        [3, 'duplicate', 'same name and company as lead X'],
      ]);
      expect(result).toMatchObject({ imported: 1, dryRun: true });
    });

    it('writes nothing in a dry run', async () => {
      const head = await headPosition(t);
      const dry = await importLeads(file('dry.csv', 'Last Name,Company,Email\nCurie,Sorbonne,marie@sorbonne.example\nMeitner,KWI,lise@kwi.example\n'), { dryRun: true });
      expect(dry).toMatchObject({ rows: 2, imported: 2, rejected: 0, dryRun: true });
      expect(await headPosition(t)).toBe(head);
    });

    it('reads a Latin-1 file with --encoding latin1, and refuses its rows as not UTF-8 without it', async () => {
      const path = file('latin1.csv', Buffer.from('Last Name,Company,Email\nMüller,Zoë Ström AB,muller@strom.example\n', 'latin1'));
      const wrong = await importLeads(path, { dryRun: true });
      expect(wrong.problems).toEqual([{ line: 2, outcome: 'rejected', reason: expect.stringMatching(/is not valid UTF-8 .*--encoding latin1/) }]);
      await importLeads(path, { encoding: 'latin1' });
      await eventually(async () => expect(await leadsNamed('Müller')).toHaveLength(1));
      const [muller] = await leadsNamed('Müller');
      expect((await request(t.http).get(`/leads/${muller!.id}`).expect(200)).body.company).toBe('Zoë Ström AB');
    });

    it('maps other column names and values with a mapping file, and refuses a file without a required column', async () => {
      const mapping = file('lead-mapping.json', JSON.stringify({ columns: { Nom: 'lastName', Société: 'company', Origine: 'source', Surname: null }, values: { source: { Salon: 'Trade Show' } } }));
      const mapped = await importLeads(file('fr.csv', 'Nom,Société,Origine,Surname,Notes\nCurie,Sorbonne,Salon,x,y\n'), { mappingFile: mapping });
      expect(mapped).toMatchObject({ imported: 1, rejected: 0, ignoredColumns: ['Surname', 'Notes'] });
      await eventually(async () => expect(await leadsNamed('Curie')).toHaveLength(1));
      const [curie] = await leadsNamed('Curie');
      expect((await request(t.http).get(`/leads/${curie!.id}`).expect(200)).body).toMatchObject({ company: 'Sorbonne', source: 'Trade Show' });

      await expect(importLeads(file('no-company.csv', 'Last Name,Email\nX,x@example.com\n'))).rejects.toThrow(/no column for company \(headers found: Last Name, Email\)/);
    });
  });

  describe('opportunities with their history', () => {
    let navyId: string;
    let report: ImportReport;
    const mapping = { values: { stage: { Demo: 'Needs Analysis', Proposal: 'Proposal/Price Quote', Won: 'Closed Won', Lost: 'Closed Lost' } } };
    const csv = [
      'Deal ID,Deal Name,Account Name,Owner,Stage,Created Date,Close Date,Amount,Currency,Loss Reason',
      'D-1,Engines,Analytical Engines,alice,Won,2025-01-10,2025-02-20,"12,500.00",USD,',
      'D-2,Compilers,navy,bob,Lost,2025-01-15,2025-03-01,8000,EUR,Price',
      'D-3,Spares,analytical  ENGINES,alice,Won,2025-02-01,2025-03-15,500,USD,',
      'D-4,Lamps,Acme,bob,Lost,2025-04-01,2025-05-10,300,USD,',
      'D-5,Boilers,Acme,alice,Won,2025-04-05,2025-06-30,1000,,',
      'D-6,Pumps,Acme,bob,Demo,2025-05-01,2030-01-31,"2,000",USD,',
      'D-7,Valves,Navy,alice,Proposal,2025-06-01,2030-03-31,4000.50,USD,',
      'D-8,No dates,Acme,bob,Won,,,100,USD,',
      'D-9,Backwards,Acme,bob,Won,2025-03-01,2025-02-01,100,USD,',
      'D-10,Unknown stage,Acme,bob,Negotiating hard,2025-03-01,2025-04-01,100,USD,',
      'D-11,Fractions,Acme,bob,Won,2025-03-01,2025-04-01,12.345,USD,',
      'D-1,Engines again,Analytical Engines,alice,Won,2025-01-10,2025-02-20,1,USD,',
    ].join('\n');
    const winRate = (query: Record<string, string>) => request(t.http).get('/analytics/win-rate').query(query).expect(200);

    beforeAll(async () => {
      navyId = (await request(t.http).post('/accounts').send({ name: 'Navy' }).expect(201)).body.id;
      report = await importOpportunities(file('deals.csv', csv), { mappingFile: file('deal-mapping.json', JSON.stringify(mapping)) });
    });

    it('imports the good rows, rejects rows with a stage but no dates, a close date before the open date, an unknown stage or an amount finer than the currency', () => {
      expect(report).toMatchObject({ rows: 12, imported: 7, duplicates: 1, rejected: 4 });
      // 2 accounts (Navy exists) + 7 created + 5 closed
      expect(report.events).toBe(14);
      const reason = (line: number) => report.problems.find((p) => p.line === line)?.reason;
      expect(reason(9)).toMatch(/^openedAt: is required: a deal in stage "Closed Won" needs the date it was opened; closeDate: is required/);
      expect(reason(10)).toBe('closeDate: 2025-02-01 is before the date it was opened (2025-03-01)');
      expect(reason(11)).toMatch(/^stage: "Negotiating hard" is not one of our stages \(Prospecting, .*\); map it in a mapping file/);
      expect(reason(12)).toBe('amount: "12.345" has more decimals than USD has (2)');
      expect(reason(13)).toBe('same id (D-1) as line 2');
    });

    it('gives win rates by quarter of the close dates, as computed by hand', async () => {
      await eventually(async () => {
        const q1 = await winRate({ from: '2025-01-01', to: '2025-03-31' });
        expect(q1.body.total).toEqual({ won: 2, lost: 1, closed: 3, winRate: 0.6667 });
        expect(q1.body.freshness.lag).toBe('0');
      });
      expect((await winRate({ from: '2025-04-01', to: '2025-06-30' })).body.total).toEqual({ won: 1, lost: 1, closed: 2, winRate: 0.5 });
      const byOwner = await winRate({ from: '2025-01-01', to: '2025-12-31', groupBy: 'owner' });
      expect(byOwner.body.groups).toEqual([
        { group: { owner: 'alice' }, won: 3, lost: 0, closed: 3, winRate: 1 },
        { group: { owner: 'bob' }, won: 0, lost: 2, closed: 2, winRate: 0 },
      ]);
    });

    it('counts them on the import day with timeBasis=recorded, not in 2025', async () => {
      const today = new Date().toISOString().slice(0, 10);
      expect((await winRate({ from: '2025-01-01', to: '2025-12-31', timeBasis: 'recorded' })).body.total.closed).toBe(0);
      expect((await winRate({ from: today, to: today, timeBasis: 'recorded' })).body.total).toMatchObject({ won: 3, lost: 2 });
    });

    it('gives the pipeline by stage and the closed totals, in minor units per currency, as computed by hand', async () => {
      const pipeline = (await request(t.http).get('/analytics/pipeline').expect(200)).body;
      const stage = (name: string) => pipeline.stages.find((s: { stage: string }) => s.stage === name);
      expect(stage('Needs Analysis')).toMatchObject({ count: 1, byCurrency: [expect.objectContaining({ currency: 'USD', amount: 200_000 })] });
      expect(stage('Proposal/Price Quote')).toMatchObject({ count: 1, byCurrency: [expect.objectContaining({ currency: 'USD', amount: 400_050 })] });
      expect(pipeline.open).toMatchObject({ count: 2, byCurrency: [expect.objectContaining({ currency: 'USD', amount: 600_050 })] });
      expect(pipeline.closedWon).toMatchObject({ count: 3, byCurrency: [expect.objectContaining({ currency: 'USD', amount: 1_250_000 + 50_000 + 100_000 })] });
      expect(pipeline.closedLost.count).toBe(2);
      expect(pipeline.closedLost.byCurrency.map((c: { currency: string; amount: number }) => [c.currency, c.amount])).toEqual([
        ['EUR', 800_000],
        ['USD', 30_000],
      ]);
    });

    it('matches accounts by name (case, accents and spacing aside), creating the others once, on the first deal\'s date', async () => {
      const list = (await request(t.http).get('/opportunities').query({ pageSize: 100 }).expect(200)).body.items as Array<{ name: string; accountId: string }>;
      const accountOf = (name: string) => list.find((o) => o.name === name)!.accountId;
      expect(accountOf('Compilers')).toBe(navyId);
      expect(accountOf('Valves')).toBe(navyId);
      expect(accountOf('Engines')).toBe(accountOf('Spares'));
      expect(new Set([accountOf('Lamps'), accountOf('Boilers'), accountOf('Pumps')]).size).toBe(1);
      const engines = (await request(t.http).get(`/accounts/${accountOf('Engines')}`).expect(200)).body;
      expect(engines).toMatchObject({ name: 'Analytical Engines', owner: 'alice', createdAt: '2025-01-10T00:00:00.000Z' });
    });

    it("writes each deal's history on its own dates, a lost deal without a reason with the stated placeholder", async () => {
      const list = (await request(t.http).get('/opportunities').query({ pageSize: 100 }).expect(200)).body.items as Array<{ id: string; name: string }>;
      const lamps = list.find((o) => o.name === 'Lamps')!;
      const history = (await request(t.http).get(`/opportunities/${lamps.id}/history`).expect(200)).body.entries;
      expect(history.map((e: { type: string; occurredAt: string }) => [e.type, e.occurredAt])).toEqual([
        ['OpportunityCreated', '2025-04-01T00:00:00.000Z'],
        ['OpportunityStageChanged', '2025-05-10T00:00:00.000Z'],
      ]);
      expect((await request(t.http).get(`/opportunities/${lamps.id}`).expect(200)).body).toMatchObject({ stage: 'Closed Lost', lossReason: UNRECORDED_LOSS_REASON });
    });

    it('imports nothing twice when the same file is run again', async () => {
      const head = await headPosition(t);
      const again = await importOpportunities(join(t.dataDir, 'deals.csv'), { mappingFile: join(t.dataDir, 'deal-mapping.json') });
      expect(again).toMatchObject({ imported: 0, alreadyImported: 7, events: 0 });
      expect(await headPosition(t)).toBe(head);
    });
  });

  describe('the command line', () => {
    it('prints the summary and the problem rows, writes the report file, and exits 2 when the file cannot be imported at all', () => {
      const path = file('cli.csv', 'Last Name,Company,Email\nNoether,Göttingen,emmy@goettingen.example\nBad,Row,nope\n');
      const reportFile = join(t.dataDir, 'cli-report.csv');
      const run = cli(t.dataDir, 'import', 'leads', path, '--no-progress', '--report', reportFile, '--dry-run');
      expect(run.status).toBe(0);
      expect(run.out).toContain('dry run (nothing written): 2 rows');
      expect(run.out).toContain('would import: 1 leads');
      expect(run.out).toContain('line 3: rejected: email: must be an email address');
      expect(readFileSync(reportFile, 'utf8')).toBe('line,outcome,reason,leadId\n3,rejected,"email: must be an email address, e.g. ada@example.com",\n');

      const missing = cli(t.dataDir, 'import', 'opportunities', join(t.dataDir, 'nope.csv'), '--no-progress');
      expect(missing.status).toBe(2);
      expect(missing.out).toContain('nothing imported: cannot read');
    });
  });
});

