/**
 * Personal data: which fields of which events (and of which record states) name or reach a person. This is the one
 * list the encryption of stored events, the erasure of a person, and the redaction of answers for principals without
 * the `pii` grant all work from.
 *
 * A person's data is encrypted under the data key of its subject: the record the event belongs to (a lead's events:
 * the lead id; a contact's: the contact id). A converted lead and its contact are the same person; erasing either
 * erases both keys.
 */

/** The personal fields of a lead's or a contact's details (names, email, phone). */
export const PERSONAL_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** What an erased personal field reads as (a field that was null stays null). */
export const ERASED = '[erased]';
/** What a personal field reads as for a principal who may not see personal data (null stays null). */
export const REDACTED = '[redacted]';

export interface PersonalDataLocation {
  /** The data field holding the subject's id (whose data key encrypts the fields). */
  subjectField: string;
  /** Path to the object holding the personal fields within the event data; [] for the data itself. */
  path: readonly string[];
  fields: readonly PersonalField[];
}

/** Event types that carry personal data, and where. A type not listed here carries none. */
export const PERSONAL_DATA_IN_EVENTS: Readonly<Record<string, PersonalDataLocation>> = {
  LeadCreated: { subjectField: 'leadId', path: [], fields: PERSONAL_FIELDS },
  LeadDetailsUpdated: { subjectField: 'leadId', path: ['changes'], fields: PERSONAL_FIELDS },
  LeadConverted: { subjectField: 'leadId', path: ['contact'], fields: PERSONAL_FIELDS },
  LeadDuplicateSubmitted: { subjectField: 'leadId', path: ['submitted'], fields: PERSONAL_FIELDS },
  ContactCreated: { subjectField: 'contactId', path: [], fields: PERSONAL_FIELDS },
  ContactMergedFromLead: { subjectField: 'contactId', path: ['filled'], fields: PERSONAL_FIELDS },
};

/** The object holding an event's personal fields (undefined when the event has none, or the path is absent). */
export function personalDataHolder(type: string, data: Record<string, unknown>): { subject: string; holder: Record<string, unknown>; fields: readonly PersonalField[] } | undefined {
  const location = PERSONAL_DATA_IN_EVENTS[type];
  if (!location) return undefined;
  const subject = data[location.subjectField];
  if (typeof subject !== 'string') return undefined;
  let holder: unknown = data;
  for (const key of location.path) holder = holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[key] : undefined;
  if (!holder || typeof holder !== 'object') return undefined;
  return { subject, holder: holder as Record<string, unknown>, fields: location.fields };
}

/**
 * A copy of an event's data with the object holding its personal fields replaced by `holder` (the data itself, or
 * the object at the type's path within it; only the objects on that path are copied).
 */
export function withPersonalDataHolder(type: string, data: Record<string, unknown>, holder: Record<string, unknown>): Record<string, unknown> {
  const path = PERSONAL_DATA_IN_EVENTS[type]?.path ?? [];
  if (path.length === 0) return holder;
  const copy = { ...data };
  let parent: Record<string, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    parent[path[i]!] = { ...(parent[path[i]!] as Record<string, unknown>) };
    parent = parent[path[i]!] as Record<string, unknown>;
  }
  parent[path[path.length - 1]!] = holder;
  return copy;
}

/** A copy of `details` with every non-null personal field replaced by `marker` (ERASED or REDACTED). */
export function maskPersonalFields<T extends object>(details: T, marker: string): T {
  const copy = { ...details } as Record<string, unknown>;
  for (const field of PERSONAL_FIELDS) {
    if (typeof copy[field] === 'string') copy[field] = marker;
  }
  return copy as T;
}

/** The events that record an erasure, and the data field naming the erased subject. */
export const PERSONAL_DATA_ERASURE_EVENTS: Readonly<Record<string, string>> = {
  LeadPersonalDataErased: 'leadId',
  ContactPersonalDataErased: 'contactId',
};
