import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountsController } from './accounts/accounts.controller';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { AsyncApiController } from './contracts/asyncapi.controller';
import { ReadSideModule } from './read-side/read-side.module';
import { ContactsController } from './contacts/contacts.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { ConversionCompleter } from './conversion/conversion-completer';
import { ConversionRecoveryService } from './conversion/conversion-recovery.service';
import { EventFeedService } from './feed/event-feed.service';
import { EventsController } from './feed/events.controller';
import { HistoryController } from './history/history.controller';
import { HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { StorageModule } from './infrastructure/storage.module';
import { IntakeModule } from './intake/intake.module';
import { ConvertLeadHandler } from './leads/convert-lead.handler';
import { LeadsController } from './leads/leads.controller';
import { OpportunitiesController } from './opportunities/opportunities.controller';
import { EventSourcedRepository } from './write/event-sourced.repository';
import { ExecuteRecordHandler } from './write/execute-record.handler';
import { ExecuteRecordBatchHandler } from './write/execute-record-batch.handler';
import { StagesController } from './opportunities/stages.controller';
import { WebhooksModule } from './webhooks/webhooks.module';
import { PeopleController } from './privacy/people.controller';
import { PersonErasureService } from './privacy/person-erasure.service';

/** The service over HTTP: commands in, a record's current state and the read models out. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StorageModule.forRoot(config), AuthModule, ReadSideModule, WebhooksModule, IntakeModule],
      controllers: [LeadsController, OpportunitiesController, StagesController, AccountsController, ContactsController, HistoryController, EventsController, HealthController, AsyncApiController, PeopleController, DashboardController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        EventSourcedRepository,
        ExecuteRecordHandler,
        ExecuteRecordBatchHandler,
        ConvertLeadHandler,
        ConversionCompleter,
        ConversionRecoveryService,
        EventFeedService,
        PersonErasureService,
      ],
    };
  }
}
