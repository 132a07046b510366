import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DefinitionsService } from '../definitions/definitions.service';
import { ServiceHandlerRegistry } from '../jobs/service-handlers';
import { DecisionsService } from './decisions.service';

/** The handler name a business rule task with a decision reference runs under. */
export const DECISION_HANDLER = 'dmn';

/**
 * Business rule tasks (`camunda:decisionRef` + `camunda:resultVariable`, or
 * `zeebe:calledDecision decisionId resultVariable`) evaluate the latest deployed version of the
 * decision as a job. The result goes into the result variable, and `<resultVariable>Decision`
 * records which decision version judged it and which rules matched.
 */
@Injectable()
export class DecisionTaskHandler implements OnModuleInit {
  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly decisions: DecisionsService,
    private readonly definitions: DefinitionsService,
    private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    if (this.registry.has(DECISION_HANDLER)) return;
    this.registry.register(DECISION_HANDLER, async (ctx) => {
      const [inst] = await this.ds.query(`SELECT definition_id FROM engine_process_instances WHERE id = $1`, [ctx.processInstanceId]);
      const def = await this.definitions.load(inst.definition_id);
      const ref = def.meta.elements[ctx.elementId]?.decision;
      if (!ref) throw new Error(`${ctx.elementId} names no decision`);
      const r = await this.decisions.evaluate(ref.decisionId, { ...ctx.variables, ...ctx.inputs });
      const resultVariable = ref.resultVariable ?? ref.decisionId;
      return {
        [resultVariable]: r.result,
        [`${resultVariable}Decision`]: { key: r.key, version: r.version, decisionDefinitionId: r.decisionDefinitionId, matchedRules: r.matchedRules },
      };
    });
  }
}
