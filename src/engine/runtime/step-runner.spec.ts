import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import { moddleOptionsFor, parseBpmn } from '../definitions/bpmn-schema';
import { FeelFunctionRegistry } from '../expressions';
import { EngineFactory } from './engine-factory';
import { StepCommand, StepResult, runStep } from './step-runner';

const XML = readFileSync(join(__dirname, '../../../test/fixtures/bpmn/review.bpmn'), 'utf8');

describe('runStep', () => {
  let now = new Date('2026-12-01T02:00:00Z');
  const factory = new EngineFactory(() => now, new FeelFunctionRegistry());
  let source: unknown;
  const moddleOptions = moddleOptionsFor('camunda');

  beforeAll(async () => {
    const parsed = await parseBpmn(XML, 'camunda');
    const json = JSON.parse(serializer(parsed.moddleContext as never, TypeResolver(factory.elements as never)).serialize());
    source = factory.deserialize(json);
  });

  const step = (state: unknown, command: StepCommand) => runStep(factory, { name: 'i1', sourceContext: source, moddleOptions, state, command, now: () => now });

  it('starts, waits at the user task with two timers counted from the Anju clock, and survives a JSON round trip', async () => {
    const started = await step(null, { kind: 'start', variables: { applicant: '张三' } });
    expect(started.ended).toBe(false);
    expect(started.waiting.map((w) => w.elementId).sort()).toEqual(['Timer_Deadline', 'Timer_Remind', 'UserTask_Review']);
    const due = Object.fromEntries(started.timers.map((t) => [t.elementId, t.dueAt.toISOString()]));
    expect(due).toEqual({ Timer_Remind: '2026-12-04T02:00:00.000Z', Timer_Deadline: '2027-01-10T02:00:00.000Z' });
    expect(started.variables).toEqual({ applicant: '张三' });
    const stored = JSON.parse(JSON.stringify(started.state));
    const task = started.waiting.find((w) => w.elementId === 'UserTask_Review')!;
    const done = await step(stored, { kind: 'complete', executionId: task.executionId, variables: { approved: true } });
    expect(done.consumed).toBe(true);
    expect(done.waiting.map((w) => w.elementId)).toEqual(['ServiceTask_Notify']);
    expect(done.timers).toEqual([]);
    expect(done.variables).toMatchObject({ applicant: '张三', approved: true });
    const svc = done.waiting[0];
    const end = await step(done.state, { kind: 'complete', executionId: svc.executionId, variables: { sent: 1 } });
    expect(end.ended).toBe(true);
    expect(end.history.map((h) => h.elementId)).toContain('End_Approved');
  });

  it('fires a due timer by execution id, keeps the task for a non-interrupting one, and ignores a stale one', async () => {
    const started = await step(null, { kind: 'start', variables: {} });
    const remind = started.timers.find((t) => t.elementId === 'Timer_Remind')!;
    const fired: StepResult = await step(started.state, { kind: 'timer', executionId: remind.executionId });
    expect(fired.consumed).toBe(true);
    expect(fired.waiting.map((w) => w.elementId)).toContain('UserTask_Review');
    expect(fired.history.some((h) => h.type === 'timer-fired' && h.elementId === 'Timer_Remind')).toBe(true);
    const again = await step(fired.state, { kind: 'timer', executionId: remind.executionId });
    expect(again.consumed).toBe(false);
  });

  it('fires an overdue timer on resume when the clock has passed it (interrupting: the task is gone)', async () => {
    const started = await step(null, { kind: 'start', variables: {} });
    const saved = now;
    now = new Date(now.getTime() + 41 * 86400000);
    try {
      const late = await step(started.state, { kind: 'resume' });
      expect(late.ended).toBe(true);
      expect(late.history.map((h) => h.elementId)).toContain('End_Late');
    } finally {
      now = saved;
    }
  });

  it('returns consumed=false for a task that is not waiting', async () => {
    const started = await step(null, { kind: 'start', variables: {} });
    const r = await step(started.state, { kind: 'complete', executionId: 'nope', variables: {} });
    expect(r.consumed).toBe(false);
    expect(r.waiting.map((w) => w.elementId)).toContain('UserTask_Review');
  });
});
