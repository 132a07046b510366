import { DynamicModule, Module } from '@nestjs/common';
import { CalendarModule } from '../calendar';
import { Clock } from '../common';
import { AppConfig } from '../config';
import { NotifyModule } from '../notify';
import { BootDeployer } from './definitions/boot-deployer';
import { DecisionTaskHandler } from './decisions/decision-task';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsRepository } from './decisions/decisions.repository';
import { DecisionsService } from './decisions/decisions.service';
import { DefinitionsController } from './definitions/definitions.controller';
import { DefinitionsRepository } from './definitions/definitions.repository';
import { DefinitionsService } from './definitions/definitions.service';
import { FormsController } from './definitions/forms.controller';
import { FormsRepository } from './definitions/forms.repository';
import { FormsService } from './definitions/forms.service';
import { ClockViews } from './clock/clock-view';
import { ClockRepository } from './clock/clock.repository';
import { ClockService } from './clock/clock.service';
import { DeadlineTracking } from './clock/deadline-tracking';
import { FeelFunctionRegistry } from './expressions';
import { CalendarFeelFunctions } from './expressions/calendar-functions';
import { InstanceStepper } from './instances/instance-stepper';
import { InstancesController } from './instances/instances.controller';
import { InstancesService } from './instances/instances.service';
import { MessagesService } from './instances/messages.service';
import { UserTaskCommands } from './instances/user-task-commands';
import { IncidentsController } from './jobs/incidents.controller';
import { IncidentsService } from './jobs/incidents.service';
import { JobExecutor } from './jobs/job-executor';
import { NodeIdentity } from './jobs/node-identity';
import { ServiceHandlerRegistry } from './jobs/service-handlers';
import { TestClockController } from './jobs/test-clock.controller';
import { EngineFactory } from './runtime/engine-factory';

/** The durable BPMN runtime. Knows nothing about housing: domain code reaches it through handlers. */
@Module({})
export class EngineModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EngineModule,
      global: true,
      // the calendar's FEEL functions (add working days, …) are registered by CalendarFeelFunctions
      // notify: failed mail is listed and retried with the job incidents (jobs/incidents.mail.ts)
      imports: [CalendarModule, NotifyModule],
      controllers: [DefinitionsController, FormsController, DecisionsController, InstancesController, IncidentsController, ...(config.testClock ? [TestClockController] : [])],
      providers: [
        { provide: FeelFunctionRegistry, inject: [Clock], useFactory: (clock: Clock) => new FeelFunctionRegistry({ clock, timeZone: 'Asia/Shanghai' }) },
        { provide: EngineFactory, inject: [Clock, FeelFunctionRegistry], useFactory: (clock: Clock, feel: FeelFunctionRegistry) => new EngineFactory(() => clock.now(), feel) },
        CalendarFeelFunctions,
        ServiceHandlerRegistry,
        DefinitionsRepository,
        DefinitionsService,
        FormsRepository,
        FormsService,
        // DMN decisions and the built-in 'dmn' handler of business rule tasks: decisions/
        DecisionsRepository,
        DecisionsService,
        DecisionTaskHandler,
        InstanceStepper,
        // pausable clocks (中止计时) and provisional deadlines: clock/
        DeadlineTracking,
        ClockRepository,
        ClockService,
        ClockViews,
        InstancesService,
        MessagesService,
        UserTaskCommands,
        IncidentsService,
        JobExecutor,
        NodeIdentity,
        BootDeployer,
      ],
      exports: [FeelFunctionRegistry, ServiceHandlerRegistry, DefinitionsService, FormsService, DecisionsService, InstancesService, MessagesService, UserTaskCommands, JobExecutor],
    };
  }
}
