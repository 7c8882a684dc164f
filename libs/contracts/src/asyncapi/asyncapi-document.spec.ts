import { Parser } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { DOMAIN_EVENT_TYPES } from '@pipeline-ledger/domain';
import { dataSchemaOf, schemaVersionsOf } from '../event-contracts';
import { eventDataJsonSchema } from '../json-schemas';
import { asyncApiDocument } from './asyncapi-document';
import { webhookHeadersSchema } from './webhook-headers.schema';
import { toJsonSchema } from '../json-schemas';

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument() as { components: { schemas: Record<string, object>; messages: Record<string, { payload: object }> }; channels: Record<string, { messages: Record<string, unknown> }> };

  it('validates with @asyncapi/parser: no errors, no warnings', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.parse(JSON.stringify(document)));
    expect(diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message} at ${d.path.join('/')}`)).toEqual([]);
    expect(parsed).toBeDefined();
    expect(parsed!.version()).toBe('3.1.0');
    expect(parsed!.channels().all().map((c) => c.id()).sort()).toEqual(['eventFeed', 'webhooks']);
    // The webhook messages carry the delivery headers (from their trait); the feed's carry none.
    const channel = (id: string) => parsed!.channels().all().find((c) => c.id() === id)!;
    const webhook = channel('webhooks').messages().all().find((m) => m.id() === 'LeadConverted')!;
    expect(Object.keys(webhook.headers()?.properties() ?? {})).toEqual(expect.arrayContaining(['X-Pipeline-Signature', 'X-Pipeline-Event-Id', 'X-Pipeline-Delivery-Attempt']));
    expect(channel('eventFeed').messages().all().find((m) => m.id() === 'LeadConverted')!.hasHeaders()).toBe(false);
  }, 30_000);

  it('has one message per event type on each channel, and documents every older version', () => {
    for (const channel of ['eventFeed', 'webhooks']) expect(Object.keys(document.channels[channel].messages).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
    expect(document.components.messages['LeadDisqualified.v1']).toMatchObject({ name: 'LeadDisqualified', payload: { $ref: '#/components/schemas/LeadDisqualified.v1.message' } });
    expect(document.components.messages['LeadDisqualified']).toMatchObject({ payload: { $ref: '#/components/schemas/LeadDisqualified.v2.message' } });
  });

  it('embeds the published JSON Schemas as they are, less $schema and $id, and they mean the same in draft-07', () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      for (const version of schemaVersionsOf(type)) {
        const { $schema: _s, $id: _i, ...published } = eventDataJsonSchema(type, version);
        expect(document.components.schemas[`${type}.v${version}`]).toEqual(published);
        const { $schema: _s7, ...draft7 } = z.toJSONSchema(dataSchemaOf(type, version)!, { target: 'draft-7', io: 'output' });
        expect([type, version, draft7]).toEqual([type, version, published]);
      }
    }
  });

  it('shows webhook examples with the headers a delivery carries', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(toJsonSchema(webhookHeadersSchema));
    for (const type of DOMAIN_EVENT_TYPES) {
      const [example] = (document.components.messages[`${type}.webhook`] as unknown as { examples: { headers: Record<string, string>; payload: { eventId: string } }[] }).examples;
      expect([type, validate(example.headers), ajv.errorsText(validate.errors)]).toEqual([type, true, 'No errors']);
      expect(example.headers['X-Pipeline-Event-Id']).toBe(example.payload.eventId);
    }
  });
});

