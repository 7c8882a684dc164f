/** `npm run docs:events`: writes docs/events.md from the contracts (the JSON Schemas and the examples). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { EVENTS_DOC_FILE } from '../src/docs/events-doc.file';
import { renderEventsMarkdown } from '../src/docs/events-markdown';

mkdirSync(dirname(EVENTS_DOC_FILE), { recursive: true });
writeFileSync(EVENTS_DOC_FILE, renderEventsMarkdown());
console.log(`wrote ${relative(process.cwd(), EVENTS_DOC_FILE)}`);
