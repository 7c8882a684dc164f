import { parentPort, workerData } from 'node:worker_threads';
import { APPENDS_PER_TRANSACTION, writeAppends } from './sqlite-append-batcher';
import { toWire } from './sqlite-bulk-writer';
import { openEventDatabase, prepareEventStatements } from './sqlite-schema';
import { AppendRequest } from './sqlite-stream-appender';

/** The bulk writer thread (sqlite-bulk-writer.ts): its own connection, the same checks and writes as the store's. */
const { filename, busyTimeoutMs } = workerData as { filename: string; busyTimeoutMs: number };
const db = openEventDatabase(filename, busyTimeoutMs);
const statements = prepareEventStatements(db);

parentPort!.on('message', ({ id, requests }: { id: number; requests: AppendRequest[] }) => {
  const outcomes = writeAppends(db, statements, requests, APPENDS_PER_TRANSACTION).map(toWire);
  parentPort!.postMessage({ id, outcomes });
});
