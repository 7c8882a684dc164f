import { Decider, Decision } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { ERASED, PERSONAL_FIELDS, maskPersonalFields } from '../shared/personal-data';
import { isBlank, optionalText, refusalFor, requireOneOf, requireText } from '../shared/validation';
import { DEFAULT_STAGE_CATALOGUE, StageCatalogue } from '../opportunity/stage-catalogue';
import { decideConvertLead } from './convert-lead.decision';
import { LEAD_DETAIL_FIELDS, leadDetailIssues, newLeadDetailIssues, pickLeadDetails } from './lead-details';
import {
  Bant,
  CONTACT_CHANNELS,
  ChangeLeadOwner,
  DISQUALIFICATION_REASON_CODES,
  DUPLICATE_MATCHES,
  CreateLead,
  DisqualifyLead,
  EraseLeadPersonalData,
  LEAD_STATUS,
  LeadCommand,
  LeadDetails,
  LeadEvent,
  LeadState,
  LeadStatus,
  LogLeadContact,
  RecordDuplicateSubmission,
  RecordLeadQualification,
  ReopenLead,
  StartLeadNurture,
  UpdateLeadDetails,
} from './lead.types';

/**
 * Lead rules. Checks run in this order, so the most useful refusal wins:
 * converted (read-only, whatever the command) -> exists -> input validation -> status rules -> "nothing changes".
 */

const INITIAL_LEAD_STATE: LeadState = Object.freeze({
  exists: false,
  leadId: null,
  details: null,
  owner: null,
  status: null,
  createdAt: null,
  contactCount: 0,
  lastContactedAt: null,
  qualification: null,
  disqualificationReasonCode: null,
  disqualificationReason: null,
  conversion: null,
  personalDataErasedAt: null,
});

/** Statuses of a lead still being worked: not converted, not disqualified. */
const WORKABLE: readonly LeadStatus[] = [LEAD_STATUS.open, LEAD_STATUS.working, LEAD_STATUS.nurturing];

/** The catalogue is needed to check the stage of an opportunity created by a conversion. */
export function createLeadDecider(catalogue: StageCatalogue): Decider<LeadCommand, LeadState, LeadEvent> {
  return {
    initialState: INITIAL_LEAD_STATE,
    decide: (command, state) => decideLead(command, state, catalogue),
    evolve: evolveLead,
  };
}

export const leadDecider: Decider<LeadCommand, LeadState, LeadEvent> = createLeadDecider(DEFAULT_STAGE_CATALOGUE);

function decideLead(command: LeadCommand, state: LeadState, catalogue: StageCatalogue): Decision<LeadEvent> {
  // Erasure is a person's right, whatever became of the lead (converted ones included).
  if (command.type === 'EraseLeadPersonalData') return erasePersonalData(command, state);
  if (state.conversion) {
    return DomainError.rule(
      'LEAD_CONVERTED',
      `Lead ${state.leadId} was converted on ${state.conversion.convertedAt} and is read-only: a converted lead cannot change`,
    );
  }
  if (command.type === 'CreateLead') return createLead(command, state);
  if (!state.exists) return DomainError.notFound('lead', command.leadId);
  switch (command.type) {
    case 'UpdateLeadDetails':
      return updateDetails(command, state);
    case 'ChangeLeadOwner':
      return changeOwner(command, state);
    case 'LogLeadContact':
      return logContact(command, state);
    case 'RecordLeadQualification':
      return recordQualification(command, state);
    case 'StartLeadNurture':
      return startNurture(command, state);
    case 'DisqualifyLead':
      return disqualify(command, state);
    case 'ReopenLead':
      return reopen(command, state);
    case 'ConvertLead':
      if (state.status === LEAD_STATUS.disqualified) return disqualifiedRefusal(state, 'converted');
      if (state.personalDataErasedAt) return erasedRefusal(state, 'converted into a contact');
      return decideConvertLead(command, state, catalogue);
    case 'RecordDuplicateSubmission':
      // It carries the person's details: an erased lead takes no new personal data (the intake makes a new lead).
      if (state.personalDataErasedAt) return erasedRefusal(state, 'given a duplicate submission (new personal data)');
      return recordDuplicateSubmission(command);
  }
}

