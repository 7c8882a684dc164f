import { CONVERSION_LEADS } from './lead-conversion.counters';
import { leadConversionProjection } from './lead-conversion.projection';
import { LEAD_LIST, leadsListProjection } from './leads-list.projection';
import { EventLog } from './testing/event-log';
import { InMemoryProjectionStore } from './testing/in-memory-projection-store';
import { leadCreated, leadDuplicateSubmitted } from './testing/lead-events.fixture';

describe('lead projections and LeadDuplicateSubmitted', () => {
  it('is not among the types the lead list and the conversion counters read: it changes nothing they keep', () => {
    expect(leadsListProjection.eventTypes).not.toContain('LeadDuplicateSubmitted');
    expect(leadConversionProjection.eventTypes).not.toContain('LeadDuplicateSubmitted');
  });

  it('would change nothing of theirs if they were given one', () => {
    const log = new EventLog().add(leadCreated('L1', '2025-01-10T09:00:00Z'), leadDuplicateSubmitted('L1', '2025-01-11T09:00:00Z'));
    const store = new InMemoryProjectionStore([leadsListProjection, leadConversionProjection]).run(log.events.slice(0, 1));
    expect(leadsListProjection.apply(log.events[1], store.document(LEAD_LIST, 'L1') as never)).toEqual({});
    expect(leadConversionProjection.apply(log.events[1], store.document(CONVERSION_LEADS, 'L1') as never)).toEqual({});
  });
});
