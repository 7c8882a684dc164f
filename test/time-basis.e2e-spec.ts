import request from 'supertest';
import { adaLead } from './support/fixtures';
import { eventually } from './support/eventually';
import { TestApp, removeDir, startTestApp } from './support/test-app';

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * timeBasis=occurred|recorded over HTTP. A back-dated entry (X-Occurred-At: business time months ago, as an import
 * or a late entry writes it) is recorded today: with occurred it counts in its business days, with recorded in today.
 * - Lovelace (Partner, carol): created 2024-01-10, converted with an opportunity 2024-02-14; the deal was won 2024-03-05.
 * - Hopper (Referral, dave): created today, converted today with an opportunity that is lost today.
 */
describe('timeBasis on the analytics endpoints', () => {
  let t: TestApp;
  /** The recorded days of everything written here lie in this window (it spans midnight, should the test). */
  let today: { from: string; to: string };

  beforeAll(async () => {
    t = await startTestApp();
    const started = Date.now();
    const at = (iso: string) => ({ 'X-Occurred-At': iso });

    const old = await request(t.http)
      .post('/leads')
      .set(at('2024-01-10T09:00:00Z'))
      .send({ ...adaLead, source: 'Partner', owner: 'carol' })
      .expect(201);
    const converted = await request(t.http)
      .post(`/leads/${old.body.id}/convert`)
      .set(at('2024-02-14T09:00:00Z'))
      .send({ opportunity: { closeDate: '2024-03-31', amount: 10_000, currency: 'EUR' } })
      .expect(200);
    await request(t.http).post(`/opportunities/${converted.body.opportunityId}/close-won`).set(at('2024-03-05T09:00:00Z')).send({}).expect(200);

    const live = await request(t.http)
      .post('/leads')
      .send({ ...adaLead, lastName: 'Hopper', email: 'grace@example.com', source: 'Referral', owner: 'dave' })
      .expect(201);
    const liveConverted = await request(t.http)
      .post(`/leads/${live.body.id}/convert`)
      .send({ opportunity: { closeDate: '2030-01-31' } })
      .expect(200);
    await request(t.http).post(`/opportunities/${liveConverted.body.opportunityId}/close-lost`).send({ reason: 'price' }).expect(200);
    today = { from: dayOf(started), to: dayOf(Date.now()) };
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  const get = (path: string, query: Record<string, string>) => request(t.http).get(path).query(query);

  it('conversion, cohort basis: the back-dated lead is in its January cohort with occurred, in today\'s with recorded', async () => {
    await eventually(async () => {
      const jan = { from: '2024-01-01', to: '2024-01-31' };
      const occurred = await get('/analytics/conversion', { ...jan, timeBasis: 'occurred' }).expect(200);
      expect(occurred.body).toMatchObject({ basis: 'cohort', timeBasis: 'occurred' });
      expect(occurred.body.total.counts).toMatchObject({ created: 1, converted: 1, convertedWithOpportunity: 1 });
      expect(occurred.body.freshness).toMatchObject({ projection: 'lead-conversion', lag: '0' });

      const recorded = await get('/analytics/conversion', { ...jan, timeBasis: 'recorded' }).expect(200);
      expect(recorded.body).toMatchObject({ basis: 'cohort', timeBasis: 'recorded' });
      expect(recorded.body.total.counts).toMatchObject({ created: 0, converted: 0 });

      const recordedToday = await get('/analytics/conversion', { ...today, timeBasis: 'recorded', groupBy: 'source' }).expect(200);
      expect(recordedToday.body.groups.map((g: { group: { source: string }; counts: { created: number } }) => [g.group.source, g.counts.created])).toEqual([
        ['Partner', 1],
        ['Referral', 1],
      ]);
      const occurredToday = await get('/analytics/conversion', { ...today, timeBasis: 'occurred', groupBy: 'source' }).expect(200);
      expect(occurredToday.body.groups.map((g: { group: { source: string }; counts: { created: number } }) => [g.group.source, g.counts.created])).toEqual([
        ['Referral', 1],
      ]);
    });
  });

  it('conversion, period basis: the month grouping follows the chosen time too', async () => {
    await eventually(async () => {
      const months = async (timeBasis: string) => {
        const res = await get('/analytics/conversion', { basis: 'period', timeBasis, groupBy: 'cohortMonth', source: 'Partner' }).expect(200);
        expect(res.body).toMatchObject({ basis: 'period', timeBasis });
        return res.body.groups.map((g: { group: { cohortMonth: string }; counts: { created: number; converted: number } }) => [
          g.group.cohortMonth,
          g.counts.created,
          g.counts.converted,
        ]);
      };
      expect(await months('occurred')).toEqual([
        ['2024-01', 1, 0],
        ['2024-02', 0, 1],
      ]);
      const thisMonth = today.to.slice(0, 7);
      const recorded = await months('recorded');
      // Both recorded this month (or, past midnight on the last of a month, in the months of today's window).
      expect(recorded.reduce((sum: number, [, created, converted]: [string, number, number]) => sum + created + converted, 0)).toBe(2);
      expect(recorded.every(([month]: [string]) => month === thisMonth || month === today.from.slice(0, 7))).toBe(true);
    });
  });

  it('a lead entered live counts the same on both bases, and the default is occurred', async () => {
    await eventually(async () => {
      const answers = await Promise.all(
        ([{}, { timeBasis: 'occurred' }, { timeBasis: 'recorded' }] as Array<Record<string, string>>).map((tb) =>
          get('/analytics/conversion', { ...today, basis: 'period', source: 'Referral', ...tb }).expect(200),
        ),
      );
      expect(answers.map((a) => a.body.timeBasis)).toEqual(['occurred', 'occurred', 'recorded']);
      for (const answer of answers) expect(answer.body.total.counts).toMatchObject({ created: 1, converted: 1, convertedWithOpportunity: 1 });
    });
  });

  it('win rate: the back-dated win is dated 2024-03-05 with occurred, today with recorded', async () => {
    await eventually(async () => {
      const march = { from: '2024-03-01', to: '2024-03-31' };
      const occurredMarch = await get('/analytics/win-rate', { ...march, timeBasis: 'occurred' }).expect(200);
      expect(occurredMarch.body).toMatchObject({ timeBasis: 'occurred', total: { won: 1, lost: 0, closed: 1 } });
      const recordedMarch = await get('/analytics/win-rate', { ...march, timeBasis: 'recorded' }).expect(200);
      expect(recordedMarch.body).toMatchObject({ timeBasis: 'recorded', total: { won: 0, lost: 0, closed: 0, winRate: null } });

      const recordedToday = await get('/analytics/win-rate', { ...today, timeBasis: 'recorded', groupBy: 'owner' }).expect(200);
      expect(recordedToday.body.groups.map((g: { group: { owner: string }; won: number; lost: number }) => [g.group.owner, g.won, g.lost])).toEqual([
        ['carol', 1, 0],
        ['dave', 0, 1],
      ]);
      const occurredToday = await get('/analytics/win-rate', { ...today, groupBy: 'owner' }).expect(200);
      expect(occurredToday.body.timeBasis).toBe('occurred');
      expect(occurredToday.body.groups.map((g: { group: { owner: string }; won: number; lost: number }) => [g.group.owner, g.won, g.lost])).toEqual([['dave', 0, 1]]);
    });
  });

  it('refuses a timeBasis that is neither occurred nor recorded, naming it; pipeline has none', async () => {
    for (const path of ['/analytics/conversion', '/analytics/win-rate']) {
      const res = await get(path, { timeBasis: 'bogus' }).expect(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', issues: [{ field: 'timeBasis', reason: 'must be one of occurred, recorded' }] });
    }
    // Pipeline by stage is the current state, windowed only by planned close dates (a business field): no time basis.
    const pipeline = await get('/analytics/pipeline', { timeBasis: 'recorded' }).expect(400);
    expect(pipeline.body.issues).toEqual([{ field: 'query', reason: 'unknown parameter(s): timeBasis' }]);
  });

  it('documents timeBasis in the OpenAPI document where it means something', async () => {
    const doc = (await request(t.http).get('/openapi.json').expect(200)).body;
    const params = (path: string) => (doc.paths[path].get.parameters ?? []).map((p: { name: string }) => p.name);
    expect(params('/analytics/conversion')).toContain('timeBasis');
    expect(params('/analytics/win-rate')).toContain('timeBasis');
    expect(params('/analytics/pipeline')).not.toContain('timeBasis');
    expect(doc.paths['/analytics/pipeline'].get.description).toMatch(/no `timeBasis`/);
    const timeBasis = doc.paths['/analytics/conversion'].get.parameters.find((p: { name: string }) => p.name === 'timeBasis');
    expect(timeBasis.schema).toMatchObject({ enum: ['occurred', 'recorded'], default: 'occurred' });
  });
});
