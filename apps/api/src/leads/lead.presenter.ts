import { LeadState } from '@pipeline-ledger/domain';

/**
 * A lead as the API shows it: flat, with its id and revision. The fields are listed rather than spread from the
 * details, so every presented lead has one shape: histories present a lead once per event, and both building and
 * serializing a fixed-shape object are several times cheaper than a spread's.
 */
export function presentLead(id: string, state: LeadState, revision: number) {
  const details = state.details;
  return {
    id,
    revision,
    status: state.status,
    firstName: details?.firstName,
    lastName: details?.lastName,
    company: details?.company,
    title: details?.title,
    email: details?.email,
    phone: details?.phone,
    source: details?.source,
    campaign: details?.campaign,
    industry: details?.industry,
    rating: details?.rating,
    owner: state.owner,
    createdAt: state.createdAt,
    contactCount: state.contactCount,
    lastContactedAt: state.lastContactedAt,
    qualification: state.qualification,
    disqualificationReasonCode: state.disqualificationReasonCode,
    disqualificationReason: state.disqualificationReason,
    conversion: state.conversion,
  };
}