function createLead(command: CreateLead, state: LeadState): Decision<LeadEvent> {
  if (state.exists) return DomainError.rule('LEAD_EXISTS', `Lead ${command.leadId} already exists`);
  const invalid = refusalFor(newLeadDetailIssues(command.details), requireText('owner', command.owner));
  if (invalid) return invalid;
  return [
    {
      type: 'LeadCreated',
      data: { leadId: command.leadId, ...pickLeadDetails(command.details), owner: command.owner, status: LEAD_STATUS.open, createdAt: command.at },
    },
  ];
}

/** Records only the fields whose value really changes; an update that changes nothing records nothing. */
function updateDetails(command: UpdateLeadDetails, state: LeadState): Decision<LeadEvent> {
  const invalid = refusalFor(leadDetailIssues(command.changes));
  if (invalid) return invalid;
  if (state.personalDataErasedAt && PERSONAL_FIELDS.some((f) => command.changes[f] !== undefined)) {
    return erasedRefusal(state, `given new personal data (${PERSONAL_FIELDS.filter((f) => command.changes[f] !== undefined).join(', ')})`);
  }
  const current = state.details as LeadDetails;
  const changes: Partial<LeadDetails> = {};
  for (const field of LEAD_DETAIL_FIELDS) {
    const value = command.changes[field];
    if (value !== undefined && value !== current[field]) Object.assign(changes, { [field]: value });
  }
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'LeadDetailsUpdated', data: { leadId: command.leadId, changes } }];
}

function changeOwner(command: ChangeLeadOwner, state: LeadState): Decision<LeadEvent> {
  const invalid = refusalFor(requireText('owner', command.owner));
  if (invalid) return invalid;
  if (command.owner === state.owner) return [];
  return [{ type: 'LeadOwnerChanged', data: { leadId: command.leadId, previousOwner: state.owner as string, owner: command.owner } }];
}

/** The first touch moves a new lead to Working - Contacted; later touches keep the status (Nurturing stays Nurturing). */
function logContact(command: LogLeadContact, state: LeadState): Decision<LeadEvent> {
  const invalid = refusalFor(requireOneOf('channel', CONTACT_CHANNELS, command.channel));
  if (invalid) return invalid;
  if (state.status === LEAD_STATUS.disqualified) return disqualifiedRefusal(state, 'contacted');
  const status = state.status === LEAD_STATUS.open ? LEAD_STATUS.working : (state.status as LeadStatus);
  return [
    {
      type: 'LeadContacted',
      data: { leadId: command.leadId, channel: command.channel, note: command.note ?? null, contactedAt: command.at, status },
    },
  ];
}

/**
 * Records a BANT assessment. The verdict `qualified` needs budget, authority and need; the timeline is recorded
 * but not required (domain.md: a lead "missing need, authority or budget is unqualified"; a late timeline is a
 * reason to nurture, not to disqualify). Recording an assessment does not change the status.
 */
function recordQualification(command: RecordLeadQualification, state: LeadState): Decision<LeadEvent> {
  const invalid = refusalFor(bantIssues(command.bant));
  if (invalid) return invalid;
  if (state.status === LEAD_STATUS.disqualified) return disqualifiedRefusal(state, 'assessed');
  const { budget, authority, need, timeline } = command.bant;
  return [
    {
      type: 'LeadQualified',
      data: {
        leadId: command.leadId,
        bant: { budget, authority, need, timeline },
        qualified: budget && authority && need,
        note: command.note ?? null,
        assessedAt: command.at,
      },
    },
  ];
}

