import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit';
import { CalendarModule } from './calendar';
import { ClockModule } from './common';
import { EngineModule } from './engine';
import { TasksModule } from './tasks';
import { LoggingModule } from './api';
import { AppConfig, ConfigModule, loadConfig } from './config';
import { DatabaseModule } from './database';
import { HealthModule } from './health';
import { HousingModule } from './housing';
import { IdentityModule } from './identity';
import { RegionsModule } from './regions';
import { NotifyModule } from './notify';
import { ApplicationsModule } from './applications';
import { PublicityModule } from './publicity';
import { WaitingListModule } from './waiting-list';
import { ConnectorsModule } from './connectors';
import { DemoModule } from './demo';
import { WorkflowsModule } from './workflows';

/** Composition root: the only place that knows every module. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        LoggingModule,
        DatabaseModule,
        ScheduleModule.forRoot(),
        HealthModule,
        RegionsModule,
        AuditModule,
        IdentityModule,
        CalendarModule,
        EngineModule.forRoot(config),
        TasksModule,
        HousingModule,
        NotifyModule,
        ConnectorsModule,
        ApplicationsModule,
        PublicityModule,
        WaitingListModule,
        WorkflowsModule,
        DemoModule,
      ],
    };
  }
}
