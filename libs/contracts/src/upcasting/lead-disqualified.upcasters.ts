import type { EventData } from '../event-contracts';

/**
 * LeadDisqualified v1 -> v2. Version 1 recorded the reason in words only; version 2 adds a code that can be counted.
 * A version 1 reason cannot be classified after the fact without guessing, so it becomes `other` with its words kept.
 */
export function leadDisqualifiedV1ToV2(data: EventData<'LeadDisqualified', 1>): EventData<'LeadDisqualified', 2> {
  const { leadId, reason, disqualifiedAt, status } = data;
  return { leadId, reasonCode: 'other', reason, disqualifiedAt, status };
}
