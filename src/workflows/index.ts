// workflows' public surface, for the composition root only.
export { WorkflowsModule } from './workflows.module';
