import type { FieldIssue } from '../shared/domain-error';
import { optionalText, requireOneOf, requireText } from '../shared/validation';
import { LEAD_RATINGS, LEAD_SOURCES, LeadDetails } from './lead.types';

/** Every field of LeadDetails, in display order. The `satisfies` check plus the test below keep it complete. */
export const LEAD_DETAIL_FIELDS = [
  'firstName',
  'lastName',
  'company',
  'title',
  'email',
  'phone',
  'source',
  'campaign',
  'industry',
  'rating',
] as const satisfies readonly (keyof LeadDetails)[];

// Compile-time completeness: fails if LeadDetails gains a field that is not listed above.
type MissingDetailField = Exclude<keyof LeadDetails, (typeof LEAD_DETAIL_FIELDS)[number]>;
const detailFieldsAreComplete: MissingDetailField extends never ? true : never = true;
void detailFieldsAreComplete;

/**
 * Copies exactly the LeadDetails fields (nothing extra that might ride along in a command or an event);
 * optional fields left out (undefined) become null.
 */
export function pickLeadDetails(source: LeadDetails): LeadDetails {
  return {
    firstName: source.firstName ?? null,
    lastName: source.lastName,
    company: source.company,
    title: source.title ?? null,
    email: source.email ?? null,
    phone: source.phone ?? null,
    source: source.source,
    campaign: source.campaign ?? null,
    industry: source.industry ?? null,
    rating: source.rating ?? null,
  };
}

/**
 * Checks the given detail fields; a field whose value is undefined is "not given" and not checked.
 * lastName and company may never be empty; source must be a known source; rating a known rating or null.
 */
export function leadDetailIssues(details: Partial<LeadDetails>): FieldIssue[] {
  const issues: (FieldIssue | null)[] = [];
  for (const field of LEAD_DETAIL_FIELDS) {
    const value = details[field];
    if (value === undefined) continue;
    switch (field) {
      case 'lastName':
      case 'company':
        issues.push(requireText(field, value));
        break;
      case 'source':
        issues.push(requireOneOf(field, LEAD_SOURCES, value));
        break;
      case 'rating':
        issues.push(requireOneOf(field, LEAD_RATINGS, value, true));
        break;
      default:
        issues.push(optionalText(field, value));
    }
  }
  return issues.filter((i): i is FieldIssue => i !== null);
}

/** Details of a new lead: every required field must be present (undefined counts as missing). */
export function newLeadDetailIssues(details: LeadDetails): FieldIssue[] {
  const required: (FieldIssue | null)[] = [
    details.lastName === undefined ? requireText('lastName', undefined) : null,
    details.company === undefined ? requireText('company', undefined) : null,
    details.source === undefined ? requireOneOf('source', LEAD_SOURCES, undefined) : null,
  ];
  return [...required.filter((i): i is FieldIssue => i !== null), ...leadDetailIssues(details)];
}
