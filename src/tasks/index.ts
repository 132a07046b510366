export { TasksModule } from './tasks.module';
export { TasksService } from './tasks.service';
export type { TaskView } from './tasks.service';
