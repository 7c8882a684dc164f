import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountsController } from './accounts/accounts.controller';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { ContactsController } from './contacts/contacts.controller';
import { ConversionCompleter } from './conversion/conversion-completer';
import { ConversionRecoveryService } from './conversion/conversion-recovery.service';
import { HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { StorageModule } from './infrastructure/storage.module';
import { ConvertLeadHandler } from './leads/convert-lead.handler';
import { LeadsController } from './leads/leads.controller';
import { OpportunitiesController } from './opportunities/opportunities.controller';
import { EventSourcedRepository } from './write/event-sourced.repository';
import { ExecuteRecordHandler } from './write/execute-record.handler';
import { RECORDS, buildRecords } from './write/record-types';
import { StagesController } from './opportunities/stages.controller';

/** The write side over HTTP: commands in, current state of one record out. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StorageModule.forRoot(config)],
      controllers: [LeadsController, OpportunitiesController, StagesController, AccountsController, ContactsController, HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: RECORDS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => buildRecords(c.stageCatalogue) },
        EventSourcedRepository,
        ExecuteRecordHandler,
        ConvertLeadHandler,
        ConversionCompleter,
        ConversionRecoveryService,
      ],
    };
  }
}
