import request from 'supertest';
import { bearer } from './support/auth';
import { adaLead, createLead, headPosition } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

describe('Leads over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('runs a lead through its whole life: create, work, qualify, nurture, disqualify, reopen, convert', async () => {
    const created = await request(t.http).post('/leads').send(adaLead).expect(201);
    const id = created.body.id;
    expect(created.headers.location).toBe(`/leads/${id}`);
    expect(created.headers.etag).toBe('"0"');
    expect(created.body).toMatchObject({ status: 'Open - Not Contacted', lastName: 'Lovelace', company: 'Analytical Engines Ltd', owner: 'alice', source: 'Web Form' });

    await request(t.http).patch(`/leads/${id}`).send({ title: 'Chief Engineer', rating: 'Warm' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ title: 'Chief Engineer', rating: 'Warm', revision: 1 }));
    await request(t.http).post(`/leads/${id}/owner`).send({ owner: 'bob' }).expect(200)
      .expect((r) => expect(r.body.owner).toBe('bob'));
    await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'call', note: 'intro call' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'Working - Contacted', contactCount: 1 }));
    await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'email' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'Working - Contacted', contactCount: 2 }));
    await request(t.http).post(`/leads/${id}/qualification`).send({ budget: true, authority: true, need: true, timeline: false }).expect(200)
      .expect((r) => expect(r.body.qualification).toMatchObject({ budget: true, timeline: false, qualified: true }));
    await request(t.http).post(`/leads/${id}/nurture`).send({ reason: 'budget next year' }).expect(200)
      .expect((r) => expect(r.body.status).toBe('Nurturing'));
    await request(t.http).post(`/leads/${id}/disqualify`).send({ reason: 'no budget' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'Closed - Not Converted', disqualificationReasonCode: 'other', disqualificationReason: 'no budget' }));
    await request(t.http).post(`/leads/${id}/reopen`).send({ reason: 'new budget' }).expect(200)
      .expect((r) => expect(r.body.status).toBe('Working - Contacted'));

    const converted = await request(t.http)
      .post(`/leads/${id}/convert`)
      .send({ opportunity: { closeDate: '2027-03-31', amount: 4_500_000, currency: 'EUR' } })
      .expect(200);
    const { accountId, contactId, opportunityId } = converted.body;
    expect(converted.body.lead).toMatchObject({ status: 'Closed - Converted', conversion: { accountId, contactId, opportunityId } });

    const account = await request(t.http).get(`/accounts/${accountId}`).expect(200);
    expect(account.body).toMatchObject({ name: 'Analytical Engines Ltd', industry: 'Machinery', owner: 'bob', source: 'Web Form', leadIds: [id] });
    const contact = await request(t.http).get(`/contacts/${contactId}`).expect(200);
    expect(contact.body).toMatchObject({ accountId, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', title: 'Chief Engineer', source: 'Web Form' });
    const opportunity = await request(t.http).get(`/opportunities/${opportunityId}`).expect(200);
    expect(opportunity.body).toMatchObject({
      accountId,
      name: 'Analytical Engines Ltd', // derived from the company
      stage: 'Prospecting', // the first stage
      probability: 10,
      amount: 4_500_000,
      currency: 'EUR',
      closeDate: '2027-03-31',
      source: 'Web Form', // lead source carries over
      leadId: id,
      owner: 'bob',
    });
  });

  it('keeps a converted lead read-only for ever: every later command is a 409 that says so, and writes nothing', async () => {
    const id = await createLead(t);
    await request(t.http).post(`/leads/${id}/convert`).send({ doNotCreateOpportunity: true }).expect(200)
      .expect((r) => expect(r.body.opportunityId).toBeNull());
    const head = await headPosition(t);
    const attempts: Array<[string, string, object]> = [
      ['patch', '', { title: 'x' }],
      ['post', '/owner', { owner: 'carol' }],
      ['post', '/contacts', { channel: 'call' }],
      ['post', '/qualification', { budget: true, authority: true, need: true, timeline: true }],
      ['post', '/nurture', {}],
      ['post', '/disqualify', { reason: 'x' }],
      ['post', '/reopen', {}],
      ['post', '/convert', { doNotCreateOpportunity: true }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await (method === 'patch' ? request(t.http).patch(`/leads/${id}${path}`) : request(t.http).post(`/leads/${id}${path}`)).send(body);
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 409, error: 'LEAD_CONVERTED' });
      expect(res.body.message).toMatch(/converted/i);
    }
    expect(await headPosition(t)).toBe(head);
  });

  it('converts into an existing account and contact, filling only their empty fields', async () => {
    const acct = await request(t.http).post('/accounts').send({ name: 'Babbage & Co', industry: 'Finance' }).expect(201);
    const contact = await request(t.http).post('/contacts').send({ accountId: acct.body.id, lastName: 'Lovelace', email: 'countess@example.com' }).expect(201);
    const id = await createLead(t, { ...adaLead, company: 'Babbage and Company', industry: 'Machinery' });

    const res = await request(t.http)
      .post(`/leads/${id}/convert`)
      .send({ accountId: acct.body.id, contactId: contact.body.id, opportunity: { name: 'Difference Engine', closeDate: '2027-06-30', stage: 'Needs Analysis' } })
      .expect(200);
    expect(res.body).toMatchObject({ accountId: acct.body.id, contactId: contact.body.id });

    const account = await request(t.http).get(`/accounts/${acct.body.id}`).expect(200);
    expect(account.body).toMatchObject({ name: 'Babbage & Co', industry: 'Finance', leadIds: [id] }); // nothing overwritten
    const merged = await request(t.http).get(`/contacts/${contact.body.id}`).expect(200);
    expect(merged.body).toMatchObject({ email: 'countess@example.com', firstName: 'Ada', title: 'CTO', phone: '+44 20 7946 0000' }); // only empty ones filled
    const opp = await request(t.http).get(`/opportunities/${res.body.opportunityId}`).expect(200);
    expect(opp.body).toMatchObject({ name: 'Difference Engine', stage: 'Needs Analysis', probability: 20, amount: null, currency: null });
  });

  it('refuses a contact of another account, an unknown account or contact, and a disqualified lead, writing nothing', async () => {
    const a1 = await request(t.http).post('/accounts').send({ name: 'One' }).expect(201);
    const a2 = await request(t.http).post('/accounts').send({ name: 'Two' }).expect(201);
    const c2 = await request(t.http).post('/contacts').send({ accountId: a2.body.id, lastName: 'Other' }).expect(201);
    const id = await createLead(t);
    const head = await headPosition(t);

    await request(t.http).post(`/leads/${id}/convert`).send({ accountId: a1.body.id, contactId: c2.body.id, doNotCreateOpportunity: true }).expect(409)
      .expect((r) => expect(r.body.error).toBe('CONTACT_NOT_IN_ACCOUNT'));
    await request(t.http).post(`/leads/${id}/convert`).send({ accountId: '00000000-0000-4000-8000-000000000000', doNotCreateOpportunity: true }).expect(404)
      .expect((r) => expect(r.body.message).toMatch(/account 00000000-0000-4000-8000-000000000000/));
    await request(t.http).post(`/leads/${id}/convert`).send({ opportunity: { closeDate: '2027-01-01', stage: 'Dreaming' } }).expect(400)
      .expect((r) => expect(r.body.issues[0].field).toBe('opportunity.stage'));
    expect(await headPosition(t)).toBe(head);

    await request(t.http).post(`/leads/${id}/disqualify`).send({ reason: 'student' }).expect(200);
    await request(t.http).post(`/leads/${id}/convert`).send({ doNotCreateOpportunity: true }).expect(409)
      .expect((r) => expect(r.body.error).toBe('LEAD_DISQUALIFIED'));
  });

  describe('bad input', () => {
    it.each([
      ['a missing last name', { ...adaLead, lastName: undefined }, 'lastName', /required/],
      ['an empty company', { ...adaLead, company: '  ' }, 'company', /empty/],
      ['a bad email', { ...adaLead, email: 'ada-at-example' }, 'email', /email/],
      ['an unknown source', { ...adaLead, source: 'Carrier Pigeon' }, 'source', /one of/],
      ['an unknown rating', { ...adaLead, rating: 'Lukewarm' }, 'rating', /one of/],
      ['a bad phone', { ...adaLead, phone: 'call me' }, 'phone', /phone/],
      ['an unknown field', { ...adaLead, favouriteColour: 'blue' }, 'body', /favouriteColour/],
      ['a number for a name', { ...adaLead, lastName: 42 }, 'lastName', /string/],
    ])('refuses %s with 400 naming the field', async (_, body, field, reason) => {
      const head = await headPosition(t);
      const res = await request(t.http).post('/leads').send(body).expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringMatching(reason) })]));
      expect(await headPosition(t)).toBe(head);
    });

    it('refuses malformed JSON with 400, a body that is not JSON with 415, and an oversized body with 413', async () => {
      await request(t.http).post('/leads').set('content-type', 'application/json').send('{"lastName": ').expect(400)
        .expect((r) => expect(r.body.statusCode).toBe(400));
      await request(t.http).post('/leads').set('content-type', 'text/plain').send('lastName=Lovelace').expect(415)
        .expect((r) => expect(r.body).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/application\/json/) }));
      await request(t.http).post('/leads').send({ ...adaLead, title: 'x'.repeat(200_000) }).expect(413)
        .expect((r) => expect(r.body).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' }));
    });

    it('answers 404 for an unknown lead and 400 for a malformed id', async () => {
      await request(t.http).get('/leads/6c6f1f4e-2d7a-4d7b-9b1e-3f1c2a3b4c5d').expect(404)
        .expect((r) => expect(r.body).toMatchObject({ error: 'LEAD_NOT_FOUND' }));
      await request(t.http).post('/leads/6c6f1f4e-2d7a-4d7b-9b1e-3f1c2a3b4c5d/contacts').send({ channel: 'call' }).expect(404);
      await request(t.http).get('/leads/not-a-uuid').expect(400)
        .expect((r) => expect(r.body.issues[0]).toMatchObject({ field: 'id' }));
    });

    it('refuses a disqualification without a reason (the default code is "other") or with an unknown code, and a contact on an unknown channel', async () => {
      const id = await createLead(t);
      await request(t.http).post(`/leads/${id}/disqualify`).send({}).expect(400)
        .expect((r) => expect(r.body.issues).toEqual([{ field: 'reason', reason: expect.stringMatching(/^is required when reasonCode is "other"/) }]));
      await request(t.http).post(`/leads/${id}/disqualify`).send({ reasonCode: 'other', reason: '  ' }).expect(400)
        .expect((r) => expect(r.body.issues[0].field).toBe('reason'));
      await request(t.http).post(`/leads/${id}/disqualify`).send({ reasonCode: 'too_small', reason: 'tiny' }).expect(400)
        .expect((r) => expect(r.body.issues[0]).toMatchObject({ field: 'reasonCode', reason: expect.stringContaining('no_budget') }));
      await request(t.http).post(`/leads/${id}/disqualify`).send({ reasonCode: 'duplicate' }).expect(200)
        .expect((r) => expect(r.body).toMatchObject({ status: 'Closed - Not Converted', disqualificationReasonCode: 'duplicate', disqualificationReason: null }));
      await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'telepathy' }).expect(400)
        .expect((r) => expect(r.body.issues[0].field).toBe('channel'));
    });

    it('refuses business-rule violations with 409: reopening an open lead, nurturing twice', async () => {
      const id = await createLead(t);
      await request(t.http).post(`/leads/${id}/reopen`).send({}).expect(409);
      await request(t.http).post(`/leads/${id}/nurture`).send({}).expect(200);
      await request(t.http).post(`/leads/${id}/nurture`).send({}).expect(409);
    });
  });

  it('records who, why and when: the authenticated principal (an X-Actor header is ignored), X-Correlation-Id and a back-dated X-Occurred-At', async () => {
    const res = await request(t.http)
      .post('/leads')
      .set('Authorization', await bearer(['sales'], { sub: 'importer' }))
      .set('X-Actor', 'someone-else')
      .set('X-Correlation-Id', 'import-2026-11')
      .set('X-Occurred-At', '2025-03-01T09:30:00Z')
      .send({ lastName: 'Hopper', company: 'Navy', source: 'Purchased List' })
      .expect(201);
    expect(res.body).toMatchObject({ owner: 'user:importer', createdAt: '2025-03-01T09:30:00.000Z' });
    await request(t.http).post('/leads').set('X-Occurred-At', 'yesterday').send(adaLead).expect(400)
      .expect((r) => expect(r.body.issues[0].field).toBe('X-Occurred-At'));
    await request(t.http).post('/leads').set('X-Occurred-At', '2999-01-01T00:00:00Z').send(adaLead).expect(400)
      .expect((r) => expect(r.body.issues[0].reason).toMatch(/future/));
  });
});
