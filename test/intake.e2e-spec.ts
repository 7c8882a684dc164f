import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import request, { Response } from 'supertest';
import { AppendOptions, AppendResult, EVENT_STORE, EventStore, NewEvent, StoredEvent } from '@pipeline-ledger/event-store';
import { createIntakeForm } from '../apps/api/src/intake/intake-forms';
import { SqliteFormStore } from '../apps/api/src/intake/sqlite.form-store';
import { SqliteSubmissionStore } from '../apps/api/src/intake/sqlite.submission-store';
import { CrashingEventStore } from './support/crashing-event-store';
import { eventually } from './support/eventually';
import { adaLead, createLead, headPosition } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');

/** Forms are made as the CLI makes them: createIntakeForm on the data directory's intake.sqlite. */
async function newForm(t: TestApp, input: Partial<Parameters<typeof createIntakeForm>[1]> = {}) {
  const store = new SqliteFormStore(join(t.dataDir, 'intake.sqlite'));
  try {
    return await createIntakeForm(store, { name: 'Contact us', owner: 'alice', campaign: 'Spring Webinar', ...input });
  } finally {
    await store.close();
  }
}

function submitJson(t: TestApp, key: string | null, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const req = request(t.http).post('/intake/leads').set(headers);
  if (key !== null) req.set('X-Form-Key', key);
  return req.send(body);
}

/** As a browser posts a plain HTML form: urlencoded, every input a string, empty ones as "". */
function submitForm(t: TestApp, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return request(t.http).post('/intake/leads').set(headers).type('form').send(new URLSearchParams(fields).toString());
}

const person = (overrides: Record<string, unknown> = {}) => ({
  submissionId: randomUUID(),
  firstName: 'Grace',
  lastName: 'Hopper',
  company: 'Navy Compilers',
  title: 'Rear Admiral',
  email: `grace.${randomUUID().slice(0, 8)}@navy.example`,
  phone: '+1 202 555 0100',
  ...overrides,
});

async function allEvents(t: TestApp): Promise<StoredEvent[]> {
  return (t.app.get(EVENT_STORE) as EventStore).readAll({ maxCount: 100_000 });
}

async function leadsCreatedFor(t: TestApp, company: string): Promise<StoredEvent[]> {
  return (await allEvents(t)).filter((e) => e.type === 'LeadCreated' && e.data['company'] === company);
}

async function historyOf(t: TestApp, leadId: string) {
  return (await request(t.http).get(`/leads/${leadId}/history`).expect(200)).body as { entries: Array<{ type: string; actor: string; data: Record<string, unknown>; changes: unknown[] }> };
}

/**
 * What a client sees of an answer: nothing in it may tell a new lead from a duplicate or a repeat. (The ETag is Express's
 * hash of the body, which holds only the submission id: the same for the same body.)
 */
function seen(res: Response) {
  const headers = Object.fromEntries(
    Object.entries(res.headers).filter(([name]) => !['date', 'content-length', 'connection', 'keep-alive', 'etag'].includes(name)),
  );
  return { status: res.status, body: res.body, headers };
}

async function identitiesCaughtUp(t: TestApp): Promise<void> {
  await eventually(async () => {
    const projections = (await request(t.http).get('/projections').expect(200)).body.projections as Array<{ name: string; lag: string }>;
    expect(projections.find((p) => p.name === 'lead-identities')?.lag).toBe('0');
  });
}

