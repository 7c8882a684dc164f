import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { CHECKPOINT_STORE, CheckpointStore, EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { DATA_KEY_STORE, DataKeyStore, PersonalDataProtector } from '@pipeline-ledger/privacy';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RECORDS, buildRecords } from '../write/record-types';
import { EventStores, openCheckpointStore, openEventStores } from './stores';

/** The event store as written (personal fields sealed), for what must see the stored bytes: the hash-chain check. */
export const SEALED_EVENT_STORE = Symbol('SEALED_EVENT_STORE');
const EVENT_STORES = Symbol('EVENT_STORES');

/** Closes the stores last: after every module's onModuleDestroy (subscribers stop there) has run. */
@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Storage');
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.checkpoints.close();
    await this.keys.close();
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
        { provide: EVENT_STORES, useFactory: (): EventStores => openEventStores(config, (m) => new Logger('Storage').warn(m)) },
        { provide: EVENT_STORE, inject: [EVENT_STORES], useFactory: (s: EventStores): EventStore => s.events },
        { provide: SEALED_EVENT_STORE, inject: [EVENT_STORES], useFactory: (s: EventStores): EventStore => s.sealed },
        { provide: DATA_KEY_STORE, inject: [EVENT_STORES], useFactory: (s: EventStores): DataKeyStore => s.keys },
        { provide: PersonalDataProtector, inject: [EVENT_STORES], useFactory: (s: EventStores): PersonalDataProtector => s.protector },
        {
          provide: CHECKPOINT_STORE,
          inject: [EVENT_STORE], // the directory exists once the event store is made
          useFactory: (): CheckpointStore => openCheckpointStore(config),
        },
        StoreLifecycle,
      ],
      exports: [APP_CONFIG, RECORDS, EVENT_STORE, SEALED_EVENT_STORE, CHECKPOINT_STORE, DATA_KEY_STORE, PersonalDataProtector],
    };
  }
}
