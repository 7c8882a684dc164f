import { DomainError, FieldIssue } from '../shared/domain-error';
import { checkOptionalMoney } from '../shared/money';
import { refusalFor, requireCalendarDate, requireText } from '../shared/validation';
import type { StageCatalogue } from '../opportunity/stage-catalogue';
import { ConvertLead, LEAD_STATUS, LeadConverted, LeadDetails, LeadState } from './lead.types';

/**
 * Conversion of a lead that is known to exist and to be neither converted nor disqualified.
 *
 * Everything the follow-up writes (account, contact, opportunity) need is checked here, before the lead is
 * converted, because a conversion can never be undone: a LeadConverted whose opportunity could not be created
 * would leave the lead converted for good with a half-done result.
 */
export function decideConvertLead(command: ConvertLead, state: LeadState, catalogue: StageCatalogue): readonly LeadConverted[] | DomainError {
  const invalid = refusalFor(...conversionIssues(command, catalogue));
  if (invalid) return invalid;

  const { contact, account } = command;
  if (contact.mode === 'existing' && contact.accountId !== account.accountId) {
    return DomainError.rule(
      'CONTACT_NOT_IN_ACCOUNT',
      `Contact ${contact.contactId} belongs to account ${contact.accountId}, not to account ${account.accountId} the lead is converted into`,
    );
  }

  const details = state.details as LeadDetails;
  const opportunity = command.opportunity;
  return [
    {
      type: 'LeadConverted',
      data: {
        leadId: command.leadId,
        convertedAt: command.at,
        source: details.source,
        owner: state.owner as string,
        account: {
          accountId: account.accountId,
          created: account.mode === 'new',
          // For an existing account the lead's company is informational only: the account keeps its own name.
          name: account.mode === 'new' ? account.name : details.company,
          industry: details.industry,
        },
        contact: {
          contactId: contact.contactId,
          created: contact.mode === 'new',
          firstName: details.firstName,
          lastName: details.lastName,
          title: details.title,
          email: details.email,
          phone: details.phone,
        },
        opportunity: opportunity && {
          opportunityId: opportunity.opportunityId,
          name: opportunity.name,
          stage: opportunity.stage,
          closeDate: opportunity.closeDate,
          amount: opportunity.amount,
          currency: opportunity.currency,
        },
        status: LEAD_STATUS.converted,
      },
    },
  ];
}

function conversionIssues(command: ConvertLead, catalogue: StageCatalogue): (FieldIssue | null | readonly FieldIssue[])[] {
  const { account, contact, opportunity } = command;
  const issues: (FieldIssue | null | readonly FieldIssue[])[] = [
    requireText('account.accountId', account.accountId),
    account.mode === 'new' ? requireText('account.name', account.name) : null,
    requireText('contact.contactId', contact.contactId),
  ];
  if (opportunity) {
    issues.push(
      requireText('opportunity.opportunityId', opportunity.opportunityId),
      requireText('opportunity.name', opportunity.name),
      catalogue.unknownStageIssue('opportunity.stage', opportunity.stage),
      requireCalendarDate('opportunity.closeDate', opportunity.closeDate),
      checkOptionalMoney(opportunity.amount, opportunity.currency, 'opportunity.amount')?.issues ?? null,
    );
  }
  return issues;
}
