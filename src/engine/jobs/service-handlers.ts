import { Injectable } from '@nestjs/common';
import type { Vars } from '../runtime/step-runner';

/** What a service-task handler receives. The idempotency key is stable across retries. */
export interface ServiceTaskContext {
  processInstanceId: string;
  processKey: string;
  businessKey: string | null;
  elementId: string;
  executionId: string;
  idempotencyKey: string;
  attempt: number;
  /** all process variables at the time the task was reached */
  variables: Vars;
  /** the task's input mapping (camunda:inputOutput / zeebe:ioMapping), evaluated */
  inputs: Vars;
}

/** Variables to set on the process (through the task's output mapping when it has one). */
export type ServiceTaskHandler = (ctx: ServiceTaskContext) => Promise<Vars | void> | Vars | void;

/** Thrown by a handler to raise a BPMN error that a boundary error event with this code catches. */
export class BpmnError extends Error {
  constructor(
    readonly errorCode: string,
    message?: string,
    readonly variables?: Vars,
  ) {
    super(message ?? errorCode);
    this.name = 'BpmnError';
  }
}

/**
 * Named service-task handlers. The engine knows no domain: `workflows/` registers the names a
 * diagram may use at boot; deploy refuses a diagram naming a handler nobody registered.
 */
@Injectable()
export class ServiceHandlerRegistry {
  private readonly handlers = new Map<string, ServiceTaskHandler>();

  register(name: string, handler: ServiceTaskHandler): void {
    if (this.handlers.has(name)) throw new Error(`Service handler "${name}" is already registered`);
    this.handlers.set(name, handler);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  get(name: string): ServiceTaskHandler | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
