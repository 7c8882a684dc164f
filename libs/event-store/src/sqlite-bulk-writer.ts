import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventIdConflictError, WrongExpectedRevisionError } from './event-store.errors';
import { Outcome } from './sqlite-append-batcher';
import { AppendRequest } from './sqlite-stream-appender';

/** An outcome as it crosses threads: errors as data (structured clone keeps no class). */
export type WireOutcome =
  | { ok: true; result: Extract<Outcome, { ok: true }>['result'] }
  | { ok: false; error: { kind: 'revision'; streamId: string; expected: WrongExpectedRevisionError['expected']; actual: WrongExpectedRevisionError['actual'] } }
  | { ok: false; error: { kind: 'conflict'; streamId: string; eventIds: readonly string[] } }
  | { ok: false; error: { kind: 'other'; message: string } };

export function toWire(outcome: Outcome): WireOutcome {
  if (outcome.ok) return outcome;
  const e = outcome.error;
  if (e instanceof WrongExpectedRevisionError) return { ok: false, error: { kind: 'revision', streamId: e.streamId, expected: e.expected, actual: e.actual } };
  if (e instanceof EventIdConflictError) return { ok: false, error: { kind: 'conflict', streamId: e.streamId, eventIds: e.eventIds } };
  return { ok: false, error: { kind: 'other', message: e instanceof Error ? e.message : String(e) } };
}

function fromWire(outcome: WireOutcome): Outcome {
  if (outcome.ok) return outcome;
  const e = outcome.error;
  if (e.kind === 'revision') return { ok: false, error: new WrongExpectedRevisionError(e.streamId, e.expected, e.actual) };
  if (e.kind === 'conflict') return { ok: false, error: new EventIdConflictError(e.streamId, e.eventIds) };
  return { ok: false, error: new Error(e.message) };
}

/**
 * Large batches of appends (appendToStreams) written by a thread of their own, on its own connection to the same
 * file: a bulk writer (an import) decides, seals and chains its next batch on its thread while this one commits the
 * one before, so the commits' I/O and the CPU work overlap. SQLite's write lock orders this connection's transactions
 * with the store's own. Started at the first batch, ended by close() once the batches it was given are written.
 * From TypeScript sources (ts-node, jest) the thread loads them the same way; from the build, the compiled file.
 */
export class SqliteBulkWriter {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(outcomes: Outcome[]): void; reject(error: Error): void }>();
  private readonly writing = new Set<Promise<Outcome[]>>();

  constructor(
    private readonly filename: string,
    private readonly busyTimeoutMs: number,
  ) {}

  write(requests: readonly AppendRequest[]): Promise<Outcome[]> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    const written = new Promise<Outcome[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, requests });
    });
    this.writing.add(written);
    const forget = () => void this.writing.delete(written);
    written.then(forget, forget);
    return written;
  }

  /** Waits for the batches given so far, then ends the thread. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.writing]);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const source = extname(__filename);
    const worker = new Worker(join(__dirname, `sqlite-bulk-writer.worker${source}`), {
      workerData: { filename: this.filename, busyTimeoutMs: this.busyTimeoutMs },
      execArgv: source === '.ts' ? ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register')] : [],
    });
    worker.on('message', (message: { id: number; outcomes: WireOutcome[] }) => {
      const entry = this.pending.get(message.id);
      this.pending.delete(message.id);
      entry?.resolve(message.outcomes.map(fromWire));
    });
    const failAll = (error: Error) => {
      for (const [id, entry] of this.pending) {
        this.pending.delete(id);
        entry.reject(error);
      }
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (this.worker === worker) failAll(new Error(`the event store's bulk writer thread stopped (exit code ${code})`));
    });
    return worker;
  }
}
