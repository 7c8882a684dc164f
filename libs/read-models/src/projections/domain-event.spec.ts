import { StoredEvent } from '@pipeline-ledger/event-store';
import { businessDay, hoursBetween, monthOf } from './business-time';
import { domainEventOf } from './domain-event';
import { EventLog } from './testing/event-log';
import { leadCreated } from './testing/lead-events.fixture';

describe('reading stored events', () => {
  const stored = (): StoredEvent => new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z')).events[0] as StoredEvent;

  it('sees a stored event as the domain event it is', () => {
    const event = domainEventOf(stored());
    expect(event?.type).toBe('LeadCreated');
    expect(event?.type === 'LeadCreated' && event.data.createdAt).toBe('2025-01-10T09:00:00Z');
  });

  it('ignores a type the domain does not know, and stops on a schema version it cannot read', () => {
    expect(domainEventOf({ ...stored(), type: 'LeadTeleported' })).toBeNull();
    expect(() => domainEventOf({ ...stored(), schemaVersion: 2 })).toThrow('LeadCreated e-1: schema version 2 is not known to the projections (expected 1)');
  });

  it('takes days and months in UTC business time', () => {
    expect(businessDay('2025-01-31T23:30:00-02:00')).toBe('2025-02-01');
    expect(businessDay('2025-01-31T00:30:00+01:00')).toBe('2025-01-30');
    expect(monthOf('2025-02-01')).toBe('2025-02');
    expect(() => businessDay('yesterday')).toThrow('"yesterday" is not an ISO 8601 instant');
    expect(hoursBetween('2025-01-01T00:00:00Z', '2025-01-02T12:00:00Z')).toBe(36);
    expect(hoursBetween('2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z')).toBe(0);
  });
});
