import { DOMAIN_EVENT_TYPES, EVENT_SCHEMA_VERSIONS } from '@pipeline-ledger/domain';
import type { StoredEvent } from '@pipeline-ledger/event-store';
import { dataSchemaOf, schemaVersionsOf } from '../event-contracts';
import { UnreadableSchemaVersionError, createUpcaster, upcast } from './upcast';
import { UPCAST_STEPS } from './upcasters';

const LEAD = '0b9f6a8e-4c1d-4f7e-9a2b-5d3c1e7f9a10';

function stored(type: string, schemaVersion: number, data: Record<string, unknown>): StoredEvent {
  return {
    eventId: '5f0c2d1e-8a7b-4c6d-9e5f-1a2b3c4d5e6f',
    streamId: `lead-${LEAD}`,
    revision: 3,
    position: 42n,
    type,
    schemaVersion,
    data,
    metadata: { actor: 'alice', correlationId: 'c-1', causationId: null, occurredAt: '2024-05-02T10:00:00.000Z', recordedAt: '2024-05-02T10:00:01.000Z', hash: 'abc' },
  };
}

const disqualifiedV1 = () =>
  stored('LeadDisqualified', 1, { leadId: LEAD, reason: 'no budget until next year', disqualifiedAt: '2024-05-02T10:00:00.000Z', status: 'Closed - Not Converted' });

describe('upcast', () => {
  it('turns a LeadDisqualified v1 into v2: reasonCode "other", the words kept as the reason', () => {
    const v1 = disqualifiedV1();
    const v2 = upcast(v1);
    expect(v2.schemaVersion).toBe(2);
    expect(v2.data).toEqual({ leadId: LEAD, reasonCode: 'other', reason: 'no budget until next year', disqualifiedAt: '2024-05-02T10:00:00.000Z', status: 'Closed - Not Converted' });
    expect(dataSchemaOf('LeadDisqualified', 2)!.safeParse(v2.data).success).toBe(true);
  });

  it('keeps the envelope, and leaves the stored event as it was (its hash is over the stored form)', () => {
    const v1 = disqualifiedV1();
    const before = structuredClone(v1);
    const v2 = upcast(v1);
    expect(v1).toEqual(before);
    const { schemaVersion, data, ...envelope } = v2;
    const { schemaVersion: _v, data: _d, ...storedEnvelope } = before;
    expect(envelope).toEqual(storedEnvelope);
    expect([schemaVersion, data]).not.toEqual([before.schemaVersion, before.data]);
  });

  it('returns the very same object for an event in its current version, and for a type the domain does not know', () => {
    const current = stored('LeadDisqualified', 2, { leadId: LEAD, reasonCode: 'duplicate', reason: null, disqualifiedAt: '2024-05-02T10:00:00.000Z', status: 'Closed - Not Converted' });
    expect(upcast(current)).toBe(current);
    const created = stored('LeadCreated', 1, {});
    expect(upcast(created)).toBe(created);
    const foreign = stored('SomethingElse', 7, {});
    expect(upcast(foreign)).toBe(foreign);
  });

  it('refuses a version newer than this code knows, saying which event and what to do', () => {
    expect(() => upcast(stored('LeadDisqualified', 3, {}))).toThrow(UnreadableSchemaVersionError);
    expect(() => upcast(stored('LeadDisqualified', 3, {}))).toThrow(
      /LeadDisqualified 5f0c2d1e-8a7b-4c6d-9e5f-1a2b3c4d5e6f \(stream lead-.*, revision 3, position 42\) has schema version 3, newer than this service knows \(LeadDisqualified is at version 2 here\)/,
    );
    expect(() => upcast(stored('LeadCreated', 0, {}))).toThrow(/schema version 0, which is not a version/);
    expect(() => upcast(stored('LeadCreated', 1.5, {}))).toThrow(UnreadableSchemaVersionError);
  });

  it('has a way from every published version of every type to the current one', () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      const current = EVENT_SCHEMA_VERSIONS[type];
      expect(schemaVersionsOf(type)).toEqual(Array.from({ length: current }, (_, i) => i + 1));
      for (let version = 1; version < current; version++) expect([type, version, typeof UPCAST_STEPS[type]?.[version]]).toEqual([type, version, 'function']);
    }
  });
});

describe('createUpcaster', () => {
  const steps = {
    LeadReopened: {
      1: (d: Record<string, unknown>) => ({ ...d, b: 'from 1' }),
      2: (d: Record<string, unknown>) => ({ ...d, c: `${String(d['b'])}, then from 2` }),
    },
  };

  it('chains the steps from the stored version to the current one', () => {
    const up = createUpcaster(steps, { LeadReopened: 3 });
    expect(up(stored('LeadReopened', 1, { a: 1 }))).toMatchObject({ schemaVersion: 3, data: { a: 1, b: 'from 1', c: 'from 1, then from 2' } });
    expect(up(stored('LeadReopened', 2, { a: 1, b: 'stored' }))).toMatchObject({ schemaVersion: 3, data: { a: 1, b: 'stored', c: 'stored, then from 2' } });
  });

  it('says which step is missing rather than passing the old shape on', () => {
    const up = createUpcaster({}, { LeadReopened: 2 });
    expect(() => up(stored('LeadReopened', 1, {}))).toThrow(/no upcaster from LeadReopened v1 to v2/);
  });
});
