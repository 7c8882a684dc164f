import { existsSync, readFileSync } from 'node:fs';
import { EVENTS_DOC_FILE } from './events-doc.file';
import { renderEventsMarkdown } from './events-markdown';
import { typeInWords } from './schema-fields';

describe('docs/events.md', () => {
  it('is what `npm run docs:events` writes now', () => {
    const written = existsSync(EVENTS_DOC_FILE) ? readFileSync(EVENTS_DOC_FILE, 'utf8') : '';
    const now = renderEventsMarkdown();
    if (written === now) return;
    const lines = [written.split('\n'), now.split('\n')];
    const differs = lines[1].findIndex((line, i) => line !== lines[0][i]);
    const at = differs === -1 ? lines[1].length : differs;
    throw new Error(
      `docs/events.md is not what the contracts render now: run npm run docs:events (and commit it).\n` +
        `First difference at line ${at + 1}:\n  checked in: ${lines[0][at] ?? '(end of file)'}\n  now:        ${lines[1][at] ?? '(end of file)'}`,
    );
  });

  it('documents every event type and every version', () => {
    const doc = renderEventsMarkdown();
    for (const heading of ['### LeadCreated', '### LeadDisqualified', '#### LeadDisqualified version 1 (superseded)', '### OpportunityReopened']) expect(doc).toContain(`\n${heading}\n`);
    expect(doc).toContain('| `data.reasonCode` | one of `no_budget`, `no_authority`');
  });
});

describe('typeInWords', () => {
  it('says a schema\'s type the way a reader wants it', () => {
    expect(typeInWords({ anyOf: [{ type: 'string', pattern: '\\S' }, { type: 'null' }] })).toBe('non-blank string or null');
    expect(typeInWords({ type: ['string', 'null'] })).toBe('string or null');
    expect(typeInWords({ type: 'integer', minimum: 0, maximum: 100 })).toBe('integer, 0 to 100');
    expect(typeInWords({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })).toBe('integer >= 0');
    expect(typeInWords({ type: 'string', format: 'uuid', pattern: '^...$' })).toBe('UUID');
    expect(typeInWords({ type: 'string', enum: ['call', 'email'] })).toBe('one of `call`, `email`');
    expect(typeInWords({ type: 'object', minProperties: 1 })).toBe('object (at least 1 field)');
  });
});
