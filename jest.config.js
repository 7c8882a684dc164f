/** Three projects: fast unit specs next to the code, end-to-end tests over HTTP in test/, adapters against real servers. */
const moduleNameMapper = {
  '^@pipeline-ledger/domain(.*)$': '<rootDir>/libs/domain/src$1',
  '^@pipeline-ledger/event-store(.*)$': '<rootDir>/libs/event-store/src$1',
  '^@pipeline-ledger/read-models(.*)$': '<rootDir>/libs/read-models/src$1',
  '^@pipeline-ledger/contracts(.*)$': '<rootDir>/libs/contracts/src$1',
  '^@pipeline-ledger/privacy(.*)$': '<rootDir>/libs/privacy/src$1',
};
// Type checking is done once by `tsc --noEmit` (npm test runs it first); jest only transpiles.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }] };
const common = { rootDir: __dirname, moduleFileExtensions: ['ts', 'js', 'json'], testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  // The default reporter, and a line for each suite skipped whole, with its reason (the servers' contract suites).
  reporters: ['default', '<rootDir>/test/support/skipped-suites-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // Adapter contract suites against real servers: run when EVENTSTORE_URL / MONGO_URL are set, skipped (saying so) when not.
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/libs/**/*.integration-spec.ts', '<rootDir>/apps/**/*.integration-spec.ts'] },
  ],
};
