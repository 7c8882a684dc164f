/**
 * Integration specs that need a real server (EventStoreDB, MongoDB): they run when its URL is set in the environment
 * and are skipped otherwise, saying so plainly, both in jest's list of tests and once on the console.
 *
 *   describeWithServer('EVENTSTORE_URL', 'EventStoreDbEventStore', (url) => { ...describe/it using url... });
 *
 * No server can run on CI; these suites run with `npm run test:integration` where one does (docker compose up).
 */
export function describeWithServer(setting: 'EVENTSTORE_URL' | 'MONGO_URL', name: string, body: (url: string) => void): void {
  const url = process.env[setting]?.trim();
  if (url) {
    describe(name, () => body(url));
    return;
  }
  const why = `${name}: skipped, ${setting} is not set (no server to run against; see README "Running in production")`;
  describe.skip(why, () => {
    it('runs against a real server only', () => undefined);
  });
  // eslint-disable-next-line no-console
  console.warn(why);
}
