import { FormComponent, describeComponent } from './form-schema';
import type { DeployProblem } from './validate-bpmn';

// A hostile form can name thousands of bad components; the first ones are enough to act on.
const MAX_LISTED = 200;

/** The problems found in a form so far, each naming its component (id, else key or path). */
export class FormProblems {
  readonly list: DeployProblem[] = [];
  add(code: string, message: string, c?: FormComponent): void {
    if (this.list.length >= MAX_LISTED) return;
    const elementId = c ? (typeof c.id === 'string' ? c.id : (c.key ?? c.path)) : undefined;
    this.list.push({ ...(typeof elementId === 'string' && { elementId }), code, message: c ? `${describeComponent(c)}: ${message}` : message });
  }
}
