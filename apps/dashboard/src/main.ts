/**
 * The dashboard: sign in with an API key (or bearer token), then charts of the api's analytics answers, each drawn
 * beside a table of the same numbers (for screen readers, and for the e2e test, which reads `data-value`: the api's
 * raw number). Every filter change asks the api again; its 400 reasons are shown as they come.
 */
import { BarController, BarElement, CategoryScale, Chart, ChartConfiguration, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import {
  ApiError,
  ConversionAnswer,
  ConversionFigures,
  Freshness,
  Health,
  HistoryAnswer,
  LeadsPage,
  PercentileBucket,
  PipelineAnswer,
  Query,
  WinRateAnswer,
  credential,
  get,
  setCredential,
} from './api';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const charts = new Map<string, Chart>();
let lastPipeline: PipelineAnswer | null = null;
/** Bumped by every refresh: an answer to an older one is dropped, so a slow answer never overwrites a newer one. */
let generation = 0;

// ---- formatting --------------------------------------------------------------------------------------------------

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units (what the api counts in) as money. */
function money(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

const percent = (rate: number | null): string => (rate === null ? 'n/a' : `${(rate * 100).toFixed(1)} %`);
const count = (n: number): string => new Intl.NumberFormat().format(n);

function hours(h: number): string {
  return h >= 48 ? `${Math.round(h / 24)} days` : `${h} h`;
}

function bucket(b: PercentileBucket | null): string {
  if (!b) return 'n/a (no conversions)';
  return b.atMostHours === null ? `more than ${hours(b.moreThanHours)}` : `${hours(b.moreThanHours)} to ${hours(b.atMostHours)}`;
}

// ---- tables and charts -------------------------------------------------------------------------------------------

type Cell = { text: string; value?: number | string | null; header?: boolean };

/** Replaces a table's body; each cell carries the api's raw number in data-value. */
function fillTable(id: string, rows: Cell[][], empty: string): void {
  const body = $(id).querySelector('tbody')!;
  body.replaceChildren();
  if (!rows.length) {
    const tr = body.insertRow();
    tr.className = 'empty';
    const td = tr.insertCell();
    td.colSpan = 4;
    td.textContent = empty;
    return;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      const el = document.createElement(cell.header ? 'th' : 'td');
      if (cell.header) el.setAttribute('scope', 'row');
      el.textContent = cell.text;
      if (cell.value !== undefined) el.dataset['value'] = cell.value === null ? '' : String(cell.value);
      tr.append(el);
    }
  }
}

function draw(id: string, config: ChartConfiguration): void {
  charts.get(id)?.destroy();
  const canvas = $<HTMLCanvasElement>(id);
  charts.set(id, new Chart(canvas, { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } }));
}

const COLOURS = ['#2563eb', '#93c5fd', '#059669'];

function rateChart(id: string, type: 'bar' | 'line', labels: string[], rates: Array<number | null>, label: string): void {
  draw(id, {
    type,
    data: { labels, datasets: [{ label, data: rates.map((r) => (r === null ? null : Math.round(r * 1000) / 10)), backgroundColor: COLOURS[0], borderColor: COLOURS[0] }] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: '%' } } }, plugins: { legend: { display: false } } },
  });
}

// ---- the sections ------------------------------------------------------------------------------------------------

