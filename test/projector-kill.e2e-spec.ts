import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { ALL_PROJECTIONS, ProjectorRunner, ReadModelDocument, SqliteReadModelStore } from '@pipeline-ledger/read-models';
import { generateEvents } from '../apps/cli/src/demo/event-generator';
import { fillStore } from '../bench/support/fill-store';
import { ApiProcess } from './support/api-process';
import { removeDir } from './support/test-app';

/** Every document of every projection's active generation, by collection, in id order. */
async function snapshot(store: SqliteReadModelStore): Promise<Record<string, ReadModelDocument[]>> {
  const all: Record<string, ReadModelDocument[]> = {};
  for (const projection of ALL_PROJECTIONS) {
    await store.prepare({ name: projection.name, version: projection.version, collections: projection.collections });
    for (const { name } of projection.collections) {
      all[name] = (await store.find(name, { limit: 1_000_000, sort: [{ field: 'id', direction: 'asc' }] })).documents;
    }
  }
  return all;
}

async function checkpoints(store: SqliteReadModelStore): Promise<bigint[]> {
  const states = await Promise.all(ALL_PROJECTIONS.map((p) => store.state(p.name)));
  return states.map((s) => s?.active.checkpoint ?? -1n);
}

/** The next n appends of a generator, leaving it open for the rest (for...of with break would close it). */
function* take<T>(generator: Generator<T, void, undefined>, n: number): Generator<T, void, undefined> {
  for (let i = 0; i < n; i++) {
    const next = generator.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * The projector as a real process, SIGKILLed while it works through the store, several times over; then left to
 * finish. Its read models must equal, document for document, those of a clean rebuild of the same events:
 * nothing counted twice, nothing missed.
 */
describe('Projector survives SIGKILL mid-batch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-projector-kill-'));
  afterAll(() => removeDir(dir));

  it('gives exactly the read models of a clean rebuild after being killed four times', async () => {
    const generator = generateEvents({ events: 40_000, seed: 11 });
    const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    await fillStore(events, take(generator, 8_000), { concurrency: 256 });
    const firstHead = (await events.headPosition())!;

    const observer = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
    let kills = 0;
    try {
      // The first start builds what is there (a rebuild), then follows live; it is stopped the hard way.
      const first = await ApiProcess.startProjector(dir, async () => (await checkpoints(observer)).every((c) => c === firstHead));
      await first.kill();
      // The rest arrives while it is down, so every restart below catches up live, batch by batch, and is killed
      // just after one batch committed, with the next in hand: what this test is about.
      await fillStore(events, generator, { concurrency: 256 });
      const head = (await events.headPosition())!;
      await events.close();

      let reached = firstHead;
      for (let round = 0; round < 4; round++) {
        // Start, wait until it has written a batch beyond where the last run got, and kill it there.
        const projector = await ApiProcess.startProjector(dir, async () => {
          const now = await checkpoints(observer).catch(() => [] as bigint[]);
          return now.some((c) => c > reached);
        });
        await projector.kill();
        kills++;
        const now = await checkpoints(observer);
        reached = now.reduce((a, b) => (b > a ? b : a), reached);
        if (now.every((c) => c === head)) break; // it finished before we could kill it again
      }
      const last = await ApiProcess.startProjector(dir, async () => (await checkpoints(observer)).every((c) => c === head));
      await last.kill();

      // A clean rebuild of the same events into a store of its own.
      const cleanEvents = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
      const clean = new SqliteReadModelStore({ filename: join(dir, 'clean-read-models.sqlite') });
      const runner = new ProjectorRunner(cleanEvents, clean, ALL_PROJECTIONS, { follow: false });
      await runner.rebuild();
      await runner.stop();
      const expected = await snapshot(clean);
      await clean.close();
      await cleanEvents.close();

      const actual = await snapshot(observer);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      for (const collection of Object.keys(expected)) {
        expect({ collection, count: actual[collection].length }).toEqual({ collection, count: expected[collection].length });
        expect(actual[collection]).toEqual(expected[collection]);
      }
      expect(kills).toBeGreaterThanOrEqual(2);
    } finally {
      await observer.close();
    }
  }, 240_000);
});
