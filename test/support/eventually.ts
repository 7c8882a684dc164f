export { eventually } from '@pipeline-ledger/read-models/testing/eventually';
