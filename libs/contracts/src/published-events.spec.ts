import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DOMAIN_EVENT_TYPES, DomainEventType, EVENT_SCHEMA_VERSIONS } from '@pipeline-ledger/domain';
import { schemaVersionsOf } from './event-contracts';
import { exampleMessages, olderExampleMessageOf } from './examples/example-messages';
import { eventDataJsonSchema, eventMessageJsonSchema, feedMessageJsonSchema } from './json-schemas';
import { upcast } from './upcasting/upcast';

/**
 * The published JSON Schemas against what the real deciders emit, checked with ajv (a JSON Schema validator of its
 * own, draft 2020-12 with formats), not with the zod schemas they were generated from.
 */
describe('the published JSON Schemas, validated with ajv', () => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (id: string, schema: () => Record<string, unknown>) => {
    if (!compiled.has(id)) compiled.set(id, ajv.compile(schema()));
    return compiled.get(id)!;
  };
  const dataValidator = (type: DomainEventType, version: number) => validator(`${type} v${version}`, () => eventDataJsonSchema(type, version));
  const messageValidator = (type: DomainEventType, version: number) => validator(`${type} v${version} message`, () => eventMessageJsonSchema(type, version));
  const errors = (validate: ValidateFunction) => ajv.errorsText(validate.errors, { separator: '; ' });
  const valid = (validate: ValidateFunction, data: unknown): boolean => validate(data);

  const messages = exampleMessages();

  it('has samples of every event type the domain has, decided by the real deciders', () => {
    expect(DOMAIN_EVENT_TYPES.filter((type) => !messages.some((m) => m.type === type))).toEqual([]);
  });

  it.each([...DOMAIN_EVENT_TYPES])('%s: every sample validates against the schema of its current version', (type) => {
    const samples = messages.filter((m) => m.type === type);
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      expect(sample.schemaVersion).toBe(EVENT_SCHEMA_VERSIONS[type]);
      const validate = dataValidator(type, sample.schemaVersion);
      if (!validate(sample.data)) throw new Error(`${type} at position ${sample.position} does not validate: ${errors(validate)}\n${JSON.stringify(sample.data, null, 2)}`);
      const validateMessage = messageValidator(type, sample.schemaVersion);
      if (!valid(validateMessage, sample)) throw new Error(`${type} message at position ${sample.position} does not validate: ${errors(validateMessage)}`);
    }
  });

  it('every sample validates against the envelope whatever its type', () => {
    const validate = validator('FeedMessage', feedMessageJsonSchema);
    for (const sample of messages) if (!valid(validate, sample)) throw new Error(`${sample.type} at ${sample.position}: ${errors(validate)}`);
  });

  it('has an example of every older version, valid for its own schema, which upcasts to data valid for the current one', () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      for (const version of schemaVersionsOf(type).filter((v) => v < EVENT_SCHEMA_VERSIONS[type])) {
        const older = olderExampleMessageOf(type, version);
        expect([type, version, older === undefined]).toEqual([type, version, false]);
        const validateOld = dataValidator(type, version);
        if (!validateOld(older!.data)) throw new Error(`${type} v${version} example: ${errors(validateOld)}`);
        const current = upcast({ ...older!, position: BigInt(older!.position), revision: 0, metadata: { actor: older!.actor, correlationId: older!.correlationId, causationId: older!.causationId, occurredAt: older!.occurredAt, recordedAt: older!.recordedAt } });
        const validateNew = dataValidator(type, EVENT_SCHEMA_VERSIONS[type]);
        if (!validateNew(current.data)) throw new Error(`${type} v${version} upcast: ${errors(validateNew)}`);
      }
    }
  });

  it('refuses what the deciders never write, so passing means something', () => {
    const sample = messages.find((m) => m.type === 'LeadDisqualified')!.data;
    const v2 = dataValidator('LeadDisqualified', 2);
    expect(v2(sample)).toBe(true);
    expect(v2({ ...sample, reasonCode: 'too_small' })).toBe(false);
    expect(v2({ ...sample, extra: 1 })).toBe(false);
    expect(v2({ ...sample, reason: '   ' })).toBe(false);
    expect(v2({ ...sample, disqualifiedAt: '2026-03-02T10:00:00+02:00' })).toBe(false);
    const { reasonCode: _, ...v1Shape } = sample;
    expect(v2({ ...v1Shape, reason: 'words' })).toBe(false);
    expect(dataValidator('LeadDisqualified', 1)({ ...v1Shape, reason: 'words' })).toBe(true);

    const amount = messages.find((m) => m.type === 'OpportunityAmountChanged')!.data;
    const amountChanged = dataValidator('OpportunityAmountChanged', 1);
    expect(amountChanged({ ...amount, amount: 12.5 })).toBe(false);
    expect(amountChanged({ ...amount, currency: 'eur' })).toBe(false);
    expect(amountChanged({ ...amount, opportunityId: 'not-a-uuid' })).toBe(false);
  });
});
