import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { AdjustableClock, Clock } from '../../src/common';
import { parseBpmn, serviceTaskName } from '../../src/engine/definitions/bpmn-schema';
import type { DefinitionMeta } from '../../src/engine/definitions/element-meta';
import { ServiceHandlerRegistry, ServiceTaskHandler } from '../../src/engine';
import { InstanceStepper } from '../../src/engine/instances/instance-stepper';
import { PROCESS_HANDLER_RESULTS, PROCESS_HINTS } from '../processes/corpus-hints';
import { TestApp } from './app';
import { FIXTURES, deploy, registerHandler, runDue, setNow } from './engine';

/**
 * The recover corpus: engine states saved at every wait position of every diagram (the test
 * fixtures and processes/), recorded by `npm run corpus:record` and recovered by
 * test/engine/recover-corpus.spec.ts with the engine version installed now. An upgrade of
 * bpmn-engine/bpmn-elements that cannot continue a state stored by an older one fails that test.
 */
export const CORPUS_DIR = join(__dirname, '../fixtures/recover-corpus');
export const PROCESSES_DIR = join(__dirname, '../../processes');
/** Where recording starts: every recorded clock is at or after it. */
export const CORPUS_EPOCH = '2027-01-04T09:00:00+08:00';

type Vars = Record<string, unknown>;

export interface CorpusSource {
  /** corpus file name, e.g. `fixtures--timer-catch.json` */
  id: string;
  file: string;
  xml: string;
  sha256: string;
}

export interface CorpusPosition {
  /** element ids the instance waits in, sorted */
  waiting: string[];
  clock: string;
  businessKey: string | null;
  variables: Vars;
  state: unknown;
}

/** A position as stored: the engine state (6 to 17 KB of JSON) gzipped, about 2 KB in base64. */
export interface StoredPosition extends Omit<CorpusPosition, 'state'> {
  stateGzipBase64: string;
}

export interface CorpusFile<P = StoredPosition> {
  source: string;
  sha256: string;
  processKey: string;
  engineVersion: string | null;
  positions: P[];
}

export function packPosition({ state, ...rest }: CorpusPosition): StoredPosition {
  return { ...rest, stateGzipBase64: gzipSync(JSON.stringify(state), { level: 9 }).toString('base64') };
}

export function unpackPosition({ stateGzipBase64, ...rest }: StoredPosition): CorpusPosition {
  return { ...rest, state: JSON.parse(gunzipSync(Buffer.from(stateGzipBase64, 'base64')).toString('utf8')) };
}

/**
 * What a diagram needs to run to its end: start variables, task outputs by element id, service
 * handler results by handler name. Diagrams not listed run with none.
 */
const HINTS: Record<string, { variables?: Vars; tasks?: Record<string, Vars>; messages?: Vars }> = {
  'timer-date.bpmn': { variables: { publishedAt: '2027-03-02T10:30:00+08:00' } },
  'calendar-deadline.bpmn': { variables: { receivedOn: '2027-01-04', days: 5, region: '510104' } },
  'review.bpmn': { tasks: { UserTask_Review: { approved: true } } },
  'task-escalation.bpmn': { variables: { receivedOn: '2027-01-04', regionCode: '510104017', streetCode: '510104017', countyCode: '510104' } },
  'call-parent-mapped.bpmn': { variables: { applicant: '张三', members: 2 } },
  'modeler-c7.bpmn': {
    variables: { applicant: { name: '王芳', idNumber: '510104199001011234', members: ['王芳'] }, caseOwner: 'wangwei', region: 'jinjiang', departments: ['housing', 'tax'], checkDeadline: '2027-01-20T17:00:00+08:00' },
    tasks: { UserTask_StreetReview: { approved: true, opinion: '同意' } },
  },
  'modeler-c8.bpmn': {
    variables: { applicant: { name: '王芳', idNumber: '510104199001011234', members: ['王芳'] }, caseOwner: 'liuyang', region: 'wuhou', departments: ['housing', 'tax'] },
    tasks: { UserTask_StreetReview: { approved: true, opinion: '同意' } },
  },
};
const HANDLER_RESULTS: Record<string, Vars> = { 'income-check': { monthlyIncome: 2400, source: '税务局' }, ...PROCESS_HANDLER_RESULTS };
// processes/ diagrams (test/processes/corpus-hints.ts): same file names never clash with the fixtures'
Object.assign(HINTS, PROCESS_HINTS);

