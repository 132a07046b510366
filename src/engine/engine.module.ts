import { DynamicModule, Module } from '@nestjs/common';
import { CalendarModule } from '../calendar';
import { Clock } from '../common';
import { AppConfig } from '../config';
import { BootDeployer } from './definitions/boot-deployer';
import { DefinitionsController } from './definitions/definitions.controller';
import { DefinitionsRepository } from './definitions/definitions.repository';
import { DefinitionsService } from './definitions/definitions.service';
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
      imports: [CalendarModule],
      controllers: [DefinitionsController, InstancesController, IncidentsController, ...(config.testClock ? [TestClockController] : [])],
      providers: [
        { provide: FeelFunctionRegistry, inject: [Clock], useFactory: (clock: Clock) => new FeelFunctionRegistry({ clock, timeZone: 'Asia/Shanghai' }) },
        { provide: EngineFactory, inject: [Clock, FeelFunctionRegistry], useFactory: (clock: Clock, feel: FeelFunctionRegistry) => new EngineFactory(() => clock.now(), feel) },
        CalendarFeelFunctions,
        ServiceHandlerRegistry,
        DefinitionsRepository,
        DefinitionsService,
        InstanceStepper,
        InstancesService,
        MessagesService,
        UserTaskCommands,
        IncidentsService,
        JobExecutor,
        BootDeployer,
      ],
      exports: [FeelFunctionRegistry, ServiceHandlerRegistry, DefinitionsService, InstancesService, MessagesService, UserTaskCommands, JobExecutor],
    };
  }
}
