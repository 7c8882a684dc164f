/**
 * @pipeline-ledger/privacy: personal data encrypted at rest under per-subject data keys, and erased by deleting the
 * key (crypto-shredding). The contract suite (data-key-store.contract.ts) uses jest globals and is not exported here.
 */
export * from './data-key-store.port';
export * from './sqlite.data-key-store';
export * from './mongodb.data-key-store';
export * from './master-key';
export * from './data-keyring';
export * from './field-cipher';
export * from './personal-data-protector';
export * from './personal-data.event-store';
