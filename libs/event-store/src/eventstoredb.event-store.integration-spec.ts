import { describeWithServer } from '../../../test/support/servers';
import { describeEventStoreContract } from './event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

/**
 * The EventStore contract against a real EventStoreDB (22.6 or later, standard projections running), e.g. the one
 * docker-compose.yml starts: EVENTSTORE_URL=esdb://localhost:2113?tls=false npm run test:integration
 * The server is shared: each test looks only past the head position it starts at, on streams of its own.
 */
describeWithServer('EVENTSTORE_URL', 'EventStoreDbEventStore', (url) => {
  jest.setTimeout(30_000);
  describeEventStoreContract('EventStoreDbEventStore', async () => {
    const store = new EventStoreDbEventStore({ connectionString: url, retry: { baseMs: 50, maxMs: 1000 } });
    return {
      store,
      cleanup: () => store.close(),
      eventIdsUniqueAcrossStreams: false, // EventStoreDB checks ids within their stream only
    };
  });
});
