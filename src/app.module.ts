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
import { IdentityModule } from './identity';
import { RegionsModule } from './regions';

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
      ],
    };
  }
}