/** Every diagram the corpus covers: the test fixtures and processes/ (which may be empty or absent). */
export function corpusSources(): CorpusSource[] {
  const from = (dir: string, origin: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.bpmn$/i.test(f))
          .sort()
          .map((file) => {
            const xml = readFileSync(join(dir, file), 'utf8');
            return { id: `${origin}--${file.replace(/\.bpmn$/i, '')}.json`, file, xml, sha256: createHash('sha256').update(xml).digest('hex') };
          })
      : [];
  return [...from(FIXTURES, 'fixtures'), ...from(PROCESSES_DIR, 'processes')];
}

export function readCorpus(): { name: string; corpus: CorpusFile }[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, corpus: JSON.parse(readFileSync(join(CORPUS_DIR, name), 'utf8')) as CorpusFile }));
}

type Strategy = 'tasks-first' | 'events-first';

/**
 * One application with every corpus diagram deployed (each file on its own, in name order, so a
 * call activity finds its child and same-key files become versions), a result for every service
 * handler they name, and the timer start events parked so that moving the clock for one diagram
 * starts nothing for another.
 */
export class CorpusWorld {
  readonly definitionIds = new Map<string, string>();
  private readonly parked = new Map<string, Date>();

  constructor(readonly t: TestApp) {}

  async prepare(sources: CorpusSource[]): Promise<void> {
    setNow(this.t, CORPUS_EPOCH);
    // processes/ diagrams run against stubs of their domain handlers: no case exists behind them
    const handlers = (this.t.app.get(ServiceHandlerRegistry) as unknown as { handlers: Map<string, ServiceTaskHandler> }).handlers;
    for (const [name, result] of Object.entries(PROCESS_HANDLER_RESULTS)) handlers.set(name, () => result);
    for (const s of sources) {
      const parsed = await parseBpmn(s.xml);
      for (const el of Object.values(parsed.moddleContext.elementsById)) {
        const name = /Task$/.test(el.$type) ? serviceTaskName(el) : null;
        if (name) registerHandler(this.t, name, () => HANDLER_RESULTS[name] ?? {});
      }
    }
    for (const s of sources) {
      const res = await deploy(this.t, { [s.file]: s.xml });
      if (res.status !== 201) throw new Error(`${s.file} does not deploy: ${res.status} ${JSON.stringify(res.body)}`);
      this.definitionIds.set(s.id, res.body.definitions[0].id);
    }
    const jobs: { id: string; due_at: Date }[] = await this.t.ds.query(`SELECT id, due_at FROM engine_jobs WHERE kind = 'start-timer'`);
    for (const j of jobs) this.parked.set(j.id, new Date(j.due_at));
    await this.t.ds.query(`UPDATE engine_jobs SET due_at = 'infinity' WHERE kind = 'start-timer'`);
  }

  now(): Date {
    return this.t.app.get(Clock).now();
  }

  /** Moves the clock forward to `at` (never back). */
  moveTo(at: Date): void {
    if (at.getTime() > this.now().getTime()) (this.t.app.get(Clock) as AdjustableClock).set(at);
  }

