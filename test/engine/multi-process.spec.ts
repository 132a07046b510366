import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../src/common';
import { EngineErrorCode, InstancesService, UserTaskCommands } from '../../src/engine';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, registerHandler, setNow } from '../support/engine';
import { Worker, buildWorker, startWorker } from '../support/worker';

/**
 * Several processes on one database: a crash test (a worker killed with SIGKILL at random moments,
 * again and again, while instances run) and a multi-node test (three workers, 2,000 timers due at
 * once). Both need PostgreSQL: the embedded database belongs to one process.
 */
const PG = !!process.env.TEST_DATABASE_URL;
const ROOT = join(__dirname, '../..');
const MINUTE = 60000;

/** user task with a reminder and a deadline; after the task a service call and a cooling-off timer */
const CRASH_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_Crash" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test">
  <process id="crash" name="崩溃测试" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="Review" />
    <userTask id="Review" name="审核" camunda:candidateGroups="reviewer" />
    <boundaryEvent id="Remind" attachedToRef="Review" cancelActivity="false">
      <timerEventDefinition><timeDuration>PT30M</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="F2" sourceRef="Remind" targetRef="EndReminded" />
    <endEvent id="EndReminded" />
    <boundaryEvent id="Deadline" attachedToRef="Review">
      <timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="F3" sourceRef="Deadline" targetRef="Grace" />
    <intermediateCatchEvent id="Grace">
      <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="F4" sourceRef="Grace" targetRef="EndLate" />
    <endEvent id="EndLate" />
    <sequenceFlow id="F5" sourceRef="Review" targetRef="Notify" />
    <serviceTask id="Notify" camunda:type="echo" />
    <sequenceFlow id="F6" sourceRef="Notify" targetRef="Cooling" />
    <intermediateCatchEvent id="Cooling">
      <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="F7" sourceRef="Cooling" targetRef="EndDone" />
    <endEvent id="EndDone" />
  </process>