function bantIssues(bant: Bant | undefined | null) {
  if (typeof bant !== 'object' || bant === null) return [{ field: 'bant', reason: 'must give budget, authority, need and timeline' }];
  return (['budget', 'authority', 'need', 'timeline'] as const)
    .filter((key) => typeof bant[key] !== 'boolean')
    .map((key) => ({ field: `bant.${key}`, reason: 'must be true or false' }));
}

/** Nurturing is open to new and worked leads, and to disqualified ones (domain.md: they can be nurtured). */
function startNurture(command: StartLeadNurture, state: LeadState): Decision<LeadEvent> {
  if (state.status === LEAD_STATUS.nurturing) {
    return DomainError.rule('LEAD_ALREADY_NURTURING', `Lead ${command.leadId} is already being nurtured`);
  }
  return [{ type: 'LeadNurtureStarted', data: { leadId: command.leadId, reason: command.reason ?? null, status: LEAD_STATUS.nurturing } }];
}

/** A reason code, and words with it: required for `other` (the code alone says nothing), optional otherwise. */
function disqualify(command: DisqualifyLead, state: LeadState): Decision<LeadEvent> {
  const invalid = refusalFor(
    requireOneOf('reasonCode', DISQUALIFICATION_REASON_CODES, command.reasonCode),
    optionalText('reason', command.reason ?? null),
    command.reasonCode === 'other' && isBlank(command.reason) ? { field: 'reason', reason: 'is required when reasonCode is "other": say why' } : null,
  );
  if (invalid) return invalid;
  if (state.status === LEAD_STATUS.disqualified) {
    return DomainError.rule('LEAD_ALREADY_DISQUALIFIED', `Lead ${command.leadId} is already disqualified`);
  }
  return [
    {
      type: 'LeadDisqualified',
      data: {
        leadId: command.leadId,
        reasonCode: command.reasonCode,
        reason: isBlank(command.reason) ? null : (command.reason as string),
        disqualifiedAt: command.at,
        status: LEAD_STATUS.disqualified,
      },
    },
  ];
}

/** A reopened lead resumes where it was: Working - Contacted if anyone ever reached it, else Open - Not Contacted. */
function reopen(command: ReopenLead, state: LeadState): Decision<LeadEvent> {
  if (state.status !== LEAD_STATUS.disqualified) {
    return DomainError.rule('LEAD_NOT_DISQUALIFIED', `Lead ${command.leadId} is ${state.status}; only a disqualified lead can be reopened`);
  }
  const status = state.contactCount > 0 ? LEAD_STATUS.working : LEAD_STATUS.open;
  return [{ type: 'LeadReopened', data: { leadId: command.leadId, reason: command.reason ?? null, status } }];
}

/** Idempotent: erasing an erased lead records nothing. */
function erasePersonalData(command: EraseLeadPersonalData, state: LeadState): Decision<LeadEvent> {
  if (!state.exists) return DomainError.notFound('lead', command.leadId);
  if (state.personalDataErasedAt) return [];
  return [{ type: 'LeadPersonalDataErased', data: { leadId: command.leadId, erasedAt: command.at } }];
}

function erasedRefusal(state: LeadState, act: string): DomainError {
  return DomainError.rule(
    'PERSONAL_DATA_ERASED',
    `Lead ${state.leadId}'s personal data was erased on ${state.personalDataErasedAt}: it cannot be ${act}; create a new lead if the person comes back`,
  );
}

/**
 * A submission that matched this lead is recorded on it, whatever its status (a disqualified lead whose person comes
 * back is worth knowing about); only a converted lead refuses it, as it refuses everything, and an erased one. The lead itself (status,
 * details, owner) does not change: the submitted details are kept in the event for people to look at.
 */
