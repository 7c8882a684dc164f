import Database from 'better-sqlite3';
import { join } from 'node:path';
import request from 'supertest';
import { adaLead, createLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { cli } from './support/cli';



describe('CLI verify and replay', () => {
  let t: TestApp;
  let good: string;
  let bad: string;
  beforeAll(async () => {
    t = await startTestApp();
    good = await createLead(t);
    bad = await createLead(t, { ...adaLead, company: 'Tampered Ltd' });
    for (const id of [good, bad]) await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'call' }).expect(200);
    await t.close();
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    try {
      db.prepare(`UPDATE events SET metadata = json_set(metadata, '$.actor', 'user:mallory') WHERE stream_id = ? AND revision = 1`).run(`lead-${bad}`);
    } finally {
      db.close();
    }
  });
  afterAll(() => removeDir(t.dataDir));

  it('checks every stream of the store, names the first altered event of the broken one, and exits 1', () => {
    const run = cli(t.dataDir, 'verify', '--no-progress');
    expect(run.out).toContain('4 events');
    expect(run.out).toContain('3 verified');
    expect(run.out).toContain(`BROKEN lead-${bad} at revision 1`);
    expect(run.out).not.toContain(`lead-${good}`);
    expect(run.status).toBe(1);
  });

  it('checks one stream, and exits 0 when it holds', () => {
    const run = cli(t.dataDir, 'verify', '--stream', `lead-${good}`);
    expect(run.out).toContain('2 verified');
    expect(run.status).toBe(0);
  });

  it("replays a lead's history as a timeline, as JSON lines, and as of an instant", () => {
    const timeline = cli(t.dataDir, 'replay', 'lead', good);
    expect(timeline.status).toBe(0);
    const lines = timeline.out.trim().split('\n');
    expect(lines[0]).toMatch(/^\S+Z {2}r0 {2}LeadCreated {2}by user:test-admin/);
    expect(timeline.out).toMatch(/r1 {2}LeadContacted/);
    expect(timeline.out).toContain('    status: "Open - Not Contacted" -> "Working - Contacted"');
    expect(lines.at(-1)).toBe('2 events');

    const json = cli(t.dataDir, 'replay', 'lead', good, '--json');
    const entries = json.out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; state: { contactCount: number } });
    expect(entries.map((e) => [e.type, e.state.contactCount])).toEqual([
      ['LeadCreated', 0],
      ['LeadContacted', 1],
    ]);

    const before = cli(t.dataDir, 'replay', 'lead', good, '--as-of', '2000-01-01T00:00:00Z');
    expect(before.status).toBe(1);
    expect(before.out).toContain('did not exist yet at 2000-01-01T00:00:00Z');
    expect(cli(t.dataDir, 'replay', 'invoice', good).status).toBe(1);
  });
});
