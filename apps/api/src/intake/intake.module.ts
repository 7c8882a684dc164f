import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE } from '@pipeline-ledger/event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ReadSideModule } from '../read-side/read-side.module';
import { DuplicateLeadFinder } from './duplicate-lead-finder';
import { FORM_STORE, FormStore } from './form-store.port';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';
import { IntakeRateLimits } from './intake-rate-limits';
import { SqliteFormStore } from './sqlite.form-store';
import { SqliteSubmissionStore } from './sqlite.submission-store';
import { SUBMISSION_STORE, SubmissionStore } from './submission-store.port';

@Injectable()
class IntakeStoresLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(FORM_STORE) private readonly forms: FormStore,
    @Inject(SUBMISSION_STORE) private readonly submissions: SubmissionStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.forms.close();
    await this.submissions.close();
  }
}

/** Web-to-lead: POST /intake/leads, the forms and submissions in `<DATA_DIR>/intake.sqlite`, the duplicate lookup. */
@Module({
  imports: [ReadSideModule],
  controllers: [IntakeController],
  providers: [
    {
      provide: FORM_STORE,
      inject: [APP_CONFIG, EVENT_STORE], // the data directory exists once the event store is made
      useFactory: (config: AppConfig): FormStore => new SqliteFormStore(config.intake.file),
    },
    {
      provide: SUBMISSION_STORE,
      inject: [APP_CONFIG, EVENT_STORE],
      useFactory: (config: AppConfig): SubmissionStore => new SqliteSubmissionStore(config.intake.file),
    },
    DuplicateLeadFinder,
    IntakeRateLimits,
    IntakeService,
    IntakeStoresLifecycle,
  ],
})
export class IntakeModule {}
