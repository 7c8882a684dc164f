import { join } from 'node:path';

/** The checked-in rendering of the events (docs/events.md at the repository's root). */
export const EVENTS_DOC_FILE = join(__dirname, '..', '..', '..', '..', 'docs', 'events.md');
