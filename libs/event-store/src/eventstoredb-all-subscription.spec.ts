import { AccessDeniedError, AllStreamSubscription, Position } from '@eventstore/db-client';
import { PassThrough } from 'node:stream';
import { EventStoreDbAllSubscription, EventStoreDbSubscriptionOptions } from './eventstoredb-all-subscription';
import { encodePosition, toEventData } from './eventstoredb-mapping';

/**
 * The adapter's own subscription logic (resubscribing after a drop, from where it got to; checkpoints in order;
 * ending), driven by scripted server subscriptions: streams this test writes to, in the shape the client yields.
 * Whether the server behaves so is for the contract suite against a real EventStoreDB.
 */
class ScriptedServer {
  readonly opened: Array<{ after: bigint | null; stream: PassThrough; checkpointReached: (s: AllStreamSubscription, p: Position) => void }> = [];

  open = (after: bigint | null, checkpointReached: (s: AllStreamSubscription, p: Position) => void): AllStreamSubscription => {
    const stream = new PassThrough({ objectMode: true });
    Object.assign(stream, { unsubscribe: async () => undefined });
    this.opened.push({ after, stream, checkpointReached });
    return stream as unknown as AllStreamSubscription;
  };

  get latest() {
    return this.opened.at(-1)!;
  }

  /** The server sends an event at position (n, n) of stream `streamId`. */
  event(n: number, type = 'LeadCreated', streamId = `lead-${n}`): void {
    const sent = toEventData({ eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type, schemaVersion: 1, data: { n }, metadata: { actor: 'a', correlationId: 'c', causationId: null, occurredAt: 't' } });
    this.latest.stream.write({
      event: { streamId, id: sent.id, isJson: true, revision: 0n, type, created: new Date(0), data: sent.data, metadata: sent.metadata, position: { commit: BigInt(n), prepare: BigInt(n) } },
    });
  }

  /** The server sends a filter checkpoint at (n, n): the client calls checkpointReached inside its transform. */
  checkpoint(n: number): void {
    const { stream, checkpointReached } = this.latest;
    checkpointReached(stream as unknown as AllStreamSubscription, { commit: BigInt(n), prepare: BigInt(n) });
  }
}

/** Lets the subscription's pending next() open its server subscription. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

const at = (n: number) => encodePosition({ commit: BigInt(n), prepare: BigInt(n) });

function subscribe(server: ScriptedServer, options: Partial<EventStoreDbSubscriptionOptions> = {}) {
  const dropped: Array<{ message: string; attempt: number; delayMs: number }> = [];
  const subscription = new EventStoreDbAllSubscription(
    { open: server.open },
    {
      after: null,
      filter: undefined,
      signal: undefined,
      onCheckpoint: undefined,
      retry: { baseMs: 1, maxMs: 4 },
      onDropped: (error, attempt, delayMs) => dropped.push({ message: error.message, attempt, delayMs }),
      ...options,
    },
    () => undefined,
  );
  return { subscription, dropped };
}

describe('EventStoreDbAllSubscription (its own logic, against scripted server subscriptions)', () => {
  it('resubscribes after a drop from the last event it delivered, without delivering one twice', async () => {
    const server = new ScriptedServer();
    const { subscription, dropped } = subscribe(server, { after: at(1) });
    const first = subscription.next();
    await tick();
    server.event(2);
    server.event(3);
    expect((await first).value).toMatchObject({ position: at(2), data: { n: 2 } });
    expect((await subscription.next()).value).toMatchObject({ position: at(3) });

    const third = subscription.next();
    server.latest.stream.destroy(new Error('14 UNAVAILABLE: connection dropped'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.opened.map((o) => o.after)).toEqual([at(1), at(3)]);
    expect(dropped).toEqual([{ message: '14 UNAVAILABLE: connection dropped', attempt: 1, delayMs: expect.any(Number) }]);
    server.event(3); // a server that resends the last one
    server.event(4);
    expect((await third).value).toMatchObject({ position: at(4) });
    subscription.end();
  });

  it('backs off longer with each drop in a row, up to the cap, and starts again after an event gets through', async () => {
    const server = new ScriptedServer();
    const { subscription, dropped } = subscribe(server, { retry: { baseMs: 2, maxMs: 8 } });
    const pending = subscription.next();
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      server.latest.stream.end(); // the server ends the subscription: a drop too
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    server.event(1);
    await pending;
    expect(dropped.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5]);
    dropped.forEach((d, i) => {
      const cap = Math.min(8, 2 * 2 ** i);
      expect(d.delayMs).toBeGreaterThanOrEqual(cap / 2);
      expect(d.delayMs).toBeLessThanOrEqual(cap);
    });
    server.latest.stream.end();
    const next = subscription.next();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(dropped.at(-1)!.attempt).toBe(1);
    server.event(2);
    await next;
    subscription.end();
  });

  it('passes checkpoints on in order, once the events before them are delivered, and resubscribes from the last one', async () => {
    const server = new ScriptedServer();
    const checkpoints: bigint[] = [];
    const { subscription } = subscribe(server, { filter: { eventTypes: ['Wanted'] }, onCheckpoint: (p) => checkpoints.push(p) });
    const first = subscription.next();
    await tick();
    server.event(1, 'Wanted');
    server.checkpoint(5);
    server.event(6, 'Ignored'); // the server's filter is a superset: what it lets through is checked here too
    server.checkpoint(9);
    server.event(10, 'Wanted');

    expect((await first).value).toMatchObject({ position: at(1) });
    expect(checkpoints).toEqual([]);
    expect((await subscription.next()).value).toMatchObject({ position: at(10), type: 'Wanted' });
    expect(checkpoints).toEqual([at(5), at(9)]);

    const pending = subscription.next();
    server.checkpoint(12);
    await tick();
    expect(checkpoints).toEqual([at(5), at(9), at(12)]);
    server.latest.stream.destroy(new Error('dropped'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.latest.after).toBe(at(12));
    subscription.end();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('leaves out system events, and ends with the error when the server refuses access', async () => {
    const server = new ScriptedServer();
    const { subscription } = subscribe(server);
    const first = subscription.next();
    await tick();
    server.event(1, '$statsCollected', '$stats-node');
    server.event(2, '$streamDeleted', 'lead-2');
    server.event(3);
    expect((await first).value).toMatchObject({ position: at(3) });

    const refused = subscription.next();
    server.latest.stream.destroy(new AccessDeniedError());
    await expect(refused).rejects.toBeInstanceOf(AccessDeniedError);
    expect(subscription.isEnded).toBe(true);
    expect(server.opened).toHaveLength(1);
  });

  it('ends a next() waiting for live events on return() or abort, and does not resubscribe afterwards', async () => {
    const server = new ScriptedServer();
    const abort = new AbortController();
    const { subscription } = subscribe(server, { signal: abort.signal });
    const waiting = subscription.next();
    await tick();
    abort.abort();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    await expect(subscription.next()).resolves.toEqual({ done: true, value: undefined });
    expect(server.latest.stream.destroyed).toBe(true);
    expect(server.opened).toHaveLength(1);

    const other = subscribe(new ScriptedServer()).subscription;
    const pending = other.next();
    await other.return();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});
