import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { describeStores } from './infrastructure/stores';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Main').log(`Pipeline Ledger listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (${describeStores(config)})`);
}

main().catch((error: unknown) => {
  // A wrong setting stops the process with the message that names it.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
