import type { DomainEventType } from '@pipeline-ledger/domain';
import { exampleUuid } from './example-ids';
import type { DecidedEvent } from './example-ledger';

type OlderExample = Omit<DecidedEvent, 'type'> & { position: number };

const ADA = exampleUuid('lead ada (2025)');

/**
 * Examples of versions the domain no longer writes, as an older service stored them: for the documentation of those
 * versions, and for the upcasters' tests (each must validate against its own version's schema).
 */
export const OLDER_VERSION_EXAMPLES: { readonly [T in DomainEventType]?: { readonly [version: number]: OlderExample } } = {
  LeadDisqualified: {
    1: {
      streamId: `lead-${ADA}`,
      revision: 3,
      position: 1207,
      data: { leadId: ADA, reason: 'No budget until next fiscal year', disqualifiedAt: '2025-11-04T15:20:00.000Z', status: 'Closed - Not Converted' },
      occurredAt: '2025-11-04T15:20:00.000Z',
      actor: 'bob',
      correlationId: exampleUuid('command 2025-11-04'),
      causationId: exampleUuid('command 2025-11-04'),
    },
  },
};
