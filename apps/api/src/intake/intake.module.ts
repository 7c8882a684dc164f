import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { openFormStore, openSubmissionStore } from '../infrastructure/stores';
import { ReadSideModule } from '../read-side/read-side.module';
import { DuplicateLeadFinder } from './duplicate-lead-finder';
import { FORM_STORE, FormStore } from './form-store.port';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';
import { IntakeRateLimits } from './intake-rate-limits';
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

/** Web-to-lead: POST /intake/leads, the forms and submissions (see openFormStore), the duplicate lookup. */
@Module({
  imports: [ReadSideModule],
  controllers: [IntakeController],
  providers: [
    {
      provide: FORM_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): FormStore => openFormStore(config),
    },
    {
      provide: SUBMISSION_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SubmissionStore => openSubmissionStore(config),
    },
    DuplicateLeadFinder,
    IntakeRateLimits,
    IntakeService,
    IntakeStoresLifecycle,
  ],
})
export class IntakeModule {}