function recordDuplicateSubmission(command: RecordDuplicateSubmission): Decision<LeadEvent> {
  const s = command.submitted;
  const submittedIssues =
    typeof s !== 'object' || s === null
      ? [{ field: 'submitted', reason: 'must give what was submitted' }]
      : [
          optionalText('submitted.firstName', s.firstName ?? null),
          requireText('submitted.lastName', s.lastName),
          optionalText('submitted.email', s.email ?? null),
          optionalText('submitted.phone', s.phone ?? null),
          requireText('submitted.company', s.company),
          optionalText('submitted.title', s.title ?? null),
        ];
  const invalid = refusalFor(
    requireText('formId', command.formId),
    requireText('submissionId', command.submissionId),
    requireOneOf('matchedOn', DUPLICATE_MATCHES, command.matchedOn),
    ...submittedIssues,
  );
  if (invalid) return invalid;
  return [
    {
      type: 'LeadDuplicateSubmitted',
      data: {
        leadId: command.leadId,
        formId: command.formId,
        submissionId: command.submissionId,
        matchedOn: command.matchedOn,
        submitted: {
          firstName: s.firstName ?? null,
          lastName: s.lastName,
          email: s.email ?? null,
          phone: s.phone ?? null,
          company: s.company,
          title: s.title ?? null,
        },
        submittedAt: command.at,
      },
    },
  ];
}

function disqualifiedRefusal(state: LeadState, act: string): DomainError {
  return DomainError.rule(
    'LEAD_DISQUALIFIED',
    `Lead ${state.leadId} is disqualified (${disqualificationText(state)}) and cannot be ${act}; reopen it first`,
  );
}

/** "no_budget: cut this year", "duplicate", or "no reason recorded". */
function disqualificationText(state: LeadState): string {
  const parts = [state.disqualificationReasonCode, state.disqualificationReason].filter((part) => part);
  return parts.length ? parts.join(': ') : 'no reason recorded';
}

/** Applies one event. Never throws: an event type it does not know (a newer one) leaves the state as it was. */
function evolveLead(state: LeadState, event: LeadEvent): LeadState {
  switch (event.type) {
    case 'LeadCreated': {
      const { leadId, owner, status, createdAt } = event.data;
      return { ...INITIAL_LEAD_STATE, exists: true, leadId, details: pickLeadDetails(event.data), owner, status, createdAt };
    }
    case 'LeadDetailsUpdated':
      return state.details ? { ...state, details: { ...state.details, ...definedOnly(event.data.changes) } } : state;
    case 'LeadOwnerChanged':
      return { ...state, owner: event.data.owner };
    case 'LeadContacted':
      return { ...state, status: event.data.status, contactCount: state.contactCount + 1, lastContactedAt: event.data.contactedAt };
    case 'LeadQualified': {
      const { bant, qualified, note, assessedAt } = event.data;
      return { ...state, qualification: { ...bant, qualified, note, assessedAt } };
    }
    case 'LeadNurtureStarted':
      return { ...state, status: event.data.status, disqualificationReasonCode: null, disqualificationReason: null };
    case 'LeadDisqualified':
      return { ...state, status: event.data.status, disqualificationReasonCode: event.data.reasonCode, disqualificationReason: event.data.reason };
    case 'LeadReopened':
      return { ...state, status: event.data.status, disqualificationReasonCode: null, disqualificationReason: null };
    case 'LeadConverted': {
      const { convertedAt, account, contact, opportunity, status } = event.data;
      return {
        ...state,
        status,
        conversion: { convertedAt, accountId: account.accountId, contactId: contact.contactId, opportunityId: opportunity?.opportunityId ?? null },
      };
    }
    case 'LeadPersonalDataErased':
      return { ...state, details: state.details && maskPersonalFields(state.details, ERASED), personalDataErasedAt: event.data.erasedAt };
    case 'LeadDuplicateSubmitted':
      return state; // recorded on the lead; changes nothing the lead's state holds
    default:
      return state;
  }
}

/** The known detail fields of a change set that carry a value (stored data may hold anything). */
function definedOnly(changes: Partial<LeadDetails>): Partial<LeadDetails> {
  const known: Partial<LeadDetails> = {};
  for (const field of LEAD_DETAIL_FIELDS) if (changes[field] !== undefined) Object.assign(known, { [field]: changes[field] });
  return known;
}