describe('Web-to-lead: POST /intake/leads', () => {
  let t: TestApp;
  let form: Awaited<ReturnType<typeof newForm>>;

  beforeAll(async () => {
    t = await startTestApp({ env: { INTAKE_RATE_PER_ADDRESS: '10000', INTAKE_RATE_PER_KEY: '10000' } });
    form = await newForm(t);
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('creates a lead from JSON with the form\'s source, owner and campaign, by the form, and answers 202 without the lead id', async () => {
    const body = person({ company: 'JSON Corp', email: 'Grace@Navy.Example' });
    const res = await submitJson(t, form.key, body).expect(202);
    expect(res.body).toEqual({ submissionId: body.submissionId, status: 'received' });
    expect(res.headers['location']).toBeUndefined();
    expect(res.headers['etag']).not.toMatch(/^"\d+"$/); // no revision: only Express's hash of this very body
    expect(res.headers['cache-control']).toBe('no-store');

    const [created] = await leadsCreatedFor(t, 'JSON Corp');
    expect(created.data).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      title: 'Rear Admiral',
      phone: '+1 202 555 0100',
      source: 'Web Form',
      campaign: 'Spring Webinar',
      owner: 'alice',
      status: 'Open - Not Contacted',
    });
    expect(created.metadata.actor).toBe(`form:${form.form.id}`);
    expect(JSON.stringify(res.body)).not.toContain(created.data['leadId'] as string);
  });

  it('creates a lead from a plain HTML form post, the key in a formKey field, empty inputs as not given', async () => {
    const submissionId = `html-${randomUUID()}`;
    const res = await submitForm(t, { formKey: form.key, submissionId, firstName: '', lastName: 'Lamarr', company: 'HTML Form Ltd', title: '', email: ' hedy@hopping.example ', phone: '' }).expect(202);
    expect(res.body).toEqual({ submissionId, status: 'received' });
    const [created] = await leadsCreatedFor(t, 'HTML Form Ltd');
    expect(created.data).toMatchObject({ firstName: null, lastName: 'Lamarr', title: null, email: 'hedy@hopping.example', phone: null, source: 'Web Form' });
  });

  it('takes the form\'s own source, and answers CORS preflights from any page', async () => {
    const webinar = await newForm(t, { name: 'Webinar sign-up', owner: 'bob', source: 'Webinar', campaign: null });
    await submitJson(t, webinar.key, person({ company: 'Webinar Co' })).expect(202);
    expect((await leadsCreatedFor(t, 'Webinar Co'))[0].data).toMatchObject({ source: 'Webinar', owner: 'bob', campaign: null });

    const preflight = await request(t.http).options('/intake/leads').set('Origin', 'https://www.example.com').set('Access-Control-Request-Method', 'POST').expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Form-Key/);
  });

  it('refuses a missing, malformed, unknown, wrong or revoked key with 401 and writes nothing', async () => {
    const revoked = await newForm(t, { name: 'Old landing page' });
    const store = new SqliteFormStore(join(t.dataDir, 'intake.sqlite'));
    await store.revoke(revoked.form.id, new Date().toISOString());
    await store.close();
    const secret = form.key.slice(-43);
    const head = await headPosition(t);
    for (const key of [null, '', 'nonsense', form.key.slice(0, -1), `plf_${randomUUID()}_${secret}`, `plf_${form.form.id}_${revoked.key.slice(-43)}`, revoked.key]) {
      const res = await submitJson(t, key, person({ company: 'Nobody Inc' })).expect(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'FORM_KEY_INVALID', message: expect.stringMatching(/valid form key is required/) });
      expect(res.headers['www-authenticate']).toBe('FormKey');
    }
    await submitForm(t, { formKey: 'plf_nope', ...person({ company: 'Nobody Inc' }) } as Record<string, string>).expect(401);
    expect(await headPosition(t)).toBe(head);
  });

  it('refuses missing and invalid fields with 400 naming each, and unknown fields, and writes nothing', async () => {
    const head = await headPosition(t);
    const res = await submitJson(t, form.key, { submissionId: 'has spaces in it', firstName: 'Ada', email: 'not-an-email', phone: 'call me', favouriteColour: 'blue' }).expect(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    const fields = (res.body.issues as Array<{ field: string; reason: string }>).map((i) => i.field).sort();
    expect(fields).toEqual(['body', 'company', 'email', 'lastName', 'phone', 'submissionId'].sort());
    expect(res.body.issues).toEqual(
      expect.arrayContaining([
        { field: 'lastName', reason: 'is required' },
        { field: 'submissionId', reason: 'must be a UUID or a token of printable ASCII characters without spaces' },
      ]),
    );
    const noId = await submitForm(t, { formKey: form.key, lastName: 'Lovelace', company: 'AE' }).expect(400);
    expect(noId.body.issues).toEqual([{ field: 'submissionId', reason: 'is required' }]);
    await submitJson(t, form.key, person({ submissionId: 'x'.repeat(129) })).expect(400);
    expect(await headPosition(t)).toBe(head);
  });

  it('refuses other content types with 415 and bodies over 16 kB with 413', async () => {
    await request(t.http).post('/intake/leads').set('X-Form-Key', form.key).set('Content-Type', 'text/plain').send('lastName=x').expect(415);
    const big = await submitJson(t, form.key, person({ title: 'x'.repeat(17 * 1024) })).expect(413);
    expect(big.body.message).toBe('request body is too large (at most 16 kB)');
    // Other routes keep refusing form posts.
    await request(t.http).post('/leads').type('form').send('lastName=x').expect(415);
  });

  it('is idempotent on the submission id: the same submission again writes nothing and answers the same', async () => {
    const body = person({ company: 'Twice Ltd' });
    const first = await submitJson(t, form.key, body).expect(202);
    const head = await headPosition(t);
    const again = await submitJson(t, form.key, body).expect(202);
    const asForm = await submitForm(t, { ...body, formKey: form.key } as Record<string, string>).expect(202);
    expect(seen(again)).toEqual(seen(first));
    expect(asForm.body).toEqual(first.body);
    expect(await headPosition(t)).toBe(head);
    const created = await leadsCreatedFor(t, 'Twice Ltd');
    expect(created).toHaveLength(1);
    expect((await historyOf(t, created[0].data['leadId'] as string)).entries.map((e) => e.type)).toEqual(['LeadCreated']);
  });

  it('runs two concurrent copies of one submission once', async () => {
    const body = person({ company: 'Race Ltd' });
    const answers = await Promise.all([1, 2, 3].map(() => submitJson(t, form.key, body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(await leadsCreatedFor(t, 'Race Ltd')).toHaveLength(1);
  });

  it('flags the same email in other letters as a duplicate: no new lead, a LeadDuplicateSubmitted on the lead, and the same answer', async () => {
    const original = person({ company: 'Duplicate By Email Ltd', email: 'Ada.Byron@Engines.example' });
    const first = await submitJson(t, form.key, original).expect(202);
    const [lead] = await leadsCreatedFor(t, 'Duplicate By Email Ltd');
    const leadId = lead.data['leadId'] as string;

    // At once (the projector may not have the lead yet: this process remembers it), with the email in capitals.
    const again = person({ firstName: 'Augusta Ada', lastName: 'King', company: 'Another Company', email: '  ADA.BYRON@ENGINES.EXAMPLE ', phone: '', title: 'Countess' });
    const dup = await submitJson(t, form.key, again).expect(202);
    expect(seen(dup)).toEqual({ ...seen(first), body: { submissionId: again.submissionId, status: 'received' } });
    expect(await leadsCreatedFor(t, 'Another Company')).toHaveLength(0);

    const history = await historyOf(t, leadId);
    expect(history.entries.map((e) => e.type)).toEqual(['LeadCreated', 'LeadDuplicateSubmitted']);
    const recorded = history.entries[1];
    expect(recorded.actor).toBe(`form:${form.form.id}`);
    expect(recorded.changes).toEqual([]); // the lead itself does not change
    expect(recorded.data).toEqual({
      leadId,
      formId: form.form.id,
      submissionId: again.submissionId,
      matchedOn: 'email',
      submitted: { firstName: 'Augusta Ada', lastName: 'King', email: 'ada.byron@engines.example', phone: null, company: 'Another Company', title: 'Countess' },
      submittedAt: expect.any(String),
    });
    const lead1 = (await request(t.http).get(`/leads/${leadId}`).expect(200)).body;
    expect(lead1).toMatchObject({ lastName: 'Hopper', company: 'Duplicate By Email Ltd', status: 'Open - Not Contacted' });

    // The duplicate submitted again is not flagged again.
    const head = await headPosition(t);
    await submitJson(t, form.key, again).expect(202);
    expect(await headPosition(t)).toBe(head);
    expect((await historyOf(t, leadId)).entries).toHaveLength(2);
  });

  it('flags the same name and company (case, accents and spaces aside) as a duplicate of a lead the projector has', async () => {
    const leadId = await createLead(t, { ...adaLead, firstName: 'José', lastName: 'García', company: 'Ácme Lábs', email: null });
    await identitiesCaughtUp(t);
    const body = person({ firstName: 'JOSE', lastName: 'garcia', company: '  acme   LABS ', email: 'jose@elsewhere.example' });
    const res = await submitJson(t, form.key, body).expect(202);
    expect(res.body).toEqual({ submissionId: body.submissionId, status: 'received' });
    expect(await leadsCreatedFor(t, '  acme   LABS ')).toHaveLength(0);
    expect(await leadsCreatedFor(t, 'acme   LABS')).toHaveLength(0);
    const history = await historyOf(t, leadId);
    expect(history.entries.map((e) => e.type)).toEqual(['LeadCreated', 'LeadDuplicateSubmitted']);
    expect(history.entries[1].data).toMatchObject({ matchedOn: 'name-and-company', submitted: { firstName: 'JOSE', lastName: 'garcia', company: 'acme   LABS' } });
  });

  it('records the duplicate on a disqualified lead, and creates a new lead for a person whose lead was converted', async () => {
    const disqualified = await createLead(t, { ...adaLead, email: 'back@again.example', company: 'Disqualified Co' });
    await request(t.http).post(`/leads/${disqualified}/disqualify`).send({ reasonCode: 'no_budget' }).expect(200);
    const converted = await createLead(t, { ...adaLead, email: 'now@contact.example', company: 'Converted Co' });
    await request(t.http).post(`/leads/${converted}/convert`).send({ doNotCreateOpportunity: true }).expect(200);
    await identitiesCaughtUp(t);

    await submitJson(t, form.key, person({ email: 'BACK@again.example', company: 'Disqualified Co (again)' })).expect(202);
    expect((await historyOf(t, disqualified)).entries.map((e) => e.type)).toEqual(['LeadCreated', 'LeadDisqualified', 'LeadDuplicateSubmitted']);

    await submitJson(t, form.key, person({ email: 'now@contact.example', company: 'Converted Co (again)' })).expect(202);
    expect(await leadsCreatedFor(t, 'Converted Co (again)')).toHaveLength(1);
  });

  it('forgets a lead whose personal data was erased: the person coming back makes a new lead', async () => {
    const erased = await createLead(t, { ...adaLead, email: 'forget.me@example.com', company: 'Erased Co' });
    await request(t.http).post(`/people/${erased}/erase`).expect(200);
    await identitiesCaughtUp(t);
    await submitJson(t, form.key, person({ email: 'forget.me@example.com', company: 'Erased Co (back)' })).expect(202);
    expect(await leadsCreatedFor(t, 'Erased Co (back)')).toHaveLength(1);
    expect((await historyOf(t, erased)).entries.map((e) => e.type)).toEqual(['LeadCreated', 'LeadPersonalDataErased']);
  });

  it('answers a filled-in honeypot like any submission and writes nothing', async () => {
    const head = await headPosition(t);
    const body = person({ company: 'Bot Ltd', website: 'http://spam.example' });
    const res = await submitJson(t, form.key, body).expect(202);
    expect(res.body).toEqual({ submissionId: body.submissionId, status: 'received' });
    expect(await headPosition(t)).toBe(head);
  });

  it('manages forms with the CLI (beside the running service): create prints the key once, list never shows it, revoke refuses it', async () => {
    const cli = (...args: string[]) => {
      const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'forms', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: t.dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { status: run.status, out: `${run.stdout}${run.stderr}` };
    };
    const created = cli('create', '--name', 'Partner portal', '--owner', 'carol', '--source', 'Partner', '--json');
    expect(created.status).toBe(0);
    const { id, key } = JSON.parse(created.out) as { id: string; key: string };
    expect(key).toMatch(new RegExp(`^plf_${id}_`));
    await submitJson(t, key, person({ company: 'Partner Lead Co' })).expect(202);
    expect((await leadsCreatedFor(t, 'Partner Lead Co'))[0].data).toMatchObject({ source: 'Partner', owner: 'carol', campaign: null });

    const listed = cli('list');
    expect(listed.status).toBe(0);
    expect(listed.out).toContain(`${id}  active  "Partner portal"`);
    expect(listed.out).not.toContain(key.slice(-43));

    expect(cli('revoke', id).status).toBe(0);
    await submitJson(t, key, person({ company: 'Partner Lead Co' })).expect(401);
    expect(cli('create', '--name', 'x', '--owner', 'bob', '--source', 'Rumour').status).toBe(1);
  }, 120_000);
});

describe('Web-to-lead: rate limits', () => {
  let t: TestApp;
  let form: Awaited<ReturnType<typeof newForm>>;
  const from = (address: string) => ({ 'X-Forwarded-For': address });

  beforeAll(async () => {
    // One proxy in front (the test client): X-Forwarded-For names the client.
    t = await startTestApp({ env: { INTAKE_RATE_PER_ADDRESS: '3', INTAKE_RATE_PER_KEY: '5', INTAKE_FAILED_KEYS_PER_ADDRESS: '2', TRUST_PROXY: '1' } });
    form = await newForm(t);
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  /** A 429 with our error body, and Retry-After in whole seconds within the limit's window. */
  const expectTooMany = (res: Response, windowSeconds = 60) => {
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(windowSeconds);
    expect(res.body).toEqual({ statusCode: 429, error: 'TOO_MANY_REQUESTS', message: expect.any(String) });
  };

  it('limits submissions per client address (429 with Retry-After), each address on its own', async () => {
    for (let i = 0; i < 3; i++) await submitJson(t, form.key, person(), from('203.0.113.1')).expect(202);
    const refused = await submitJson(t, form.key, person({ company: 'Over The Limit' }), from('203.0.113.1'));
    expectTooMany(refused);
    expect(refused.body.message).toMatch(/your address/);
    expect(await leadsCreatedFor(t, 'Over The Limit')).toHaveLength(0);
    await submitJson(t, form.key, person(), from('203.0.113.2')).expect(202);
  });

  it('limits submissions per form key, whatever the address', async () => {
    // 4 went through this key above; one more is allowed.
    await submitJson(t, form.key, person(), from('203.0.113.3')).expect(202);
    const refused = await submitJson(t, form.key, person(), from('203.0.113.4'));
    expectTooMany(refused);
    expect(refused.body.message).toMatch(/this form/);
    const other = await newForm(t, { name: 'Another form' });
    await submitJson(t, other.key, person(), from('203.0.113.4')).expect(202);
  });

  it('refuses an address that presented too many bad keys, even with a good one', async () => {
    const bad = `plf_${form.form.id}_${'A'.repeat(43)}`;
    await submitJson(t, bad, person(), from('198.51.100.9')).expect(401);
    await submitJson(t, bad, person(), from('198.51.100.9')).expect(401);
    const other = await newForm(t, { name: 'Third form' });
    const refused = await submitJson(t, other.key, person(), from('198.51.100.9'));
    expectTooMany(refused, 15 * 60);
    expect(refused.body.message).toMatch(/refused form keys/);
    await submitJson(t, other.key, person(), from('198.51.100.10')).expect(202);
  });
});

describe('Web-to-lead: without TRUST_PROXY (the default)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { INTAKE_RATE_PER_ADDRESS: '2' } });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('ignores X-Forwarded-For: a client cannot pick a fresh address to get past the per-address limit', async () => {
    const { key } = await newForm(t);
    await submitJson(t, key, person(), { 'X-Forwarded-For': '203.0.113.1' }).expect(202);
    await submitJson(t, key, person(), { 'X-Forwarded-For': '203.0.113.2' }).expect(202);
    const refused = await submitJson(t, key, person(), { 'X-Forwarded-For': '203.0.113.3' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
  });
});

/** A store that writes an append and then fails, as if the process had died right after the write. */
class DiesAfterAppend extends CrashingEventStore {
  dying = false;
  constructor(private readonly store: EventStore) {
    super(store, () => false);
  }
  override async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const result = await this.store.appendToStream(streamId, events, options);
    if (this.dying) throw new Error(`simulated crash after writing ${streamId}`);
    return result;
  }
}

describe('Web-to-lead: a submission cut short is completed by its retry, never written twice', () => {
  let t: TestApp;
  let form: Awaited<ReturnType<typeof newForm>>;
  let before: CrashingEventStore;
  let after: DiesAfterAppend;

  beforeAll(async () => {
    t = await startTestApp({
      wrapStore: (store) => {
        after = new DiesAfterAppend(store);
        before = new CrashingEventStore(after, (stream) => stream.startsWith('lead-'));
        before.crashing = false;
        return before;
      },
    });
    form = await newForm(t);
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  const submissionOf = async (submissionId: string) => {
    const store = new SqliteSubmissionStore(join(t.dataDir, 'intake.sqlite'));
    try {
      return await store.get(form.form.id, submissionId);
    } finally {
      await store.close();
    }
  };

  it('before the lead was written: the retry writes it', async () => {
    const body = person({ company: 'Cut Before Ltd' });
    before.crashing = true;
    await submitJson(t, form.key, body).expect(500);
    before.crashing = false;
    expect(await submissionOf(body.submissionId)).toMatchObject({ status: 'pending', target: { outcome: 'created' } });
    expect(await leadsCreatedFor(t, 'Cut Before Ltd')).toHaveLength(0);

    await submitJson(t, form.key, body).expect(202);
    expect(await leadsCreatedFor(t, 'Cut Before Ltd')).toHaveLength(1);
    expect(await submissionOf(body.submissionId)).toMatchObject({ status: 'done' });
  });

  it('after the lead was written: the retry finds it and writes nothing', async () => {
    const body = person({ company: 'Cut After Ltd' });
    after.dying = true;
    await submitJson(t, form.key, body).expect(500);
    after.dying = false;
    expect(await submissionOf(body.submissionId)).toMatchObject({ status: 'pending' });
    const head = await headPosition(t);

    await submitJson(t, form.key, body).expect(202);
    expect(await headPosition(t)).toBe(head);
    expect(await leadsCreatedFor(t, 'Cut After Ltd')).toHaveLength(1);
    expect(await submissionOf(body.submissionId)).toMatchObject({ status: 'done' });
  });

  it('a duplicate written but not marked: the retry records it once', async () => {
    const original = person({ company: 'Dup Cut Ltd' });
    await submitJson(t, form.key, original).expect(202);
    const [lead] = await leadsCreatedFor(t, 'Dup Cut Ltd');
    const again = person({ email: original.email, company: 'Dup Cut Again' });
    after.dying = true;
    await submitJson(t, form.key, again).expect(500);
    after.dying = false;
    await submitJson(t, form.key, again).expect(202);
    const types = (await historyOf(t, lead.data['leadId'] as string)).entries.map((e) => e.type);
    expect(types).toEqual(['LeadCreated', 'LeadDuplicateSubmitted']);
  });
});
