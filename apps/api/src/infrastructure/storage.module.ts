import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import {
  CHECKPOINT_STORE,
  CheckpointStore,
  EVENT_STORE,
  EventStore,
  SqliteCheckpointStore,
  SqliteEventStore,
} from '@pipeline-ledger/event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RECORDS, buildRecords } from '../write/record-types';

/** Closes the stores last: after every module's onModuleDestroy (subscribers stop there) has run. */
@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Storage');
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.checkpoints.close();
    this.logger.log('stores closed');
  }
}

/** The configuration and what it chooses (the stores, the stage catalogue's records), for every module. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RECORDS, useValue: buildRecords(config.stageCatalogue) },
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore => {
            mkdirSync(config.dataDir, { recursive: true });
            return new SqliteEventStore({ filename: config.eventStoreFile });
          },
        },
        {
          provide: CHECKPOINT_STORE,
          inject: [EVENT_STORE], // the directory exists once the event store is made
          useFactory: (): CheckpointStore => new SqliteCheckpointStore(config.eventStoreFile),
        },
        StoreLifecycle,
      ],
      exports: [APP_CONFIG, RECORDS, EVENT_STORE, CHECKPOINT_STORE],
    };
  }
}
