import { allEventDataJsonSchemas } from './json-schemas';
import { compareWithSnapshot, updateSnapshot, withoutAnnotations } from './schema-snapshot';
import { readSnapshot } from './schema-snapshot.file';

describe('the published schemas against schemas.snapshot.json', () => {
  it('changes no published (type, version) in place, loses none, and has every new one recorded', () => {
    const problems = compareWithSnapshot(readSnapshot().schemas, allEventDataJsonSchemas());
    if (problems.length) throw new Error(`the event schemas and libs/contracts/schemas.snapshot.json differ:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
  });

  it('keeps LeadDisqualified v1 as it was published beside v2', () => {
    expect(Object.keys(readSnapshot().schemas['LeadDisqualified'])).toEqual(['1', '2']);
    expect(readSnapshot().schemas['LeadDisqualified']['1']['required']).toEqual(['leadId', 'reason', 'disqualifiedAt', 'status']);
  });
});

describe('compareWithSnapshot', () => {
  const v1 = { type: 'object', description: 'v1', properties: { reason: { type: 'string', description: 'why' } }, required: ['reason'] };
  const snapshot = { LeadDisqualified: { '1': v1 } };

  it('finds nothing when the schemas are the snapshot', () => {
    expect(compareWithSnapshot(snapshot, { LeadDisqualified: { '1': structuredClone(v1) } })).toEqual([]);
  });

  it('refuses a change in place: bump the version', () => {
    const changed = { ...v1, required: [] };
    expect(compareWithSnapshot(snapshot, { LeadDisqualified: { '1': changed } })).toEqual([
      expect.objectContaining({ kind: 'changed', type: 'LeadDisqualified', version: '1', message: expect.stringMatching(/changed in place: bump the version/) }),
    ]);
  });

  it('refuses a version that disappeared, and asks for a new one to be recorded', () => {
    expect(compareWithSnapshot(snapshot, { LeadDisqualified: { '2': v1 } }).map((p) => [p.kind, p.version])).toEqual([
      ['removed', '1'],
      ['added', '2'],
    ]);
    expect(compareWithSnapshot(snapshot, { LeadDisqualified: { '1': v1, '2': v1 } })[0].message).toMatch(/LeadDisqualified v2 is new .* npm run contracts:snapshot/);
  });

  it('tells a rewording (descriptions only) from a change, and does not mistake a property named "description" for one', () => {
    const reworded = { ...v1, properties: { reason: { type: 'string', description: 'the reason' } } };
    expect(compareWithSnapshot(snapshot, { LeadDisqualified: { '1': reworded } }).map((p) => p.kind)).toEqual(['reworded']);
    const withField = { type: 'object', properties: { description: { type: 'string' } } };
    expect(withoutAnnotations(withField)).toEqual(withField);
    expect(compareWithSnapshot({ X: { '1': withField } }, { X: { '1': { type: 'object', properties: {} } } }).map((p) => p.kind)).toEqual(['changed']);
  });

  it('updates a snapshot with new versions and rewordings only', () => {
    const update = updateSnapshot(snapshot, { LeadDisqualified: { '1': { ...v1, required: [] }, '2': v1 } });
    expect(update.refused.map((p) => p.kind)).toEqual(['changed']);
    expect(update.schemas).toEqual({ LeadDisqualified: { '1': v1, '2': v1 } });
  });
});
