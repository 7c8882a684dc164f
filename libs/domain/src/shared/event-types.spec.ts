import { DOMAIN_EVENT_TYPES, EVENT_SCHEMA_VERSIONS, isDomainEventType } from './event-types';

describe('event types', () => {
  it('gives every event of the four records a schema version: 1, but LeadDisqualified 2 (a reason code)', () => {
    expect(DOMAIN_EVENT_TYPES).toHaveLength(23);
    const { LeadDisqualified, ...others } = EVENT_SCHEMA_VERSIONS;
    expect(LeadDisqualified).toBe(2);
    expect(new Set(Object.values(others))).toEqual(new Set([1]));
  });

  it('recognises its own event types only', () => {
    expect(isDomainEventType('LeadConverted')).toBe(true);
    expect(isDomainEventType('OpportunityReopened')).toBe(true);
    expect(isDomainEventType('toString')).toBe(false);
    expect(isDomainEventType('LeadDeleted')).toBe(false);
  });
});
