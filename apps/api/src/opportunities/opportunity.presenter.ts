import { OpportunityState } from '@pipeline-ledger/domain';

export function presentOpportunity(id: string, state: OpportunityState, revision: number) {
  const { exists: _exists, opportunityId: _id, lastOpenStage: _last, ...fields } = state;
  return { id, revision, ...fields };
}
