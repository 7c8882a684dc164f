import { parentPort, workerData } from 'node:worker_threads';
import { LeadRowsSetup, openLeadRows } from './lead-rows';

/**
 * The lead import's row preparation on a thread of its own (see rows-in-worker.ts for the protocol): the file is read
 * and validated here while the importing thread writes the batch before.
 */
const port = parentPort!;
let credit = 0;
let wake: (() => void) | null = null;
port.on('message', (message: { type: 'more' }) => {
  if (message.type !== 'more') return;
  credit++;
  wake?.();
});

async function run(): Promise<void> {
  const setup = workerData as LeadRowsSetup;
  try {
    const rows = await openLeadRows({ ...setup, digestKey: Buffer.from(setup.digestKey) });
    port.postMessage({ type: 'opened', ignored: rows.ignored });
    for await (const batch of rows.batches) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
      port.postMessage({ type: 'batch', batch });
    }
    port.postMessage({ type: 'done' });
  } catch (error) {
    port.postMessage({ type: 'error', name: (error as Error).name, constructorName: (error as Error).constructor?.name, message: (error as Error).message });
  }
}

void run();
