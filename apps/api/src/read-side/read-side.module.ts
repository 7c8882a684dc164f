import { FactoryProvider, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { ALL_PROJECTIONS, ProjectorRunner, READ_MODEL_STORE, ReadModelStore } from '@pipeline-ledger/read-models';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { openReadModelStore } from '../infrastructure/stores';
import { AnalyticsController } from './analytics.controller';
import { FreshnessService } from './freshness.service';
import { ListsController } from './lists.controller';
import { ProjectionsController } from './projections.controller';

/**
 * Runs the projector in this process when PROJECTOR=embedded (the default, for development and single-process use):
 * started once the application is up, stopped before the stores close.
 */
@Injectable()
export class ProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectorRunner,
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.projector === 'embedded') await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The configured read-model store (the api's read side, and the imports' duplicate lookups). */
export const READ_MODEL_STORE_PROVIDER: FactoryProvider<ReadModelStore> = {
  provide: READ_MODEL_STORE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): ReadModelStore => openReadModelStore(config),
};

/** The read side: the read-model store, the projector, and what queries need of them. */
@Module({
  controllers: [AnalyticsController, ListsController, ProjectionsController],
  providers: [
    FreshnessService,
    READ_MODEL_STORE_PROVIDER,
    {
      provide: ProjectorRunner,
      inject: [EVENT_STORE, READ_MODEL_STORE],
      useFactory: (events: EventStore, store: ReadModelStore) => {
        const logger = new Logger('Projector');
        return new ProjectorRunner(events, store, ALL_PROJECTIONS, { logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) } });
      },
    },
    ProjectorLifecycle,
  ],
  exports: [READ_MODEL_STORE, ProjectorRunner],
})
export class ReadSideModule {}
