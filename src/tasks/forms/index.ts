// Task forms' public surface, re-exported by src/tasks/index.ts for the rest of the application.
export { TaskFormsModule } from './task-forms.module';
export { TaskFormsService } from './task-forms.service';
export type { TaskFormAccessCheck, TaskFormTask, TaskFormView } from './task-forms.service';
export { TaskFormErrorCode } from './task-forms.errors';
export { FormFieldErrorCode } from './form-field-errors';
export type { FormFieldProblem } from './form-field-errors';
export { validateFormData } from './form-validator';
export type { FormValidationContext } from './form-validator';