function renderPipeline(answer: PipelineAnswer): void {
  lastPipeline = answer;
  const select = $<HTMLSelectElement>('f-currency');
  const currencies = [...new Set(answer.stages.flatMap((s) => s.byCurrency.map((c) => c.currency)))].sort();
  const chosen = currencies.includes(select.value) ? select.value : (currencies[0] ?? '');
  select.replaceChildren(...currencies.map((c) => new Option(c, c, false, c === chosen)));
  if (!currencies.length) select.append(new Option('none yet', ''));
  select.value = chosen;
  $('pipeline-currency').textContent = chosen || 'no amounts yet';
  const lines = answer.stages.map((s) => {
    const totals = s.byCurrency.find((c) => c.currency === chosen) ?? { count: 0, amount: 0, weightedAmount: 0 };
    return { stage: s.stage, count: totals.count, amount: totals.amount, weightedAmount: totals.weightedAmount };
  });
  fillTable(
    'pipeline-table',
    lines.map((l) => [
      { text: l.stage, header: true },
      { text: count(l.count), value: l.count },
      { text: money(l.amount, chosen || 'USD'), value: l.amount },
      { text: money(l.weightedAmount, chosen || 'USD'), value: l.weightedAmount },
    ]),
    'No stages.',
  );
  const major = 10 ** minorDigits(chosen || 'USD');
  draw('pipeline-chart', {
    type: 'bar',
    data: {
      labels: lines.map((l) => l.stage),
      datasets: [
        { label: `Amount (${chosen})`, data: lines.map((l) => l.amount / major), backgroundColor: COLOURS[0] },
        { label: `Weighted amount (${chosen})`, data: lines.map((l) => l.weightedAmount / major), backgroundColor: COLOURS[1] },
      ],
    },
    options: { scales: { y: { beginAtZero: true } } },
  });
}

function conversionRows(answer: ConversionAnswer, key: string): Cell[][] {
  return answer.groups.map((g) => [
    { text: g.group[key] ?? '(none)', header: true },
    { text: count(g.counts.created), value: g.counts.created },
    { text: count(g.counts.convertedWithOpportunity), value: g.counts.convertedWithOpportunity },
    { text: percent(g.rates.leadToOpportunity), value: g.rates.leadToOpportunity },
  ]);
}

function basisLine(answer: ConversionAnswer): string {
  return `Basis: ${answer.basis}, ${answer.timeBasis} time. ${answer.basisDescription}`;
}

function renderConversion(bySource: ConversionAnswer, byMonth: ConversionAnswer): void {
  $('by-source-basis').textContent = basisLine(bySource);
  $('by-month-basis').textContent = basisLine(byMonth);
  fillTable('by-source-table', conversionRows(bySource, 'source'), 'No leads in this window.');
  fillTable('by-month-table', conversionRows(byMonth, 'cohortMonth'), 'No leads in this window.');
  rateChart('by-source-chart', 'bar', bySource.groups.map((g) => g.group['source'] ?? '(none)'), bySource.groups.map((g) => g.rates.leadToOpportunity), 'Lead-to-opportunity rate (%)');
  rateChart('by-month-chart', 'line', byMonth.groups.map((g) => g.group['cohortMonth'] ?? '(none)'), byMonth.groups.map((g) => g.rates.leadToOpportunity), 'Lead-to-opportunity rate (%)');
  renderTimeToConvert(bySource.total);
}

function renderTimeToConvert(total: ConversionFigures): void {
  const ttc = total.timeToConvert;
  $('ttc-count').textContent = count(ttc.conversions);
  $('ttc-count').dataset['value'] = String(ttc.conversions);
  $('ttc-median').textContent = bucket(ttc.median);
  $('ttc-median').dataset['value'] = String(ttc.median?.atMostHours ?? '');
  $('ttc-p90').textContent = bucket(ttc.p90);
  $('ttc-p90').dataset['value'] = String(ttc.p90?.atMostHours ?? '');
  $('ttc-note').textContent = `Approximate: ${ttc.approximate}.`;
}

function renderWinRate(answer: WinRateAnswer): void {
  fillTable(
    'win-rate-table',
    answer.groups.map((g) => [
      { text: g.group['owner'] ?? '(none)', header: true },
      { text: count(g.won), value: g.won },
      { text: count(g.lost), value: g.lost },
      { text: percent(g.winRate), value: g.winRate },
    ]),
    'No deals closed in this window.',
  );
  rateChart('win-rate-chart', 'bar', answer.groups.map((g) => g.group['owner'] ?? '(none)'), answer.groups.map((g) => g.winRate), 'Win rate (%)');
}