</definitions>`;

const WAIT_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_Wait" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="https://anju.example/test">
  <process id="wait" name="等待" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <intermediateCatchEvent id="Wait">
      <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

if (!PG) {
  describe('multi-process tests: crash (SIGKILL) and multi-node timers', () => {
    it('run only under `npm run test:pg`: several processes cannot share the embedded database this run uses', () => {
      // the suite below is registered whenever TEST_DATABASE_URL is set, as `npm run test:pg` does
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts['test:pg']).toContain('TEST_DATABASE_URL');
      expect(existsSync(join(ROOT, 'scripts/worker.ts'))).toBe(true);
      expect(readFileSync(__filename, 'utf8')).toContain("describe('multi-process on PostgreSQL");
    });
  });
} else {
  describe('multi-process on PostgreSQL: worker processes on one database', () => {
    beforeAll(() => {
      buildWorker();
    }, 2 * MINUTE);

    it(
      'crash test: 500 instances with user tasks and timers; the worker is SIGKILLed ≥ 20 times at random moments; every instance ends once, every timer fires once, no job is left',
      async () => {
        const t = await createEngineTestApp();
        const workers: Worker[] = [];
        try {
          await crashTest(t, workers);
        } finally {
          await Promise.all(workers.map((w) => w.kill()));
          await t.close();
        }
      },
      4 * MINUTE,
    );

    it(
      'multi-node test: 3 worker processes, 2,000 timers due at once: each fires exactly once and every instance ends',
      async () => {
        const t = await createEngineTestApp();
        const workers: Worker[] = [];
        try {
          await multiNodeTest(t, workers);
        } finally {
          await Promise.all(workers.map((w) => w.kill()));
          await t.close();
        }
      },
      4 * MINUTE,
    );
  });
}

const INSTANCES = 500;
const MIN_KILLS = 20;

async function crashTest(t: TestApp, workers: Worker[]): Promise<void> {
  const began = Date.now();
  // Business time is the clock every node reads: pinned, and moved 10 minutes every 250 ms of
  // real time on the test's app and on the live worker. Nobody sleeps for business time.
  let now = new Date();
  setNow(t, now.toISOString());
  registerHandler(t, 'echo', () => ({})); // deploy checks that the handler exists; the workers run it
  await deploy(t, { 'crash.bpmn': CRASH_BPMN }).expect(201);

  let worker: Worker | null = null;
  const tick = setInterval(() => {
    now = new Date(now.getTime() + 10 * MINUTE);
    setNow(t, now.toISOString());
    if (worker?.url && !worker.exited) worker.setClock(now).catch(() => undefined);
  }, 250);

  // starts at a steady pace; about 60 % of the tasks are completed by a user after a random
  // delay, which races the reminder and the deadline the worker fires
  const completions: Promise<number>[] = [];
  const ids: string[] = [];
  let nextStart = 0;
  const startLane = async () => {
    while (nextStart < INSTANCES) {
      const i = nextStart++;
      const inst = await t.app.get(InstancesService).start({ key: 'crash' }, { businessKey: `CRASH-${i}` }, 'crash-test');
      ids.push(inst.id);
      if (Math.random() < 0.6) completions.push(completeLater(t, inst.id, Math.random() * 4000));
      await pause(40);
    }
  };
  const starting = Promise.all([startLane(), startLane()]);
  let startsDone = false;
  starting.then(() => (startsDone = true), () => (startsDone = true));

  // the worker: started, killed with SIGKILL at a random moment (booting or working), restarted
  const kills = { total: 0, whileReady: 0, withDueWork: 0 };
  const url = t.db.env.DATABASE_URL;
  try {
    while (!startsDone || kills.whileReady < MIN_KILLS) {
      worker = startWorker(`worker-${kills.total + 1}`, url);
      workers.push(worker);
      const w: Worker = worker;
      w.ready.then(() => w.setClock(now)).catch(() => undefined);
      if (Math.random() < 0.2) {
        await pause(Math.random() * 1200); // now and then while it boots
      } else {
        await Promise.race([w.ready.catch(() => undefined), pause(20000)]);
        await pause(100 + Math.random() * 1400); // mostly while it works
      }
      if (w.url) {
        kills.whileReady++;
        const [{ due }] = await t.ds.query(`SELECT count(*)::int AS due FROM engine_jobs WHERE due_at <= $1`, [now.toISOString()]);
        if (due > 0) kills.withDueWork++;
      }
      await w.kill();
      kills.total++;
      if (Date.now() - began > 2.5 * MINUTE) throw new Error(`crash test too slow: ${kills.total} kills, ${ids.length} started`);
    }
    await starting;
    const outcomes = await Promise.all(completions);

    // the last worker lives: a month later everything is due; it drains the rest
    now = new Date(now.getTime() + 30 * 24 * 60 * MINUTE);
    setNow(t, now.toISOString());
    worker = startWorker('worker-final', url);
    workers.push(worker);
    await worker.ready;
    await worker.setClock(now);
    await waitUntil(t, `SELECT (SELECT count(*) FROM engine_process_instances WHERE status <> 'completed') + (SELECT count(*) FROM engine_jobs) AS left`, 90000, worker);
    await worker.stop();
    clearInterval(tick);

    await checkCrashOutcome(t, ids);
    const completed = outcomes.filter((s) => s === 200).length;
    console.info(
      `crash test: ${INSTANCES} instances, ${kills.total} SIGKILLs (${kills.whileReady} of a ready worker, ${kills.withDueWork} with due jobs waiting), ` +
        `${completed} tasks completed by users, ${outcomes.length - completed} completions refused (409: the deadline won), ${((Date.now() - began) / 1000).toFixed(0)} s`,
    );
    expect(kills.whileReady).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(kills.withDueWork).toBeGreaterThanOrEqual(MIN_KILLS / 2);
  } finally {
    clearInterval(tick);
  }
}

/**
 * Completes an instance's task after `delayMs` (a user at work, through the same service the HTTP
 * API calls): 200, or 409 when the task had closed (the deadline fired first, on a worker or in
 * this very call).
 */
async function completeLater(t: TestApp, instanceId: string, delayMs: number): Promise<number> {
  await pause(delayMs);
  const [task] = await t.ds.query(`SELECT id FROM user_tasks WHERE instance_id = $1 AND element_id = 'Review'`, [instanceId]);
  try {
    await t.app.get(UserTaskCommands).complete(task.id, { approved: true }, 'crash-test');
    return 200;
  } catch (e) {
    if (e instanceof DomainError && e.code === EngineErrorCode.TaskNotOpen) return 409;
    throw e;
  }
}

async function checkCrashOutcome(t: TestApp, ids: string[]): Promise<void> {
  expect(ids).toHaveLength(INSTANCES);
  const statuses = await t.ds.query(`SELECT status, count(*)::int AS n FROM engine_process_instances GROUP BY status`);
  expect(statuses).toEqual([{ status: 'completed', n: INSTANCES }]);
  // no job pending, locked or in incident; no open task; no incident
  expect(await t.ds.query(`SELECT kind, status, locked_by, last_error FROM engine_jobs`)).toEqual([]);
  expect(await t.ds.query(`SELECT id, message FROM engine_incidents`)).toEqual([]);
  expect((await t.ds.query(`SELECT count(*)::int AS n FROM user_tasks WHERE status = 'open'`))[0].n).toBe(0);

  // every instance ended exactly once
  const ends = await t.ds.query(`SELECT instance_id, count(*)::int AS n FROM engine_events WHERE type = 'instance-ended' GROUP BY instance_id`);
  expect(ends).toHaveLength(INSTANCES);
  expect(ends.filter((e: { n: number }) => e.n !== 1)).toEqual([]);
  // every timer execution fired exactly once
  const twice = await t.ds.query(
    `SELECT instance_id, execution_id, count(*)::int AS n FROM engine_events WHERE type = 'timer-fired' GROUP BY 1, 2 HAVING count(*) <> 1`,
  );
  expect(twice).toEqual([]);
  // and each instance took exactly one of the two paths, with every timer of its path fired once
  const paths: { instance_id: string; fired: string[] | null; completed: number; notified: number }[] = await t.ds.query(
    `SELECT i.id AS instance_id,
            (SELECT array_agg(e.element_id ORDER BY e.element_id) FROM engine_events e WHERE e.instance_id = i.id AND e.type = 'timer-fired') AS fired,
            (SELECT count(*)::int FROM engine_events e WHERE e.instance_id = i.id AND e.type = 'task-completed') AS completed,
            (SELECT count(*)::int FROM engine_events e WHERE e.instance_id = i.id AND e.type = 'job-completed') AS notified
       FROM engine_process_instances i`,
  );
  const wrong = paths.filter((p) => {
    const fired = (p.fired ?? []).filter((f) => f !== 'Remind');
    const byUser = p.completed === 1 && p.notified === 1 && fired.join() === 'Cooling';
    const late = p.completed === 0 && p.notified === 0 && fired.join() === 'Deadline,Grace';
    return !(byUser || late);
  });
  expect(wrong).toEqual([]);
  const reminders = paths.filter((p) => (p.fired ?? []).includes('Remind')).length;
  expect(reminders).toBeGreaterThan(0);
}

const TIMERS = 2000;

async function multiNodeTest(t: TestApp, workers: Worker[]): Promise<void> {
  const began = Date.now();
  const start = new Date();
  setNow(t, start.toISOString());
  await deploy(t, { 'wait.bpmn': WAIT_BPMN }).expect(201);
  const instances = t.app.get(InstancesService);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < TIMERS) {
        next++;
        await instances.start({ key: 'wait' }, {}, null);
      }
    }),
  );
  const [{ n: pending }] = await t.ds.query(`SELECT count(*)::int AS n FROM engine_jobs WHERE kind = 'timer' AND status = 'pending'`);
  expect(pending).toBe(TIMERS);
  const startedIn = Date.now() - began;

  // three nodes; then, for all of them at once, the clock moves past every timer
  for (let i = 1; i <= 3; i++) workers.push(startWorker(`node-${i}`, t.db.env.DATABASE_URL, { JOB_POLL_INTERVAL_MS: '200' }));
  await Promise.all(workers.map((w) => w.ready));
  const due = new Date(start.getTime() + 2 * 60 * MINUTE);
  const fireFrom = Date.now();
  await Promise.all(workers.map((w) => w.setClock(due)));
  await waitUntil(t, `SELECT count(*) AS left FROM engine_process_instances WHERE status <> 'completed'`, 3 * MINUTE, ...workers);
  const firedIn = Date.now() - fireFrom;
  await Promise.all(workers.map((w) => w.stop()));

  const [{ fired, instances: firedInstances }] = await t.ds.query(
    `SELECT count(*)::int AS fired, count(DISTINCT instance_id)::int AS instances FROM engine_events WHERE type = 'timer-fired'`,
  );
  expect({ fired, firedInstances }).toEqual({ fired: TIMERS, firedInstances: TIMERS });
  const [{ ended, endedInstances }] = await t.ds.query(
    `SELECT count(*)::int AS ended, count(DISTINCT instance_id)::int AS "endedInstances" FROM engine_events WHERE type = 'instance-ended'`,
  );
  expect({ ended, endedInstances }).toEqual({ ended: TIMERS, endedInstances: TIMERS });
  expect(await t.ds.query(`SELECT id FROM engine_jobs`)).toEqual([]);
  // every node took part, and together they ran each job once
  const ran = workers.map((w) => w.ran);
  expect(ran.every((n) => typeof n === 'number' && n > 0)).toBe(true);
  expect(ran.reduce((a, b) => a! + b!, 0)).toBe(TIMERS);
  console.info(
    `multi-node test: ${TIMERS} instances started in ${(startedIn / 1000).toFixed(1)} s; 3 nodes fired their timers in ${(firedIn / 1000).toFixed(1)} s ` +
      `(${ran.join(' + ')} jobs); ${((Date.now() - began) / 1000).toFixed(0)} s in all`,
  );
}

/** Polls the database until `sql` (one row, column `left`) says 0; fails after `ms` with the workers' last lines. */
async function waitUntil(t: TestApp, sql: string, ms: number, ...workers: Worker[]): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const [{ left }] = await t.ds.query(sql);
    if (Number(left) === 0) return;
    if (Date.now() > deadline) {
      const jobs = await t.ds.query(`SELECT kind, status, attempts, due_at, locked_by, last_error FROM engine_jobs ORDER BY due_at LIMIT 5`);
      throw new Error(
        `still ${left} left after ${ms} ms; jobs: ${JSON.stringify(jobs)}\n` +
          workers.map((w) => `${w.name} (${w.exited ? 'exited' : 'running'}):\n${w.lines.slice(-10).join('\n')}`).join('\n'),
      );
    }
    await pause(200);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
