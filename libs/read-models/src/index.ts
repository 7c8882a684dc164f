/**
 * Public surface of the read-model library. The contract suite (read-model-store.contract.ts) is deliberately not
 * exported here: it uses jest globals. Import it as '@pipeline-ledger/read-models/read-model-store.contract'.
 */
export * from './read-model-store.port';
export type { Projection, ProjectionResult } from './projection';
export { SqliteReadModelStore } from './sqlite.read-model-store';
export type { SqliteReadModelStoreOptions } from './sqlite.read-model-store';
export { MongoReadModelStore, mongoConnectionStringError } from './mongodb.read-model-store';
export type { MongoReadModelStoreOptions } from './mongodb.read-model-store';
export * from './projections';
export * from './projector/projector-runner';
export { ProjectionFailedError } from './projector/track-batch';
export type { Track } from './projector/track-batch';
