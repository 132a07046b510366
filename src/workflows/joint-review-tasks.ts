import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationProcess, REVIEW_OUTCOME_LABELS, shanghaiDate } from '../applications';
import { Clock, DomainError } from '../common';
import { ServiceHandlerRegistry, ServiceTaskContext } from '../engine';
import { DepartmentResult } from './application-texts';
import { ProcessTasks, processCaller, required } from './process-context';

/**
 * The joint review's service tasks (processes/joint-review.bpmn and department-review.bpmn):
 * the departments with their online results, each department's decision recorded against whoever
 * took it (the process itself for a match), and the summary the county reviewer reads.
 */
@Injectable()
export class JointReviewTasks implements OnModuleInit {
  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly ds: DataSource,
    private readonly process: ApplicationProcess,
    private readonly tasks: ProcessTasks,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const r = (name: string, h: (ctx: ServiceTaskContext) => Promise<Record<string, unknown>>) => this.registry.register(name, h);
    r('jointReview.prepare', (ctx) => this.prepare(ctx));
    r('jointReview.recordDepartment', (ctx) => this.recordDepartment(ctx));
    r('jointReview.conclude', (ctx) => this.conclude(ctx));
  }

  /** One item per department with its online result (from the comparison the application process made). */
  async prepare(ctx: ServiceTaskContext) {
    const results = required<DepartmentResult[]>(ctx, 'departmentResults');
    if (!Array.isArray(results) || !results.length) {
      throw new DomainError('UNPROCESSABLE', 'PROCESS_VARIABLE_INVALID', `${ctx.elementId}: departmentResults must list the departments`, { field: 'departmentResults' });
    }
    return { departments: results, startedOn: shanghaiDate(this.clock.now()) };
  }

  /** A department's decision (inputs `decision` consistent|discrepancy, `reasons`, `taskElementId`, `escalated`). */
  async recordDepartment(ctx: ServiceTaskContext) {
    const decision = required<string>(ctx, 'decision');
    if (decision !== 'consistent' && decision !== 'discrepancy') {
      throw new DomainError('UNPROCESSABLE', 'PROCESS_VARIABLE_INVALID', `${ctx.elementId}: decision must be consistent or discrepancy, not ${decision}`, { field: 'decision' });
    }
    const reasons = (Array.isArray(ctx.inputs.reasons) ? ctx.inputs.reasons : []).filter((r): r is string => typeof r === 'string' && !!r.trim());
    const taskElementId = typeof ctx.inputs.taskElementId === 'string' ? ctx.inputs.taskElementId : null;
    await this.ds.transaction(async (em) => {
      const done = taskElementId ? await this.tasks.completion(em, ctx.processInstanceId, taskElementId) : null;
      await this.process.recordReview(
        required(ctx, 'applicationId'),
        {
          stage: 'department_review',
          department: required(ctx, 'department'),
          onlineResult: required(ctx, 'onlineResult'),
          outcome: decision,
          reasons,
          decidedBy: done?.username ?? processCaller(ctx).reference,
          decidedByUserId: done?.userId ?? null,
          taskId: done?.taskId ?? null,
          escalated: ctx.inputs.escalated === true,
        },
        `bpmn:${ctx.idempotencyKey}`,
        em,
      );
    });
    return {};
  }

  /** Every department has answered: each one's latest decision, for the county review. */
  async conclude(ctx: ServiceTaskContext) {
    const { reviews } = await this.process.reviews(required(ctx, 'applicationId'));
    const latest = new Map<string, (typeof reviews)[number]>();
    for (const r of reviews) if (r.stage === 'department_review' && r.department) latest.set(r.department, r);
    const lines = [...latest.values()].map(
      (r) => `${r.department}：${REVIEW_OUTCOME_LABELS[r.outcome]['zh-CN']}${r.escalated ? '（超期督办）' : ''}——${r.reasons.join('；')}（${r.decidedBy.startsWith('process:') ? '系统比对' : r.decidedBy}）`,
    );
    return { jointReviewText: lines.join('\n'), discrepancies: [...latest.values()].filter((r) => r.outcome === 'discrepancy').length };
  }
}