  /** Starts an instance the way the diagram allows: by API, by its start message, or by its start timer. */
  async start(source: CorpusSource, businessKey: string): Promise<string> {
    const definitionId = this.definitionIds.get(source.id)!;
    const [{ element_meta: meta }]: { element_meta: DefinitionMeta }[] = await this.t.ds.query(`SELECT element_meta FROM engine_process_definitions WHERE id = $1`, [definitionId]);
    const variables = HINTS[source.file]?.variables ?? {};
    if (meta.hasNoneStart) {
      const res = await request(this.t.http).post(`/api/process-definitions/${definitionId}/start`).send({ businessKey, variables });
      if (res.status !== 201) throw new Error(`start ${source.file}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    }
    const message = Object.values(meta.elements).find((e) => e.startMessage)?.startMessage;
    if (message) {
      const res = await request(this.t.http).post('/api/messages').send({ name: message, businessKey, variables });
      if (res.status !== 200) throw new Error(`start ${source.file} by message ${message}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body[0].processInstanceId;
    }
    const [job]: { id: string }[] = await this.t.ds.query(`SELECT id FROM engine_jobs WHERE kind = 'start-timer' AND definition_id = $1`, [definitionId]);
    if (!job) throw new Error(`${source.file} has no start event Anju can trigger`);
    const due = this.parked.get(job.id)!;
    const before = new Set((await this.t.ds.query(`SELECT id FROM engine_process_instances WHERE definition_id = $1`, [definitionId])).map((r: { id: string }) => r.id));
    await this.t.ds.query(`UPDATE engine_jobs SET due_at = $2 WHERE id = $1`, [job.id, due.toISOString()]);
    // exactly at its slot (even if an earlier diagram moved the clock past it): one slot, one instance
    setNow(this.t, due.toISOString());
    await runDue(this.t);
    const [next] = await this.t.ds.query(`SELECT due_at FROM engine_jobs WHERE id = $1`, [job.id]);
    if (next) {
      this.parked.set(job.id, new Date(next.due_at));
      await this.t.ds.query(`UPDATE engine_jobs SET due_at = 'infinity' WHERE id = $1`, [job.id]);
    }
    const after: { id: string }[] = await this.t.ds.query(`SELECT id FROM engine_process_instances WHERE definition_id = $1 ORDER BY started_at, id`, [definitionId]);
    const started = after.filter((r) => !before.has(r.id));
    if (started.length !== 1) throw new Error(`${source.file}: its start timer started ${started.length} instances`);
    return started[0].id;
  }

  /** Puts a saved state back as a new instance of the deployed diagram and lets it resume. */
  async recover(source: CorpusSource, corpus: CorpusFile, position: CorpusPosition): Promise<string> {
    setNow(this.t, position.clock);
    const [row] = await this.t.ds.query(
      `INSERT INTO engine_process_instances (definition_id, process_key, business_key, status, state, variables, started_at, engine_version)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7) RETURNING id`,
      [this.definitionIds.get(source.id), corpus.processKey, position.businessKey, JSON.stringify(position.state), JSON.stringify(position.variables), position.clock, corpus.engineVersion],
    );
    const stepper = this.t.app.get(InstanceStepper);
    await this.t.ds.transaction(async (em) => {
      const inst = await stepper.lock(em, row.id);
      await stepper.step(em, inst!, { kind: 'resume' }, null);
    });
    return row.id as string;
  }

  async waitingOf(instanceId: string): Promise<string[]> {
    const [row] = await this.t.ds.query(`SELECT waiting FROM engine_process_instances WHERE id = $1`, [instanceId]);
    return [...new Set((row.waiting as { elementId: string }[]).map((w) => w.elementId))].sort();
  }

  /**
   * Drives an instance to its end, one action at a time: complete a task, run a service job,
   * drive a called child, deliver a message or signal, or move the clock to the next timer.
   * `tasks-first` takes the main path; `events-first` lets timers, messages and signals win
   * (each timer element at most twice, so cycles end). `onWait` sees every wait position.
   */
  async drive(source: CorpusSource, instanceId: string, strategy: Strategy, onWait?: (p: CorpusPosition) => void): Promise<void> {
    const timerFirings = new Map<string, number>();
    const hints = HINTS[source.file] ?? {};
    for (let actions = 0; actions < 100; actions++) {
      const [inst] = await this.t.ds.query(`SELECT status, state, variables, business_key FROM engine_process_instances WHERE id = $1`, [instanceId]);
      if (inst.status === 'completed') return;
      if (inst.status !== 'running') throw new Error(`${source.file}: instance ${instanceId} is ${inst.status}`);
      onWait?.({ waiting: await this.waitingOf(instanceId), clock: this.now().toISOString(), businessKey: inst.business_key, variables: inst.variables, state: inst.state });
      const next = await this.nextAction(instanceId, strategy, timerFirings);
      if (!next) throw new Error(`${source.file}: instance ${instanceId} waits in ${(await this.waitingOf(instanceId)).join(', ')} and nothing can move it`);
      await this.act(source, instanceId, next, hints);
    }
    throw new Error(`${source.file}: instance ${instanceId} did not end within 100 actions`);
  }

  private async nextAction(instanceId: string, strategy: Strategy, timerFirings: Map<string, number>): Promise<Action | null> {
    const q = (sql: string) => this.t.ds.query(sql, [instanceId]);
    const [task] = await q(`SELECT id, element_id FROM user_tasks WHERE instance_id = $1 AND status = 'open' ORDER BY element_id, execution_id LIMIT 1`);
    const jobs: { kind: string; status: string; element_id: string; due_at: Date; last_error: string | null }[] = await q(
      `SELECT kind, status, element_id, due_at, last_error FROM engine_jobs WHERE instance_id = $1 ORDER BY due_at`,
    );
    const incident = jobs.find((j) => j.status === 'incident');
    if (incident) throw new Error(`job ${incident.kind} at ${incident.element_id} became an incident: ${incident.last_error}`);
    const [child] = await q(`SELECT id FROM engine_process_instances WHERE parent_instance_id = $1 AND status = 'running' ORDER BY started_at LIMIT 1`);
    const [sub] = await q(`SELECT kind, event_name FROM engine_subscriptions WHERE instance_id = $1 ORDER BY created_at, execution_id LIMIT 1`);
    const timer = jobs.find((j) => j.kind === 'timer' && (strategy === 'tasks-first' || (timerFirings.get(j.element_id) ?? 0) < 2));
    const anyTimer = jobs.find((j) => j.kind === 'timer');
    const job = jobs.find((j) => j.kind === 'service' || j.kind === 'call-end');
    const options: (Action | null)[] =
      strategy === 'tasks-first'
        ? [task && { kind: 'task', ...task }, job && { kind: 'run-due' }, child && { kind: 'child', id: child.id }, sub && { kind: sub.kind, name: sub.event_name }, anyTimer && { kind: 'timer', at: anyTimer.due_at, elementId: anyTimer.element_id }]
        : [timer && { kind: 'timer', at: timer.due_at, elementId: timer.element_id }, sub && { kind: sub.kind, name: sub.event_name }, job && { kind: 'run-due' }, child && { kind: 'child', id: child.id }, task && { kind: 'task', ...task }, anyTimer && { kind: 'timer', at: anyTimer.due_at, elementId: anyTimer.element_id }];
    const chosen = options.find((o): o is Action => !!o) ?? null;
    if (chosen?.kind === 'timer') timerFirings.set(chosen.elementId, (timerFirings.get(chosen.elementId) ?? 0) + 1);
    return chosen;
  }

  private async act(source: CorpusSource, instanceId: string, a: Action, hints: (typeof HINTS)[string]): Promise<void> {
    switch (a.kind) {
      case 'task': {
        const res = await request(this.t.http).post(`/api/tasks/${a.id}/complete`).send({ variables: hints.tasks?.[a.element_id] ?? {} });
        // 409: a deadline fired first in that step, which is a move too
        if (res.status !== 200 && res.status !== 409) throw new Error(`${source.file}: completing ${a.element_id}: ${res.status} ${JSON.stringify(res.body)}`);
        return;
      }
      case 'run-due':
        await runDue(this.t);
        return;
      case 'child': {
        const [row] = await this.t.ds.query(`SELECT d.key FROM engine_process_instances i JOIN engine_process_definitions d ON d.id = i.definition_id WHERE i.id = $1`, [a.id]);
        await this.drive({ ...source, file: `${row.key} (called by ${source.file})` }, a.id, 'tasks-first');
        await runDue(this.t);
        return;
      }
      case 'message': {
        const res = await request(this.t.http).post('/api/messages').send({ name: a.name, processInstanceId: instanceId, variables: hints.messages ?? {} });
        if (res.status !== 200) throw new Error(`${source.file}: message ${a.name}: ${res.status} ${JSON.stringify(res.body)}`);
        return;
      }
      case 'signal':
        await request(this.t.http).post('/api/signals').send({ name: a.name }).expect(200);
        return;
      case 'timer':
        this.moveTo(new Date(a.at));
        await runDue(this.t);
        return;
    }
  }
}

type Action =
  | { kind: 'task'; id: string; element_id: string }
  | { kind: 'run-due' }
  | { kind: 'child'; id: string }
  | { kind: 'message' | 'signal'; name: string }
  | { kind: 'timer'; at: Date; elementId: string };
