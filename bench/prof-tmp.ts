import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandPathApp, runCommands } from './support/command-path-variants';
async function main() {
  const app = await commandPathApp(mkdtempSync(join(tmpdir(), 'prof-')), true);
  const leads: string[] = [];
  const t = Date.now();
  await runCommands(app, 'create', 30000, 64, leads);
  console.log(30000 / ((Date.now() - t) / 1000), 'commands/s');
  await app.close();
}
main();