function renderFreshness(answers: Freshness[], health: Health | null): void {
  const byName = new Map(answers.map((f) => [f.projection, f]));
  const rows = [...byName.values()];
  fillTable(
    'freshness-table',
    rows.map((f) => [
      { text: f.projection, header: true },
      { text: f.position ?? 'none yet', value: f.position },
      { text: f.lag, value: f.lag },
      { text: f.status },
    ]),
    'No answers yet.',
  );
  const maxLag = rows.reduce((m, f) => (BigInt(f.lag) > m ? BigInt(f.lag) : m), 0n);
  const positions = rows.map((f) => (f.position === null ? -1n : BigInt(f.position)));
  const lowest = positions.length ? positions.reduce((a, b) => (b < a ? b : a)) : -1n;
  const head = health?.eventStore.headPosition ?? 'unknown';
  $('freshness').textContent =
    `Last event position ${lowest < 0n ? 'none yet' : lowest.toString()} of ${head}; projector lag ${maxLag.toString()} events` +
    `${rows.some((f) => f.status !== 'running') ? ' (a projection has failed: see Freshness)' : ''}. As of ${new Date().toLocaleTimeString()}.`;
}

// ---- filters and loading -----------------------------------------------------------------------------------------

function filters(): Record<'from' | 'to' | 'owner' | 'source' | 'basis' | 'timeBasis', string> {
  const value = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id).value;
  return { from: value('f-from'), to: value('f-to'), owner: value('f-owner'), source: value('f-source'), basis: value('f-basis'), timeBasis: value('f-time-basis') };
}

function setOptions(id: string, values: string[]): void {
  const select = $<HTMLSelectElement>(id);
  const current = select.value;
  const all = select.options[0]!;
  select.replaceChildren(all, ...values.map((v) => new Option(v, v)));
  select.value = values.includes(current) ? current : '';
}

/** The owners and sources to choose from: those the leads have, from one unfiltered answer. */
async function loadChoices(): Promise<void> {
  const answer = await get<ConversionAnswer>('/analytics/conversion', { groupBy: 'source,owner' });
  const distinct = (key: string) => [...new Set(answer.groups.map((g) => g.group[key]).filter((v): v is string => typeof v === 'string'))].sort();
  setOptions('f-owner', distinct('owner'));
  setOptions('f-source', distinct('source'));
}

async function refresh(): Promise<void> {
  const mine = ++generation;
  const f = filters();
  const board = $('board');
  board.setAttribute('aria-busy', 'true');
  $('api-error').textContent = '';
  const conversion: Query = { basis: f.basis, timeBasis: f.timeBasis, from: f.from, to: f.to, owner: f.owner, source: f.source };
  try {
    const [pipeline, bySource, byMonth, winRate, health] = await Promise.all([
      get<PipelineAnswer>('/analytics/pipeline', { owner: f.owner }),
      get<ConversionAnswer>('/analytics/conversion', { ...conversion, groupBy: 'source' }),
      get<ConversionAnswer>('/analytics/conversion', { ...conversion, groupBy: 'cohortMonth' }),
      get<WinRateAnswer>('/analytics/win-rate', { timeBasis: f.timeBasis, from: f.from, to: f.to, owner: f.owner, source: f.source, groupBy: 'owner' }),
      get<Health>('/health').catch(() => null),
    ]);
    if (mine !== generation) return;
    renderPipeline(pipeline);
    renderConversion(bySource, byMonth);
    renderWinRate(winRate);
    renderFreshness([pipeline.freshness, bySource.freshness, winRate.freshness], health);
    board.dataset['loaded'] = String(mine);
  } catch (err) {
    if (mine === generation) failed(err, 'api-error');
  } finally {
    if (mine === generation) board.setAttribute('aria-busy', 'false');
  }
}

/** Shows an error where it belongs; a 401 (credential refused or expired) goes back to the sign-in. */
function failed(err: unknown, where: string): void {
  if (err instanceof ApiError && err.status === 401) {
    showSignIn(`Signed out: ${err.message}`);
    return;
  }
  $(where).textContent = err instanceof ApiError ? err.describe() : `The api could not be reached: ${String(err)}`;
}

