import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImportSetupError } from './column-mapping';
import { CsvFileError } from './csv-rows';
import { LeadRowBatch, LeadRows, LeadRowsSetup } from './lead-rows';

type WorkerMessage =
  | { type: 'opened'; ignored: string[] }
  | { type: 'batch'; batch: LeadRowBatch }
  | { type: 'done' }
  | { type: 'error'; constructorName: string; message: string };

/** Batches the worker may have ready ahead of the one being written: enough to keep both threads busy, no more. */
const AHEAD = 2;

/**
 * openLeadRows on a worker thread: the same batches, read and validated in parallel with the writing of the ones
 * before (an import is CPU-bound on both halves, and the machine has more than one core). The worker runs ahead by
 * at most AHEAD batches, so a large file is never held in memory. Errors come back as the errors openLeadRows throws.
 * From TypeScript sources (ts-node, jest) the worker loads them the same way; from the build, the compiled file.
 */
export async function openLeadRowsInWorker(setup: LeadRowsSetup): Promise<LeadRows> {
  const source = extname(__filename);
  const worker = new Worker(join(__dirname, `lead-rows.worker${source}`), {
    workerData: setup,
    execArgv: source === '.ts' ? ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register')] : [],
  });
  const queue: WorkerMessage[] = [];
  let waiting: ((message: WorkerMessage) => void) | null = null;
  let failed: Error | null = null;
  const receive = (message: WorkerMessage) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else queue.push(message);
  };
  worker.on('message', receive);
  worker.on('error', (error) => receive({ type: 'error', constructorName: 'Error', message: (failed = error).message }));
  worker.on('exit', (code) => {
    if (code !== 0) receive({ type: 'error', constructorName: 'Error', message: failed?.message ?? `the import's row worker stopped (exit code ${code})` });
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<WorkerMessage>((resolve) => (waiting = resolve)));
  const fail = (m: Extract<WorkerMessage, { type: 'error' }>): never => {
    void worker.terminate();
    if (m.constructorName === 'ImportSetupError') throw new ImportSetupError(m.message);
    if (m.constructorName === 'CsvFileError') throw new CsvFileError(m.message);
    throw new Error(m.message);
  };

  const opened = await next();
  if (opened.type === 'error') fail(opened);
  if (opened.type !== 'opened') fail({ type: 'error', constructorName: 'Error', message: `unexpected ${opened.type} from the row worker` });
  for (let i = 0; i < AHEAD; i++) worker.postMessage({ type: 'more' });

  async function* batches(): AsyncGenerator<LeadRowBatch> {
    try {
      for (;;) {
        const message = await next();
        if (message.type === 'done') return;
        if (message.type === 'error') fail(message);
        if (message.type !== 'batch') continue;
        worker.postMessage({ type: 'more' });
        yield message.batch;
      }
    } finally {
      await worker.terminate();
    }
  }
  return { ignored: (opened as { ignored: string[] }).ignored, batches: batches(), close: () => worker.terminate().then(() => undefined) };
}
