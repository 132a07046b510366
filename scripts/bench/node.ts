import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config';
import { DefinitionsService, InstancesService, ServiceHandlerRegistry, UserTaskCommands } from '../../src/engine';
import { InstanceStepper } from '../../src/engine/instances/instance-stepper';
import { ECHO, FLOW_BPMN, LAG_BPMN } from './diagrams';

/**
 * One process of the engine benchmark (scripts/bench-engine.ts starts these): the whole
 * application (job executor included, configured from the environment) plus a driver for one
 * role, reporting on stdout in `@bench {json}` lines.
 *   setup    run migrations, deploy the benchmark diagrams
 *   flow     BENCH_COUNT instances of start → service task → user task → complete → end, in
 *            BENCH_LANES concurrent lanes, after "go" on stdin; step latencies and RSS
 *   lag      start one bench_lag instance waiting for BENCH_DUE (the template the timer
 *            benchmark copies)
 *   timers   only the job executor; on "stop" reports how many jobs it ran
 */
const LINE = '@bench ';

function report(data: Record<string, unknown>): void {
  process.stdout.write(`${LINE}${JSON.stringify(data)}\n`);
}

const stdinLines = createInterface({ input: process.stdin });
function waitFor(word: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (line: string) => {
      if (line.trim() !== word) return;
      stdinLines.off('line', on);
      resolve();
    };
    stdinLines.on('line', on);
  });
}

async function main(): Promise<void> {
  const role = process.argv[2];
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  app.get(ServiceHandlerRegistry).register(ECHO, () => ({ echoed: true }));
  await app.init();
  const ds = app.get(DataSource);
  try {
    if (role === 'setup') {
      const { definitions } = await app.get(DefinitionsService).deploy(
        [
          { name: 'bench-flow.bpmn', content: Buffer.from(FLOW_BPMN) },
          { name: 'bench-lag.bpmn', content: Buffer.from(LAG_BPMN) },
        ],
        'api',
        'bench',
      );
      // the flow drivers learn that a user task opened from a notification instead of polling for it
      // (the benchmark's throw-away database only: polling was a dozen statements per instance)
      await ds.query(`CREATE FUNCTION bench_task_opened() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('bench_task', NEW.business_key || ' ' || NEW.id); RETURN NULL; END $$`);
      await ds.query(`CREATE TRIGGER bench_task_opened AFTER INSERT ON user_tasks FOR EACH ROW EXECUTE FUNCTION bench_task_opened()`);
      report({ type: 'done', definitions: definitions.map((d) => `${d.key} v${d.version}`) });
    } else if (role === 'lag') {
      const inst = await app.get(InstancesService).start({ key: 'bench_lag' }, { businessKey: process.env.BENCH_BUSINESS_KEY ?? null, variables: { due: process.env.BENCH_DUE } }, 'bench');
      report({ type: 'done', id: inst.id, waiting: inst.waiting });
    } else if (role === 'timers') {
      report({ type: 'ready', pid: process.pid });
      await waitFor('stop');
    } else if (role === 'flow') {
      await flow(app.get(InstancesService), app.get(UserTaskCommands), app.get(InstanceStepper), ds);
    } else {
      throw new Error(`unknown role ${role}`);
    }
  } finally {
    await app.close();
    stdinLines.close();
  }
}

