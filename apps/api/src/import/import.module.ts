import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { READ_MODEL_STORE, ReadModelStore } from '@pipeline-ledger/read-models';
import { READ_MODEL_STORE_PROVIDER } from '../read-side/read-side.module';
import { AppConfig } from '../config/app-config';
import { StorageModule } from '../infrastructure/storage.module';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { ExecuteRecordBatchHandler } from '../write/execute-record-batch.handler';
import { LeadImporter } from './lead-import';
import { OpportunityImporter } from './opportunity-import';

@Injectable()
class ReadModelLifecycle implements OnApplicationShutdown {
  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * What the CSV imports need, without the HTTP server or the projector: the stores, the command bus with the write
 * side's handlers, and the read-model store (read only: duplicate lookups). The CLI runs it as an application context.
 */
@Module({})
export class ImportModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ImportModule,
      imports: [CqrsModule.forRoot(), StorageModule.forRoot(config)],
      providers: [
        READ_MODEL_STORE_PROVIDER,
        ReadModelLifecycle,
        EventSourcedRepository,
        ExecuteRecordBatchHandler,
        LeadImporter,
        OpportunityImporter,
      ],
    };
  }
}
