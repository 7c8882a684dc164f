import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, chainNewEvents, CHAIN_GENESIS } from '@pipeline-ledger/event-store';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { eventually } from './support/eventually';

/**
 * Stores written before personal fields were encrypted hold them in the clear. They keep working: read as they are,
 * and shown as "[erased]" once the person is erased (the log itself keeps that plaintext: only a rewrite of the log
 * could remove it, which the README's security section says).
 */
describe('events written before encryption (plaintext personal fields)', () => {
  let t: TestApp;
  const leadId = randomUUID();
  const dataDir = mkdtempSync(join(tmpdir(), 'pl-plaintext-'));

  beforeAll(async () => {
    // A lead as the service wrote it before this change: LeadCreated v1 with the personal fields as given.
    const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    const metadata = { actor: 'alice', correlationId: randomUUID(), causationId: null, occurredAt: '2026-01-05T10:00:00.000Z' };
    const created = {
      eventId: randomUUID(),
      type: 'LeadCreated',
      schemaVersion: 1,
      data: {
        leadId,
        firstName: 'Philippa',
        lastName: 'Oldstore',
        company: 'Legacy Ltd',
        title: null,
        email: 'philippa@legacy.example',
        phone: null,
        source: 'Referral',
        campaign: null,
        industry: null,
        rating: null,
        owner: 'alice',
        status: 'Open - Not Contacted',
        createdAt: '2026-01-05T10:00:00.000Z',
      },
      metadata,
    };
    await store.appendToStream(`lead-${leadId}`, chainNewEvents(`lead-${leadId}`, 0, CHAIN_GENESIS, [created]), { expectedRevision: 'no_stream' });
    await store.close();
    t = await startTestApp({ dataDir });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('reads them as they are, and lets the lead be worked on (new personal data is encrypted from then on)', async () => {
    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.body).toMatchObject({ firstName: 'Philippa', lastName: 'Oldstore', email: 'philippa@legacy.example' });
    await request(t.http).patch(`/leads/${leadId}`).send({ phone: '+1 555 0100' }).expect(200);
    expect((await request(t.http).get(`/leads/${leadId}`).expect(200)).body.phone).toBe('+1 555 0100');
    expect(readFileSync(join(dataDir, 'events.sqlite')).includes(Buffer.from('+1 555 0100'))).toBe(false);
    await eventually(async () => {
      const list = await request(t.http).get('/leads').expect(200);
      expect(list.body.items[0]).toMatchObject({ lastName: 'Oldstore', phone: '+1 555 0100' });
    });
  });

  it('shows them as erased once the person is erased, in reads, histories and rebuilt read models; the chain still verifies', async () => {
    await request(t.http).post(`/people/${leadId}/erase`).expect(200);
    const history = await request(t.http).get(`/leads/${leadId}/history`).expect(200);
    expect(history.body.entries[0].data).toMatchObject({ firstName: '[erased]', lastName: '[erased]', email: '[erased]', company: 'Legacy Ltd' });
    expect(JSON.stringify(history.body)).not.toContain('Philippa');
    await request(t.http).post('/projections/rebuild').send({ projections: ['leads-list'] }).expect(202);
    await eventually(async () => {
      const list = await request(t.http).get('/leads').expect(200);
      expect(list.body.items[0]).toMatchObject({ firstName: '[erased]', lastName: '[erased]', email: '[erased]', phone: '[erased]', company: 'Legacy Ltd' });
    });
    expect((await request(t.http).get(`/leads/${leadId}/verify`).expect(200)).body).toMatchObject({ ok: true, verified: 3 });
  });
});
