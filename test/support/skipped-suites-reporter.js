/**
 * A jest reporter that says, at the end of every run, which suites were skipped whole and why: the adapter contract
 * suites against real servers (EventStoreDB, MongoDB) when EVENTSTORE_URL / MONGO_URL are not set. Jest's default
 * reporter only counts skipped suites, and drops the console output of a file whose tests were all skipped.
 * The reason is the title of the skipped describe (see describeWithServer in test/support/servers.ts).
 */
class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    const reasons = new Set();
    for (const file of results.testResults) {
      const tests = file.testResults;
      if (tests.length === 0 || tests.some((t) => t.status !== 'pending')) continue;
      for (const test of tests) reasons.add(test.ancestorTitles[0] ?? test.title);
    }
    if (reasons.size === 0) return;
    process.stderr.write(`\nSkipped whole (${reasons.size}):\n${[...reasons].sort().map((r) => `  - ${r}`).join('\n')}\n`);
  }
}

module.exports = SkippedSuitesReporter;
