import Database from 'better-sqlite3';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { bearer } from './support/auth';
import { adaLead, createLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

describe('Histories for auditors over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it("returns a lead's every event in order, with its envelope, what it changed and the state after it", async () => {
    const id = await createLead(t);
    await request(t.http).patch(`/leads/${id}`).set('Authorization', await bearer(['sales'], { sub: 'carol' })).set('X-Correlation-Id', 'corr-1').send({ title: 'Chief Engineer' }).expect(200);
    await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'call' }).expect(200);

    const history = await request(t.http).get(`/leads/${id}/history`).expect(200);
    expect(history.body).toMatchObject({ kind: 'lead', id, asOf: null, basis: 'recorded', total: 3, page: 1, produced: null });
    const [created, updated, contacted] = history.body.entries;
    expect(history.body.entries.map((e: { type: string; revision: number }) => [e.type, e.revision])).toEqual([
      ['LeadCreated', 0],
      ['LeadDetailsUpdated', 1],
      ['LeadContacted', 2],
    ]);
    expect(BigInt(updated.position)).toBeGreaterThan(BigInt(created.position));
    expect(updated).toMatchObject({ schemaVersion: 1, actor: 'user:carol', correlationId: 'corr-1', causationId: expect.any(String), data: { leadId: id } });
    expect(Date.parse(updated.recordedAt)).not.toBeNaN();
    expect(Date.parse(updated.occurredAt)).not.toBeNaN();
    expect(updated.changes).toEqual([{ field: 'title', from: 'CTO', to: 'Chief Engineer' }]);
    expect(updated.state).toMatchObject({ id, revision: 1, title: 'Chief Engineer', status: 'Open - Not Contacted' });
    expect(contacted.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'Open - Not Contacted', to: 'Working - Contacted' },
        { field: 'contactCount', from: 0, to: 1 },
      ]),
    );
    expect(created.changes).toEqual(expect.arrayContaining([{ field: 'lastName', from: null, to: 'Lovelace' }]));
    // The state after the last event is the lead as GET /leads/:id shows it.
    expect(history.body.state).toEqual((await request(t.http).get(`/leads/${id}`).expect(200)).body);
  });

  it('pages the entries, each still carrying the state after everything before it', async () => {
    const id = await createLead(t);
    for (let i = 0; i < 4; i++) await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'email' }).expect(200);
    const page2 = await request(t.http).get(`/leads/${id}/history?page=2&pageSize=2`).expect(200);
    expect(page2.body).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page2.body.entries.map((e: { revision: number; state: { contactCount: number } }) => [e.revision, e.state.contactCount])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    // Each page is exactly its slice of the whole history (what the first entry of a page changed included), and
    // every page answers with the state after the last event, not after the page's last.
    const whole = await request(t.http).get(`/leads/${id}/history`).expect(200);
    for (const page of [1, 2, 3]) {
      const { body } = await request(t.http).get(`/leads/${id}/history?page=${page}&pageSize=2`).expect(200);
      expect(body.entries).toEqual(whole.body.entries.slice((page - 1) * 2, page * 2));
      expect(body.state).toEqual(whole.body.state);
    }
    const beyond = await request(t.http).get(`/leads/${id}/history?page=9&pageSize=2`).expect(200);
    expect(beyond.body).toMatchObject({ total: 5, entries: [] });
    expect(beyond.body.state).toEqual(whole.body.state);
  });

  it('answers as of an instant by recorded time, or by business time; before the lead existed, 404 saying so', async () => {
    const id = await createLead(t, { ...adaLead, lastName: 'Byron' });
    const afterCreate = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    await request(t.http).post(`/leads/${id}/owner`).send({ owner: 'bob' }).expect(200);

    const then = await request(t.http).get(`/leads/${id}/history`).query({ asOf: afterCreate }).expect(200);
    expect(then.body).toMatchObject({ asOf: afterCreate, total: 1, state: { owner: 'alice', revision: 0 } });
    const now = await request(t.http).get(`/leads/${id}/history`).expect(200);
    expect(now.body.state.owner).toBe('bob');

    const before = await request(t.http).get(`/leads/${id}/history`).query({ asOf: '2000-01-01T00:00:00Z' }).expect(404);
    expect(before.body).toMatchObject({ error: 'LEAD_NOT_FOUND', message: expect.stringContaining('did not exist yet at 2000-01-01T00:00:00Z') });

    // Business time: a lead entered today for a call made last week.
    const backDated = await request(t.http).post('/leads').set('X-Occurred-At', '2026-01-05T09:00:00Z').send({ ...adaLead, lastName: 'Somerville' }).expect(201);
    const occurred = await request(t.http).get(`/leads/${backDated.body.id}/history`).query({ asOf: '2026-01-06T00:00:00Z', basis: 'occurred' }).expect(200);
    expect(occurred.body).toMatchObject({ basis: 'occurred', total: 1 });
    await request(t.http).get(`/leads/${backDated.body.id}/history`).query({ asOf: '2026-01-06T00:00:00Z' }).expect(404); // not yet recorded then
  });

  it('links a converted lead to the account, contact and opportunity it produced, whose histories read the same way', async () => {
    const id = await createLead(t, { ...adaLead, company: 'History Ltd' });
    const converted = await request(t.http).post(`/leads/${id}/convert`).send({ opportunity: { closeDate: '2027-03-31', amount: 100_000, currency: 'EUR' } }).expect(200);
    const { accountId, contactId, opportunityId } = converted.body;
    const lead = await request(t.http).get(`/leads/${id}/history`).expect(200);
    expect(lead.body.produced).toEqual({
      account: `/accounts/${accountId}/history`,
      contact: `/contacts/${contactId}/history`,
      opportunity: `/opportunities/${opportunityId}/history`,
    });
    const correlation = lead.body.entries.at(-1).correlationId;
    for (const [path, kind] of [[lead.body.produced.account, 'account'], [lead.body.produced.contact, 'contact'], [lead.body.produced.opportunity, 'opportunity']]) {
      const history = await request(t.http).get(path).expect(200);
      expect(history.body).toMatchObject({ kind, total: 1 });
      expect(history.body.entries[0].correlationId).toBe(correlation); // caused by the same request
    }
  });

  it('lists every event one request caused, across streams: a conversion', async () => {
    const id = await createLead(t, { ...adaLead, company: 'Correlated Ltd' });
    const converted = await request(t.http).post(`/leads/${id}/convert`).set('X-Correlation-Id', 'audit-conversion-1').send({ doNotCreateOpportunity: true }).expect(200);
    const { accountId, contactId } = converted.body;
    const found = await request(t.http).get('/correlations/audit-conversion-1').expect(200);
    expect(found.body.correlationId).toBe('audit-conversion-1');
    expect(found.body.events.map((e: { streamId: string; type: string }) => [e.streamId, e.type])).toEqual(
      expect.arrayContaining([
        [`lead-${id}`, 'LeadConverted'],
        [`account-${accountId}`, 'AccountCreated'],
        [`contact-${contactId}`, 'ContactCreated'],
      ]),
    );
    const positions = found.body.events.map((e: { position: string }) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    await request(t.http).get('/correlations/nothing-here').expect(404)
      .expect((r) => expect(r.body).toMatchObject({ error: 'CORRELATION_NOT_FOUND' }));
  });

  it('chains every event to the one before it, and verify finds exactly the event altered behind the service\'s back', async () => {
    const id = await createLead(t, { ...adaLead, company: 'Chained Ltd' });
    await request(t.http).patch(`/leads/${id}`).send({ title: 'Chief Engineer' }).expect(200);
    await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'call' }).expect(200);
    await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'email' }).expect(200);
    const clean = await request(t.http).get(`/leads/${id}/verify`).expect(200);
    expect(clean.body).toEqual({ streamId: `lead-${id}`, ok: true, events: 4, verified: 4, unchained: 0, firstBroken: null });

    // Someone with the database file changes the title recorded in revision 1.
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    try {
      const changed = db
        .prepare(`UPDATE events SET data = json_set(data, '$.changes.title', 'Nobody') WHERE stream_id = ? AND revision = 1`)
        .run(`lead-${id}`).changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
    const tampered = await request(t.http).get(`/leads/${id}/verify`).expect(200);
    expect(tampered.body).toMatchObject({ ok: false, events: 4, verified: 1, firstBroken: { revision: 1, type: 'LeadDetailsUpdated' } });
    expect(tampered.body.firstBroken.expectedHash).not.toBe(tampered.body.firstBroken.storedHash);

    // Every record kind verifies the same way.
    const converted = await request(t.http).post(`/leads/${await createLead(t, { ...adaLead, company: 'Also Chained' })}/convert`).send({ doNotCreateOpportunity: true }).expect(200);
    await request(t.http).get(`/accounts/${converted.body.accountId}/verify`).expect(200).expect((r) => expect(r.body).toMatchObject({ ok: true, verified: 1 }));
    await request(t.http).get(`/contacts/${converted.body.contactId}/verify`).expect(200).expect((r) => expect(r.body).toMatchObject({ ok: true, verified: 1 }));
    await request(t.http).get('/leads/00000000-0000-4000-8000-000000000000/verify').expect(404);
  });

  it('exports the whole history as CSV for spreadsheets, quoting what needs it', async () => {
    const id = await createLead(t, { ...adaLead, company: 'Comma, Quote "and" Co' });
    await request(t.http).patch(`/leads/${id}`).send({ title: 'Head of R&D, Europe' }).expect(200);
    const csv = await request(t.http).get(`/leads/${id}/history`).query({ format: 'csv', pageSize: 1 }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="lead-${id}-history.csv"`);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r['revision'], r['type']])).toEqual([
      ['0', 'LeadCreated'],
      ['1', 'LeadDetailsUpdated'],
    ]); // the whole history, whatever pageSize says
    expect(JSON.parse(rows[0]!['data']!)).toMatchObject({ leadId: id, company: 'Comma, Quote "and" Co' });
    expect(rows[1]!['changes']).toBe('title: "CTO" -> "Head of R&D, Europe"');
    expect(Object.keys(rows[0]!)).toEqual(['position', 'revision', 'type', 'schemaVersion', 'occurredAt', 'recordedAt', 'actor', 'correlationId', 'causationId', 'changes', 'data']);
    await request(t.http).get(`/leads/${id}/history`).query({ format: 'xml' }).expect(400);
  });

  it('refuses bad parameters with 400 naming them, and an unknown record with 404', async () => {
    const id = await createLead(t);
    const bad = await request(t.http).get(`/leads/${id}/history`).query({ asOf: 'yesterday', basis: 'whenever', page: 0, pageSize: 10_000, extra: 1 }).expect(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['asOf', 'basis', 'page', 'pageSize', 'query']);
    await request(t.http).get('/leads/00000000-0000-4000-8000-000000000000/history').expect(404);
    await request(t.http).get('/opportunities/00000000-0000-4000-8000-000000000000/history').expect(404);
    await request(t.http).get('/leads/not-a-uuid/history').expect(400);
  });
});
