import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { REDACTED } from '@pipeline-ledger/domain';
import { bearer } from './support/auth';
import { eventually } from './support/eventually';
import { adaLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/** Ada's personal data as the fixture gives it, and as a later change and her conversion write it. */
const PERSONAL_VALUES = ['Lovelace', 'ada@example.com', 'ada.lovelace@example.org', '+44 20 7946 0000'];
const leaks = (text: string) => PERSONAL_VALUES.filter((value) => text.includes(value));

/** The first `count` messages of the SSE feed for these headers (a raw request: the feed does not end by itself). */
function readFeed(base: string, headers: Record<string, string>, count: number): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/events?from=start`, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const messages = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)));
        if (messages.length >= count) {
          req.destroy();
          resolve(messages.slice(0, count));
        }
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  });
}

describe('Personal fields for principals without the pii grant', () => {
  let t: TestApp;
  let base: string;
  let leadId: string;
  let contactId: string;
  let correlationId: string;
  let eventCount: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_RETRY_BASE_MS: '10', WEBHOOK_RETRY_MAX_MS: '40' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
    leadId = (await request(t.http).post('/leads').send(adaLead).expect(201)).body.id;
    await request(t.http).patch(`/leads/${leadId}`).send({ email: 'ada.lovelace@example.org' }).expect(200);
    const converted = await request(t.http).post(`/leads/${leadId}/convert`).set('X-Correlation-Id', 'convert-ada').send({ opportunity: { closeDate: '2027-01-31' } }).expect(200);
    contactId = converted.body.contactId;
    correlationId = 'convert-ada';
    eventCount = 6; // LeadCreated, LeadDetailsUpdated, LeadConverted, AccountCreated, ContactCreated, OpportunityCreated
    await eventually(async () => expect((await request(t.http).get('/leads').expect(200)).body.items).toHaveLength(1));
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  describe('an analyst (lists and analytics)', () => {
    it('without pii sees every personal field of the lead list as [redacted] (its full name too), the rest as is', async () => {
      const res = await request(t.http).get('/leads').set('Authorization', await bearer(['analyst'])).expect(200);
      expect(res.body.items[0]).toMatchObject({ id: leadId, firstName: REDACTED, lastName: REDACTED, name: REDACTED, email: REDACTED, phone: REDACTED, company: 'Analytical Engines Ltd', title: 'CTO' });
      expect(leaks(JSON.stringify(res.body))).toEqual([]);
      await request(t.http).get('/leads').query({ company: 'analytical' }).set('Authorization', await bearer(['analyst'])).expect(200);
    });

    it('without pii may not search (q looks in names and email) nor sort by lastName: 403 naming the grant', async () => {
      const analyst = await bearer(['analyst']);
      const search = await request(t.http).get('/leads').query({ q: 'lovelace' }).set('Authorization', analyst).expect(403);
      expect(search.body).toMatchObject({ statusCode: 403, error: 'PII_GRANT_REQUIRED', requiredGrant: 'pii' });
      expect(search.body.message).toMatch(/needs the pii grant/);
      await request(t.http).get('/leads').query({ sort: 'lastName' }).set('Authorization', analyst).expect(403);
    });

    it('with pii sees them, and may search', async () => {
      const analyst = await bearer(['analyst'], { pii: true });
      const res = await request(t.http).get('/leads').set('Authorization', analyst).expect(200);
      expect(res.body.items[0]).toMatchObject({ lastName: 'Lovelace', email: 'ada.lovelace@example.org' });
      expect((await request(t.http).get('/leads').query({ q: 'lovelace' }).set('Authorization', analyst).expect(200)).body.total).toBe(1);
    });
  });

  describe('an auditor (histories and correlations)', () => {
    it("without pii sees [redacted] in every entry's data, changes and state, in JSON and CSV, for the lead and the contact", async () => {
      const auditor = await bearer(['auditor']);
      const lead = await request(t.http).get(`/leads/${leadId}/history`).set('Authorization', auditor).expect(200);
      expect(leaks(JSON.stringify(lead.body))).toEqual([]);
      const updated = lead.body.entries.find((e: { type: string }) => e.type === 'LeadDetailsUpdated');
      expect(updated.data.changes.email).toBe(REDACTED);
      expect(updated.changes).toEqual([{ field: 'email', from: REDACTED, to: REDACTED }]);
      expect(lead.body.state).toMatchObject({ lastName: REDACTED, company: 'Analytical Engines Ltd' });
      const csv = await request(t.http).get(`/leads/${leadId}/history`).query({ format: 'csv' }).set('Authorization', auditor).expect(200);
      expect(leaks(csv.text)).toEqual([]);
      expect(csv.text).toContain(REDACTED);
      const contact = await request(t.http).get(`/contacts/${contactId}/history`).set('Authorization', auditor).expect(200);
      expect(leaks(JSON.stringify(contact.body))).toEqual([]);
      const correlation = await request(t.http).get(`/correlations/${correlationId}`).set('Authorization', auditor).expect(200);
      expect(correlation.body.events.length).toBe(4);
      expect(leaks(JSON.stringify(correlation.body))).toEqual([]);
    });

    it('with pii sees them', async () => {
      const auditor = await bearer(['auditor'], { pii: true });
      const lead = await request(t.http).get(`/leads/${leadId}/history`).set('Authorization', auditor).expect(200);
      expect(leaks(JSON.stringify(lead.body))).toEqual(PERSONAL_VALUES);
      expect(leaks(JSON.stringify((await request(t.http).get(`/correlations/${correlationId}`).set('Authorization', auditor).expect(200)).body))).not.toEqual([]);
    });
  });

  describe('sales and managers', () => {
    it('see personal fields without the grant: they work the leads', async () => {
      for (const role of ['sales', 'manager'] as const) {
        const res = await request(t.http).get(`/contacts/${contactId}`).set('Authorization', await bearer([role])).expect(200);
        expect(res.body).toMatchObject({ lastName: 'Lovelace' });
      }
    });
  });

  describe('an integration (web forms, the event feed, webhooks)', () => {
    it('without pii gets a new lead back with its personal fields [redacted]', async () => {
      const res = await request(t.http).post('/leads').set('Authorization', await bearer(['integration'], { sub: 'web-form' })).send({ ...adaLead, owner: undefined }).expect(201);
      expect(res.body).toMatchObject({ lastName: REDACTED, email: REDACTED, company: 'Analytical Engines Ltd', owner: 'user:web-form' });
      const stored = await request(t.http).get(`/leads/${res.body.id}`).expect(200);
      expect(stored.body).toMatchObject({ lastName: 'Lovelace', email: 'ada@example.com' }); // stored as sent
    });

    it('without pii reads the event feed with personal fields [redacted]; with pii, as stored', async () => {
      const hidden = await readFeed(base, { authorization: await bearer(['integration']) }, eventCount);
      expect(hidden.map((m) => m.type)).toContain('LeadConverted');
      expect(leaks(JSON.stringify(hidden))).toEqual([]);
      expect(hidden.find((m) => m.type === 'LeadCreated')!.data).toMatchObject({ lastName: REDACTED, company: 'Analytical Engines Ltd' });
      const shown = await readFeed(base, { authorization: await bearer(['integration'], { pii: true }) }, eventCount);
      expect(leaks(JSON.stringify(shown))).toEqual(PERSONAL_VALUES);
    });

    it("delivers webhooks as the subscription's creator may see them", async () => {
      const receivers = { hidden: await WebhookReceiver.start(), shown: await WebhookReceiver.start() };
      try {
        const subscribe = async (url: string, pii: boolean) =>
          (
            await request(t.http)
              .post('/webhooks')
              .set('Authorization', await bearer(['integration'], { pii, sub: pii ? 'crm-sync' : 'newsletter' }))
              .send({ url, eventTypes: ['LeadCreated', 'LeadDetailsUpdated', 'ContactCreated'], from: 'start' })
              .expect(201)
          ).body;
        const hidden = await subscribe(receivers.hidden.url, false);
        const shown = await subscribe(receivers.shown.url, true);
        expect(hidden).toMatchObject({ pii: false, createdBy: 'user:newsletter' });
        expect(shown).toMatchObject({ pii: true, createdBy: 'user:crm-sync' });
        await eventually(async () => {
          expect(receivers.hidden.acknowledged().length).toBeGreaterThanOrEqual(3);
          expect(receivers.shown.acknowledged().length).toBeGreaterThanOrEqual(3);
        });
        expect(leaks(receivers.hidden.requests.map((r) => r.body).join('\n'))).toEqual([]);
        expect(JSON.parse(receivers.hidden.requests[0]!.body).data).toMatchObject({ lastName: REDACTED });
        expect(leaks(receivers.shown.requests.map((r) => r.body).join('\n'))).toEqual(PERSONAL_VALUES);
      } finally {
        await receivers.hidden.close();
        await receivers.shown.close();
      }
    });
  });
});
