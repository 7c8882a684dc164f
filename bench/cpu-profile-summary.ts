/**
 * Where the time went, from a V8 .cpuprofile (node --cpu-prof, or bench:http --cpu-prof), without a browser:
 * the functions with the most self time, and the time spent under a few frames of interest (inclusive).
 *
 *   npx ts-node --transpile-only bench/cpu-profile-summary.ts <file.cpuprofile> [--top 25] [--under name,name]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, positiveInt } from './bench-support';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Stack frames that tell where the time goes in this service, counted inclusively when --under is not given. */
const DEFAULT_UNDER = [
  'runBatch', // the group commit: BEGIN ... savepoints ... COMMIT (incl. the fsync)
  'appendInTransaction',
  'prepareAppend',
  'readStream',
  'toStoredEvent',
  'fold',
  'decide',
  'execute',
  'readPage', // the conversion-recovery subscription reading back every commit
  'parse', // zod
  'jsonParser',
  '(garbage collector)',
];

function where(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.startsWith('file://') ? relative(REPO_ROOT, url.slice(7)) : url;
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' }, under: { type: 'string' } } });
  if (positionals.length !== 1) {
    console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [--top 25] [--under name,name]');
    process.exit(2);
  }
  const top = positiveInt('top', values.top, 25);
  const under = values.under ? values.under.split(',') : DEFAULT_UNDER;
  const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const selfByFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const key = where(byId.get(id) as ProfileNode);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${positionals[0]}: ${(total / 1e6).toFixed(2)} s sampled\n\nself time, top ${top}:`);
  for (const [key, us] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${key}`);

  // Inclusive: a sample counts for a name when any frame of its stack has that function name (once per sample).
  const inclusive = new Map<string, number>(under.map((name) => [name, 0]));
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = (byId.get(at) as ProfileNode).callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  console.log('\ninclusive (time with this function anywhere on the stack):');
  for (const [name, us] of inclusive) console.log(`  ${pct(us)}  ${name}`);
}

main();
