import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors';
import { IdentityModule } from '../identity';
import { RegionsModule } from '../regions';
import { ApplicantActions } from './applicant-actions.service';
import { ApplicationChecks } from './application-checks.service';
import { ApplicationEvents } from './application-events';
import { ApplicationPeriodRules } from './application-periods.service';
import { ApplicationProcessController } from './application-process.controller';
import { ApplicationProcess } from './application-process.service';
import { ApplicationQueries } from './application-queries.service';
import { ApplicationViews } from './application-views';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { SubmissionRules } from './submission-rules';

/** Housing applications (申请): submission with commitments and authorisations, the frozen household, status, department checks, what the process records. */
@Module({
  imports: [IdentityModule, RegionsModule, ConnectorsModule],
  controllers: [ApplicationsController, ApplicationProcessController],
  providers: [
    ApplicationsRepository,
    ApplicationsService,
    ApplicationQueries,
    ApplicationChecks,
    ApplicationViews,
    SubmissionRules,
    ApplicationEvents,
    ApplicationPeriodRules,
    ApplicationProcess,
    ApplicantActions,
  ],
  exports: [ApplicationsService, ApplicantActions, ApplicationQueries, ApplicationChecks, ApplicationEvents, ApplicationPeriodRules, ApplicationProcess],
})
export class ApplicationsModule {}
