import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../apps/api/src/config/app-config';
import { seedDemo } from '../apps/cli/src/demo/seed';
import { tokenFor } from './support/auth';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by playwright-core, against the api on a real
 * port with a seeded demo history. The page must show the numbers the api answers, before and after a filter change,
 * fit a phone's width, and call nothing but the api. Screenshots go to test-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');

type Row = Array<string | null>;

// What the callbacks given to page.evaluate and friends use: they run in the page, not in Node, whose typecheck has no DOM.
declare const document: any;
declare const sessionStorage: { length: number };
type Valued = { value: string };

/** A table's body rows (not the line saying it is empty): the row header's text, then each cell's data-value (the api's raw number). */
function tableRows(page: Page, id: string): Promise<Row[]> {
  return page.$$eval(`#${id} tbody tr:not(.empty)`, (trs) =>
    trs.map((tr) => [...tr.children].map((cell, i) => (i === 0 ? cell.textContent : ((cell as unknown as { dataset: Record<string, string | undefined> }).dataset['value'] ?? null)))),
  );
}

const str = (v: number | null) => (v === null ? '' : String(v));

describe('dashboard: the page at / in headless chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let token: string;
  /** Of the page last opened: requests to anywhere but the api, and errors in its console. */
  const outside: string[] = [];
  const problems: string[] = [];

  /** The api's own answer, with the same credential the page signs in with. */
  const api = async <T = any>(path: string, query: Record<string, string | undefined> = {}): Promise<T> => {
    const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    const res = await request(t.rawHttp).get(path).query(given).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as T;
  };

  /** Waits for the refresh after `action` to finish (the board's data-loaded counter moves on and it is not busy). */
  async function afterRefresh(page: Page, action: () => Promise<unknown>): Promise<void> {
    const before = await page.getAttribute('#board', 'data-loaded');
    await action();
    await page.waitForFunction((prev) => {
      const board = document.getElementById('board')!;
      return board.dataset['loaded'] !== prev && board.getAttribute('aria-busy') === 'false';
    }, before);
  }

  /** Every number the page shows against the api's answers for these filters. */
  async function expectPageMatchesApi(page: Page, filters: { owner?: string; source?: string; basis: string }): Promise<void> {
    const owner = filters.owner ? { owner: filters.owner } : {};
    const source = filters.source ? { source: filters.source } : {};
    const pipeline = await api('/analytics/pipeline', owner);
    const currency = await page.$eval('#f-currency', (s) => (s as unknown as Valued).value);
    expect(await tableRows(page, 'pipeline-table')).toEqual(
      pipeline.stages.map((s: any) => {
        const c = s.byCurrency.find((x: any) => x.currency === currency) ?? { count: 0, amount: 0, weightedAmount: 0 };
        return [s.stage, String(c.count), String(c.amount), String(c.weightedAmount)];
      }),
    );
    const conversion = { basis: filters.basis, ...owner, ...source };
    const bySource = await api('/analytics/conversion', { ...conversion, groupBy: 'source' });
    const conversionRows = (answer: any, key: string) =>
      answer.groups.map((g: any) => [g.group[key] ?? '(none)', String(g.counts.created), String(g.counts.convertedWithOpportunity), str(g.rates.leadToOpportunity)]);
    expect(await tableRows(page, 'by-source-table')).toEqual(conversionRows(bySource, 'source'));
    const byMonth = await api('/analytics/conversion', { ...conversion, groupBy: 'cohortMonth' });
    expect(await tableRows(page, 'by-month-table')).toEqual(conversionRows(byMonth, 'cohortMonth'));
    expect(await page.textContent('#by-source-basis')).toContain(`Basis: ${filters.basis}`);
    expect(await page.textContent('#by-source-basis')).toContain(bySource.basisDescription);
    const winRate = await api('/analytics/win-rate', { ...owner, ...source, groupBy: 'owner' });
    expect(await tableRows(page, 'win-rate-table')).toEqual(winRate.groups.map((g: any) => [g.group.owner ?? '(none)', String(g.won), String(g.lost), str(g.winRate)]));
    expect(await page.getAttribute('#ttc-count', 'data-value')).toBe(String(bySource.total.timeToConvert.conversions));
    expect(await page.getAttribute('#ttc-median', 'data-value')).toBe(str(bySource.total.timeToConvert.median?.atMostHours ?? null));
    expect(await page.getAttribute('#ttc-p90', 'data-value')).toBe(str(bySource.total.timeToConvert.p90?.atMostHours ?? null));
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the dashboard's browser test (.ci/run does)`);
    }
    // The bundle as the sources are now (esbuild: well under a second), so the test never runs a stale one.
    execFileSync(process.execPath, [join(ROOT, 'apps/dashboard/build.js')], { stdio: 'pipe' });
    mkdirSync(ARTIFACTS, { recursive: true });

    const dataDir = mkdtempSync(join(tmpdir(), 'pl-dashboard-'));
    await seedDemo(loadConfig({ DATA_DIR: dataDir }), { leads: 200, seed: 9, startDate: new Date('2025-01-01T00:00:00Z'), months: 12 });
    t = await startTestApp({ dataDir, env: { PROJECTOR: 'embedded' } });
    // The server without the test app's default admin: the page must sign in like anyone.
    await new Promise<void>((resolve) => t.rawHttp.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.rawHttp.address() as AddressInfo).port}`;
    token = await tokenFor(['analyst', 'auditor'], { sub: 'dashboard-e2e', pii: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (t) {
      await new Promise((resolve) => t.rawHttp.close(resolve));
      await t.close();
      removeDir(t.dataDir);
    }
  });

  async function newPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    outside.length = 0;
    problems.length = 0;
    page.on('request', (req) => {
      if (!req.url().startsWith(`${base}/`)) outside.push(req.url());
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // An api's refusal the test asks for (401, 400) logs "Failed to load resource"; anything else (a CSP refusal, a script error) is a problem.
      if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return page;
  }

  async function signIn(page: Page, credential: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.getByLabel('API key or bearer token').fill(credential);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('serves the page and its hashed assets without a credential, under the api\'s Content-Security-Policy', async () => {
    const index = await request(t.rawHttp).get('/').expect(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script: the bundle is a file
    const script = /src="(\/dashboard\/app-[A-Z0-9]+\.js)"/.exec(index.text)![1]!;
    const style = /href="(\/dashboard\/style-[A-Z0-9]+\.css)"/.exec(index.text)![1]!;
    const js = await request(t.rawHttp).get(script).expect(200);
    expect(js.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(t.rawHttp).get(style).expect(200)).headers['content-type']).toMatch(/^text\/css/);
    await request(t.rawHttp).get('/dashboard/app-NOSUCHFILE.js').expect(404);
    await request(t.rawHttp).get('/dashboard/index.html').expect(404); // only the hashed assets under /dashboard
    await request(t.rawHttp).get('/analytics/pipeline').expect(401); // the data stays behind the guard
  });

  it('asks for a credential, and shows the sign-in again with the reason when the api refuses it', async () => {
    const page = await newPage();
    await signIn(page, 'not-a-valid-key');
    await page.waitForFunction(() => !document.getElementById('sign-in')!.hidden && document.getElementById('sign-in-error')!.textContent !== '');
    expect(await page.isHidden('#board')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  }, 60_000);

  it('shows the numbers the api answers, updates them when a filter changes, fits a phone, and calls nothing else', async () => {
    const page = await newPage();
    await signIn(page, token);
    await page.waitForFunction(() => document.getElementById('board')!.dataset['loaded'] !== undefined && document.getElementById('board')!.getAttribute('aria-busy') === 'false');
    expect(await page.textContent('#api-error')).toBe('');

    // The pipeline has amounts, and the page picked one of its currencies.
    const stages: any[] = (await api('/analytics/pipeline')).stages;
    const currencies = [...new Set(stages.flatMap((s) => s.byCurrency.map((c: any) => c.currency)))].sort();
    expect(currencies.length).toBeGreaterThan(0);
    expect(await page.$eval('#f-currency', (s) => (s as unknown as Valued).value)).toBe(currencies[0]);
    await expectPageMatchesApi(page, { basis: 'cohort' });
    expect((await tableRows(page, 'by-source-table')).length).toBeGreaterThan(1);
    expect((await tableRows(page, 'win-rate-table')).length).toBeGreaterThan(1);
    // Charts drawn (a canvas with pixels), and freshness said plainly.
    for (const id of ['pipeline-chart', 'by-source-chart', 'by-month-chart', 'win-rate-chart']) {
      expect(await page.$eval(`#${id}`, (c) => (c as unknown as { width: number }).width)).toBeGreaterThan(0);
    }
    const health = (await request(t.rawHttp).get('/health').expect(200)).body;
    expect(await page.textContent('#freshness')).toMatch(new RegExp(`^Last event position \\d+ of ${health.eventStore.headPosition}; projector lag \\d+ events`));
    expect((await tableRows(page, 'freshness-table')).map((r) => r[0])).toEqual(expect.arrayContaining(['pipeline-by-stage']));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // One owner: every chart asks again and shows that owner's numbers.
    const owners = await page.$$eval('#f-owner option', (os) => os.map((o) => (o as unknown as Valued).value).filter(Boolean));
    expect(owners.length).toBeGreaterThan(1);
    const owner = owners[0]!;
    await afterRefresh(page, () => page.getByLabel('Owner', { exact: true }).selectOption(owner));
    await expectPageMatchesApi(page, { owner, basis: 'cohort' });
    expect((await tableRows(page, 'win-rate-table')).map((r) => r[0])).toEqual([owner]);

    // A source and the other basis, which the page names.
    const sources = await page.$$eval('#f-source option', (os) => os.map((o) => (o as unknown as Valued).value).filter(Boolean));
    await afterRefresh(page, () => page.getByLabel('Source', { exact: true }).selectOption(sources[0]!));
    await afterRefresh(page, () => page.getByLabel('Conversion basis').selectOption('period'));
    await expectPageMatchesApi(page, { owner, source: sources[0]!, basis: 'period' });

    // A window the api refuses: its reason, shown as it gave it.
    await afterRefresh(page, () => page.getByLabel('From (day)').fill('2025-06-01'));
    await page.getByLabel('To (day)').fill('2025-03-01');
    await page.waitForFunction(() => document.getElementById('api-error')!.textContent !== '');
    expect(await page.textContent('#api-error')).toMatch(/refused the request \(400\): .*(from|to)/);

    // Phone width: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300); // charts resize on the next frame
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('finds a lead and shows its history timeline, as of a date when one is given', async () => {
    const lead = (await api('/leads', { pageSize: '1' })).items[0];
    const label = `Show the history of lead ${lead.name ?? lead.id}`;
    const history = await api(`/leads/${lead.id}/history`);
    const page = await newPage();
    await signIn(page, token);
    await page.waitForSelector('#board:not([hidden])');
    await page.getByLabel('Search leads (name, company, email)').fill(lead.company);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: label }).first().click();
    await page.waitForSelector('#timeline li');
    expect(await page.$$eval('#timeline li', (lis) => lis.length)).toBe(history.total);
    expect(await page.textContent('#timeline-title')).toContain(`${history.total} events`);

    // As of the instant of its first event: the timeline shrinks to what was recorded by then.
    const first = history.entries[0].recordedAt as string;
    const asOf = await api(`/leads/${lead.id}/history`, { asOf: first });
    const local = await page.evaluate((iso) => {
      const d = new Date(Date.parse(iso) + 60_000); // datetime-local has minutes: the minute after
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, first);
    await page.getByLabel('History as of (your time; empty: now)').fill(local);
    await page.getByRole('button', { name: label }).first().click();
    await page.waitForFunction(() => /as of /.test(document.getElementById('timeline-title')!.textContent ?? ''));
    const shown = await page.$$eval('#timeline li', (lis) => lis.length);
    expect(shown).toBeGreaterThanOrEqual(asOf.total);
    expect(shown).toBeLessThanOrEqual(history.total);
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
