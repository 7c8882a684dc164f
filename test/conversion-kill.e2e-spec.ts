import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaLead } from './support/fixtures';
import { ApiProcess } from './support/api-process';
import { removeDir } from './support/test-app';

const post = async (api: ApiProcess, path: string, body: unknown) => {
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: await api.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** Counts straight from the event store's file: what each converted lead produced. */
function conversionLedger(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const count = (type: string) =>
      new Map(
        (db.prepare(`SELECT json_extract(data, '$.leadId') AS lead, COUNT(*) AS n FROM events WHERE type = ? GROUP BY lead`).all(type) as Array<{ lead: string; n: number }>).map(
          (r) => [r.lead, r.n],
        ),
      );
    return { converted: count('LeadConverted'), accounts: count('AccountCreated'), contacts: count('ContactCreated'), opportunities: count('OpportunityCreated') };
  } finally {
    db.close();
  }
}

/**
 * The real thing: the api in a child process, SIGKILLed while conversions are in flight, several times over.
 * After each restart every converted lead has exactly one account, one contact and one opportunity, and every
 * lead the kill left unconverted can still be converted.
 */
describe('Conversion survives SIGKILL of the api process mid-flight', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pl-kill-'));
  let api: ApiProcess;
  beforeAll(async () => {
    api = await ApiProcess.start(dataDir);
  }, 90_000);
  afterAll(async () => {
    await api?.kill();
    removeDir(dataDir);
  });

  it('leaves every conversion complete exactly once after each restart', async () => {
    const file = join(dataDir, 'events.sqlite');
    const allLeads: string[] = [];
    let cutShort = 0;
    for (const killAfterMs of [3, 8, 15, 25]) {
      const leads: string[] = [];
      for (let i = 0; i < 40; i++) leads.push((await post(api, `/leads`, { ...adaLead, lastName: `Kill${i}` })).body.id as string);
      allLeads.push(...leads);
      // Fire every conversion at once, and kill the process while they are being written.
      const inFlight = leads.map((id) => post(api, `/leads/${id}/convert`, { opportunity: { closeDate: '2027-01-31' } }).catch(() => null));
      await new Promise((r) => setTimeout(r, killAfterMs));
      await api.kill();
      await Promise.all(inFlight);
      const before = conversionLedger(file);
      cutShort += [...before.converted.keys()].filter((lead) => !before.opportunities.has(lead)).length;

      await api.restart();
      // The completer finishes whatever the kill interrupted; then every conversion is whole, exactly once.
      const deadline = Date.now() + 15_000;
      let after = conversionLedger(file);
      while ([...after.converted.keys()].some((lead) => !after.opportunities.has(lead)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        after = conversionLedger(file);
      }
      for (const [lead, n] of after.converted) {
        expect({ lead, converted: n, accounts: after.accounts.get(lead), contacts: after.contacts.get(lead), opportunities: after.opportunities.get(lead) }).toEqual({
          lead,
          converted: 1,
          accounts: 1,
          contacts: 1,
          opportunities: 1,
        });
      }
    }
    // Nothing accepted was lost: leads the kills left unconverted convert now; the others say they are converted.
    for (const id of allLeads) {
      const res = await post(api, `/leads/${id}/convert`, { opportunity: { closeDate: '2027-01-31' } });
      expect([200, 409]).toContain(res.status);
      if (res.status === 409) expect(res.body.error).toBe('LEAD_CONVERTED');
    }
    const final = conversionLedger(file);
    expect(final.converted.size).toBe(allLeads.length);
    expect([...final.opportunities.values()].every((n) => n === 1)).toBe(true);
    // Not asserted (it depends on timing), but shown: how many conversions the kills actually cut in half.
    console.log(`conversions cut short by SIGKILL and completed after restart: ${cutShort}`);
  }, 180_000);
});
