/** The prose of the AsyncAPI document (markdown), kept apart from its assembly. */

export const API_DESCRIPTION = `Every business event of Pipeline Ledger (leads, accounts, contacts, opportunities), in the order the event store
recorded them, from any point in history (position 0 included), for downstream services. Two ways to receive them:
the Server-Sent Events feed \`GET /events\` (pull, resumable with \`Last-Event-ID\`), and webhooks (the api POSTs each
event to your URL).

**Messages.** Each event is one FeedMessage: the envelope (\`eventId\`, \`position\`, \`streamId\`, \`type\`,
\`schemaVersion\`, \`occurredAt\`, \`recordedAt\`, \`actor\`, \`correlationId\`, \`causationId\`) and the event's \`data\`.
Streams are \`lead-<uuid>\`, \`account-<uuid>\`, \`contact-<uuid>\`, \`opportunity-<uuid>\`. Positions only grow (they
may have gaps); within a stream, events keep their order.

**Delivery is at least once.** After a crash or a reconnect an event may come again: deduplicate on \`eventId\`, and
resume after the last \`position\` you processed.

**Versions.** Each event type's data has a schema version (\`schemaVersion\`). A published version never changes: a
change is a new version. Events stored in an older version are delivered upcast to the current one, so a subscriber
only ever receives current versions; the older versions are documented here (\`components.messages\`, e.g.
\`LeadDisqualified.v1\`) for data you stored earlier. Every (type, version) JSON Schema is in \`components.schemas\`
(\`<Type>.v<n>\` for the data, \`<Type>.v<n>.message\` for the whole message); they are the published draft 2020-12
schemas, without their \`$schema\` and \`$id\`.`;

export const FEED_DESCRIPTION = `\`GET /events\` answers \`200 text/event-stream\` and keeps the response open: first every stored event after
\`from\` (catch-up), then each new one as it is recorded (live), in global order. Each event is one SSE message:

\`\`\`
id: <position>
event: <type>
data: <the FeedMessage, as one line of JSON>
\`\`\`

- \`id\` is the global position: an EventSource sends the last one back as the \`Last-Event-ID\` header when it
  reconnects, and the feed resumes right after it (the header overrides \`from\`).
- \`event\` is the event type, so \`eventSource.addEventListener('LeadConverted', ...)\` receives only those.
- A comment line (\`: heartbeat <time>\`) is sent every 15 s while there is nothing to send, so that proxies keep the
  connection open.
- \`types\` and \`streams\` filter (both may be given); an unknown type or a bad parameter is a 400 that names it.
  When too many feeds are open the answer is 503 with \`Retry-After\`.`;

export const WEBHOOKS_DESCRIPTION = `For every event that passes a webhook subscription's filter (event types and stream id prefixes, as on the feed),
the api POSTs one FeedMessage as the JSON body to the subscription's URL, one event per request, in global order.
Any 2xx acknowledges it and the next event follows; anything else, or no answer in time, is retried with backoff
(\`X-Pipeline-Delivery-Attempt\` counts the attempts), so delivery is at least once: deduplicate on the event id. A
subscription that keeps failing is paused until it is resumed.

Check \`X-Pipeline-Signature\` before trusting a body: \`sha256=\` followed by the hex HMAC-SHA256 of the raw body
bytes with the subscription's secret. Compute it over the bytes as received (a body parsed and serialised again need
not have the same bytes), and compare in constant time.`;
