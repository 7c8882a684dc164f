import { LeadState } from '@pipeline-ledger/domain';

/** A lead as the API shows it: flat, with its id and revision. */
export function presentLead(id: string, state: LeadState, revision: number) {
  return {
    id,
    revision,
    status: state.status,
    ...state.details,
    owner: state.owner,
    createdAt: state.createdAt,
    contactCount: state.contactCount,
    lastContactedAt: state.lastContactedAt,
    qualification: state.qualification,
    disqualificationReason: state.disqualificationReason,
    conversion: state.conversion,
  };
}
