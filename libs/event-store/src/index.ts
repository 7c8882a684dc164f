/**
 * Public surface of the event store library. The contract suite (event-store.contract.ts) is deliberately not
 * exported here: it uses jest globals. Import it as '@pipeline-ledger/event-store/event-store.contract'.
 */
export * from './event-store.port';
export * from './event-store.errors';
export * from './event-chain';
export { SqliteEventStore } from './sqlite.event-store';
export type { SqliteEventStoreOptions } from './sqlite.event-store';
export type { AppendBatcherStats } from './sqlite-append-batcher';
export * from './checkpoint-store.port';
export * from './sqlite.checkpoint-store';
export * from './mongodb.checkpoint-store';
export * from './sqlite-position';
export { EventStoreDbEventStore, eventStoreDbConnectionStringError } from './eventstoredb.event-store';
export type { EventStoreDbEventStoreOptions } from './eventstoredb.event-store';
