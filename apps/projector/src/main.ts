import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../../api/src/config/app-config';
import { StorageModule } from '../../api/src/infrastructure/storage.module';
import { describeStores } from '../../api/src/infrastructure/stores';
import { ReadSideModule } from '../../api/src/read-side/read-side.module';

/**
 * The read side as a process of its own, for production: follows the event store and keeps the read models up to
 * date. Run the api with PROJECTOR=off beside it (one active projector per read-model store).
 */
async function main(): Promise<void> {
  const config = { ...loadConfig(), projector: 'embedded' as const };
  @Module({ imports: [StorageModule.forRoot(config), ReadSideModule] })
  class ProjectorModule {}
  const app = await NestFactory.createApplicationContext(ProjectorModule, { logger: ['fatal', 'error', 'warn', 'log'] });
  app.enableShutdownHooks();
  new Logger('Projector').log(`following the event store into the read models (${describeStores(config)})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
