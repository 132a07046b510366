import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications';
import { CalendarModule } from '../calendar';
import { NotifyModule } from '../notify';
import { PublicityModule } from '../publicity';
import { WaitingListModule } from '../waiting-list';
import { ApplicationBindings } from './application-bindings';
import { ApplicationDecisions } from './application-decisions';
import { ApplicationTasks } from './application-tasks';
import { JointReviewTasks } from './joint-review-tasks';
import { NotifyTask } from './notify-task';
import { ApplicantMail, ProcessTasks } from './process-context';
import { PublicityBindings } from './publicity-bindings';
import { WaitingListTerm } from './waiting-list-term';

/** Binds the service-task names diagrams may use to the services that do the work; only app.module imports it. */
@Module({
  imports: [NotifyModule, CalendarModule, ApplicationsModule, PublicityModule, WaitingListModule],
  providers: [NotifyTask, ProcessTasks, ApplicantMail, ApplicationTasks, ApplicationDecisions, JointReviewTasks, ApplicationBindings, PublicityBindings, WaitingListTerm],
})
export class WorkflowsModule {}
