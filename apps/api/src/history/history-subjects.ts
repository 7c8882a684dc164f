import { presentAccount } from '../accounts/accounts.controller';
import { presentContact } from '../contacts/contacts.controller';
import { presentLead } from '../leads/lead.presenter';
import { presentOpportunity } from '../opportunities/opportunity.presenter';
import { RecordType, Records } from '../write/record-types';

import { RECORD_KINDS, RecordKind } from '@pipeline-ledger/domain';

export { RECORD_KINDS };
export type { RecordKind };

/** What a history of one kind of record needs: its decider (to fold) and its presenter (the state as the API shows it). */
export interface HistorySubject {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one record kind per case below; recordHistory is generic over them
  record: RecordType<any, any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  present: (id: string, state: any, revision: number) => Record<string, unknown>;
}

/** The one place that pairs each kind of record with its presenter: the history endpoints and the CLI's replay. */
export function historySubject(records: Records, kind: RecordKind): HistorySubject {
  switch (kind) {
    case 'lead':
      return { record: records.lead, present: presentLead };
    case 'account':
      return { record: records.account, present: presentAccount };
    case 'contact':
      return { record: records.contact, present: presentContact };
    case 'opportunity':
      return { record: records.opportunity, present: presentOpportunity };
  }
}