async function flow(instances: InstancesService, tasks: UserTaskCommands, stepper: InstanceStepper, ds: DataSource): Promise<void> {
  const count = Number(process.env.BENCH_COUNT ?? 2000);
  const lanes = Number(process.env.BENCH_LANES ?? 8);
  const prefix = process.env.BENCH_PREFIX ?? `p${process.pid}`;
  const checkpoints = (process.env.BENCH_CHECKPOINTS ?? '').split(',').filter(Boolean).map(Number);

  // step latency: the engine step plus its writes, inside the instance transaction
  const steps: Record<string, number[]> = { start: [], service: [], complete: [] };
  const step = stepper.step.bind(stepper);
  stepper.step = async (em, inst, command, actor, extra = []) => {
    const began = performance.now();
    const result = await step(em, inst, command, actor, extra);
    const kind = command.kind === 'start' ? 'start' : extra[0]?.type === 'job-completed' ? 'service' : 'complete';
    steps[kind]?.push(elapsed(began));
    return result;
  };
  // command latency: the whole transaction, from the caller's side
  const commands: Record<string, number[]> = { start: [], complete: [] };
  const opened = await taskNotifications(prefix);

  report({ type: 'ready', pid: process.pid });
  if (process.env.BENCH_WAIT_GO === '1') await waitFor('go');
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  let next = 0;
  let done = 0;
  const marks: { done: number; rss: number; heapUsed: number; ms: number }[] = [];
  const checkpoint = async () => {
    const at = ++done;
    if (!checkpoints.includes(at)) return;
    // let the executor finish in-flight work, then measure after a full collection
    await new Promise((r) => setTimeout(r, 200));
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    marks.push({ done: at, rss: m.rss, heapUsed: m.heapUsed, ms: performance.now() - began });
    report({ type: 'checkpoint', done: at, rss: m.rss, heapUsed: m.heapUsed });
  };
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) {
        const i = next++;
        let t = performance.now();
        const inst = await instances.start({ key: 'bench_flow' }, { businessKey: `${prefix}-${i}` }, 'bench');
        commands.start.push(elapsed(t));
        // the service task runs as a job on whichever node's executor claims it; then the user task opens
        const taskId = await opened.next(`${prefix}-${i}`, () => openTask(ds, inst.id));
        t = performance.now();
        await tasks.complete(taskId, { approved: true }, 'bench');
        commands.complete.push(elapsed(t));
        await checkpoint();
      }
    }),
  );
  const ms = performance.now() - began;
  await opened.close();
  const [{ running }] = await ds.query(`SELECT count(*)::int AS running FROM engine_process_instances WHERE business_key LIKE $1 AND status <> 'completed'`, [`${prefix}-%`]);
  if (process.env.BENCH_WAIT_GO === '1') {
    // this node's executor may still run other nodes' service jobs: report when every node is done
    report({ type: 'finished', ms });
    await waitFor('report');
  }
  const cpu = process.cpuUsage(cpuBefore);
  report({ type: 'done', count, ms, cpuMs: (cpu.user + cpu.system) / 1000, running, steps, commands, marks, rss: process.memoryUsage().rss, warm: stepper.warmStats() });
}

/** Milliseconds since `from`, to 0.01 ms (keeps the report line short). */
function elapsed(from: number): number {
  return Math.round((performance.now() - from) * 100) / 100;
}

/**
 * The user tasks opened for this node's instances, by business key, as the setup's trigger
 * announces them (the service job runs on the executor, maybe another node's). A task announced
 * before anyone waits for it is kept until asked for; a wait that hears nothing for 5 s falls back
 * to reading the table.
 */
async function taskNotifications(prefix: string): Promise<{ next: (businessKey: string, fallback: () => Promise<string>) => Promise<string>; close: () => Promise<void> }> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const arrived = new Map<string, string>();
  const waiting = new Map<string, (taskId: string) => void>();
  client.on('notification', (n) => {
    const [key, taskId] = (n.payload ?? '').split(' ');
    if (!key.startsWith(`${prefix}-`)) return;
    const resolve = waiting.get(key);
    if (resolve) {
      waiting.delete(key);
      resolve(taskId);
    } else arrived.set(key, taskId);
  });
  await client.query('LISTEN bench_task');
  return {
    next: (key, fallback) => {
      const taskId = arrived.get(key);
      if (taskId) {
        arrived.delete(key);
        return Promise.resolve(taskId);
      }
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          fallback().then(resolve, reject);
        }, 5000);
        waiting.set(key, (id) => {
          clearTimeout(timer);
          resolve(id);
        });
      });
    },
    close: () => client.end(),
  };
}

/** Reads the instance's open user task until it is there. */
async function openTask(ds: DataSource, instanceId: string): Promise<string> {
  for (let wait = 2; ; wait = Math.min(wait * 2, 20)) {
    const [row] = await ds.query(`SELECT id FROM user_tasks WHERE instance_id = $1 AND status = 'open'`, [instanceId]);
    if (row) return row.id as string;
    await new Promise((r) => setTimeout(r, wait));
  }
}

main().then(
  // exit once stdout has taken everything: a large report line to a pipe is written asynchronously
  () => process.stdout.write('', () => process.exit(0)),
  (e: unknown) => {
    console.error('bench node failed:', e);
    process.exit(1);
  },
);