// ---- lead search and history -------------------------------------------------------------------------------------

async function searchLeads(text: string): Promise<void> {
  const message = $('lead-message');
  const list = $('lead-results');
  list.replaceChildren();
  $('timeline').replaceChildren();
  $('timeline-title').hidden = true;
  message.textContent = 'Searching...';
  try {
    let page: LeadsPage;
    try {
      page = await get<LeadsPage>('/leads', { q: text, pageSize: '10' });
    } catch (err) {
      // Searching names and email needs the pii grant; the company filter needs none.
      if (!(err instanceof ApiError && err.code === 'PII_GRANT_REQUIRED')) throw err;
      page = await get<LeadsPage>('/leads', { company: text, pageSize: '10' });
      message.dataset['fallback'] = 'company';
    }
    message.textContent = `${page.total} lead${page.total === 1 ? '' : 's'} found${message.dataset['fallback'] ? ' by company (searching names and email needs the pii grant)' : ''}.`;
    delete message.dataset['fallback'];
    for (const lead of page.items) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${lead.name ?? lead.lastName ?? lead.id} · ${lead.company ?? ''} · ${lead.status ?? ''}`;
      button.setAttribute('aria-label', `Show the history of lead ${lead.name ?? lead.id}`);
      button.addEventListener('click', () => void showHistory(lead.id));
      li.append(button);
      list.append(li);
    }
  } catch (err) {
    failed(err, 'lead-message');
  }
}

async function showHistory(id: string): Promise<void> {
  const asOfLocal = $<HTMLInputElement>('as-of').value;
  const asOf = asOfLocal ? new Date(asOfLocal).toISOString() : undefined;
  const timeline = $('timeline');
  timeline.replaceChildren();
  try {
    const history = await get<HistoryAnswer>(`/leads/${encodeURIComponent(id)}/history`, { asOf, pageSize: '500' });
    $('timeline-title').hidden = false;
    $('timeline-title').textContent = `Timeline of lead ${id}: ${history.total} events${history.asOf ? ` as of ${history.asOf}` : ''}`;
    for (const entry of history.entries) {
      const li = document.createElement('li');
      const when = document.createElement('time');
      when.dateTime = entry.occurredAt;
      when.textContent = new Date(entry.occurredAt).toLocaleString();
      const what = document.createElement('strong');
      what.textContent = ` ${entry.type} `;
      const detail = document.createElement('span');
      const changes = entry.changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ');
      detail.textContent = `by ${entry.actor} (position ${entry.position})${changes ? `: ${changes}` : ''}`;
      li.append(when, what, detail);
      timeline.append(li);
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) $('lead-message').textContent = `A lead's history is for auditors: ${err.message}`;
    else failed(err, 'lead-message');
  }
}

// ---- sign-in -----------------------------------------------------------------------------------------------------

function showSignIn(reason = ''): void {
  setCredential(null);
  $('board').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = reason;
  $('freshness').textContent = 'Not signed in.';
  $<HTMLInputElement>('credential').focus();
}

async function showBoard(): Promise<void> {
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('sign-out').hidden = false;
  try {
    await loadChoices();
  } catch (err) {
    failed(err, 'api-error');
    return;
  }
  await refresh();
}

function start(): void {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('credential');
    const value = input.value.trim().replace(/^Bearer\s+/i, '');
    if (!value) return;
    setCredential(value);
    input.value = '';
    void showBoard();
  });
  $('sign-out').addEventListener('click', () => showSignIn());
  $('filters').addEventListener('change', (event) => {
    if ((event.target as HTMLElement).id === 'f-currency') {
      if (lastPipeline) renderPipeline(lastPipeline);
      return;
    }
    void refresh();
  });
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('lead-search').addEventListener('submit', (event) => {
    event.preventDefault();
    void searchLeads($<HTMLInputElement>('lead-q').value.trim());
  });
  if (credential()) void showBoard();
  else showSignIn();
}

start();
