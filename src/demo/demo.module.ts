import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications';
import { CalendarModule } from '../calendar';
import { NotifyModule } from '../notify';
import { PublicityModule } from '../publicity';
import { TasksModule } from '../tasks';
import { DemoApplicationSeeder } from './demo-application-seeder';

/** The demo applications (ANJU_DEMO_DATA): filed once through the real services at the first boot of an empty database. */
@Module({
  imports: [ApplicationsModule, PublicityModule, TasksModule, CalendarModule, NotifyModule],
  providers: [DemoApplicationSeeder],
  exports: [DemoApplicationSeeder],
})
export class DemoModule {}
