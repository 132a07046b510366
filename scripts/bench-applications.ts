import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { APPLICATION_STATUSES } from '../src/applications';
import { syntheticHousehold } from '../src/connectors';
import type { SyntheticDifference } from '../src/connectors';
import { applicationBody } from './bench/application-body';
import { BenchHttp, pool } from './bench/http-client';
import { writeBenchSection } from './bench/docs';
import { pct, withClient } from './bench/support';

/**
 * `npm run bench:applications`: BENCH_APPLICATIONS (10,000) housing applications through the whole
 * of processes/application.bpmn (三级审核两级公示) purely through the HTTP API of the real server,
 * with the clock moved: filed at the window, compared online with the simulated departments (the
 * synthetic population of src/connectors/simulated/synthetic-population.ts: 90 % of the households
 * agree with every department, 10 % declare a 低收入 status that 民政 does not hold, so 民政's
 * checker gets 部门核查 and answers it), the street review, 公示 #1, the joint review, the county
 * and the city, 公示 #2, the decision. The clock moves in phases for all applications at once
 * (POST /api/test/clock, then POST /api/test/jobs/run-due). At the end every application must be
 * approved (counted by status through the API) and no request may have failed; prints the wall
 * time, applications per second, each phase's time, the requests' p50/p99, and writes its section
 * of docs/benchmarks.md.
 *
 * The servers: BENCH_NODES (1) processes of `node dist/src/main.js` on one fresh PostgreSQL
 * database (created here, dropped at the end; BENCH_KEEP=1 keeps it), with ANJU_TEST_CLOCK=1, the
 * job executor on (JOB_CONCURRENCY from BENCH_JOB_CONCURRENCY, 2; polling every
 * BENCH_JOB_POLL_MS, 200 ms) and the demo users. The test clock lives in each process, so with
 * more than one node every clock is moved. BENCH_DATABASE_URL (default TEST_DATABASE_URL, else the
 * local server as `npm run test:pg` uses) names the server to CREATE/DROP DATABASE on;
 * BENCH_CONCURRENCY (8) is how many requests the driver keeps in flight; BENCH_PORT (3900) the
 * first node's port; BENCH_APPLICATIONS_DOCS=0 skips writing the docs (a trial:
 * BENCH_APPLICATIONS=200 BENCH_APPLICATIONS_DOCS=0).
 */
const ROOT = process.cwd();
const env = process.env;
const ADMIN_URL = env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(env.BENCH_APPLICATIONS ?? 10_000);
const LANES = Number(env.BENCH_CONCURRENCY ?? 8);
const NODES = Number(env.BENCH_NODES ?? 1);
const JOB_CONCURRENCY = env.BENCH_JOB_CONCURRENCY ?? '2';
const JOB_POLL_MS = env.BENCH_JOB_POLL_MS ?? '200';
const FIRST_PORT = Number(env.BENCH_PORT ?? 3900);
const WRITE_DOCS = env.BENCH_APPLICATIONS_DOCS !== '0';
/** one household in ten declares what a department contradicts */
const DIFFER_EVERY = 10;
const DIFFERENCE: SyntheticDifference = 'assistance_status';

/** The clock: filed on a Tuesday morning; 公示 #1 (7 working days) over by the 20th; 公示 #2 by 3 April. */
const FILED = '2026-03-10T10:00:00+08:00';
const AFTER_FIRST_PUBLICITY = '2026-03-20T09:00:00+08:00';
const AFTER_SECOND_PUBLICITY = '2026-04-03T09:00:00+08:00';
/** give up on a phase that makes no progress for this long */
const STALL_MS = Number(env.BENCH_STALL_S ?? 600) * 1000;

const out: string[] = [];
function say(line = ''): void {
  console.log(line);
  out.push(line);
}
const note = (line: string) => console.log(`  ${line}`);

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const duration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${f1(s)} s`);

const admin = <T>(fn: (c: Client) => Promise<T>, url = ADMIN_URL): Promise<T> => withClient(url, fn);

// ---------------------------------------------------------------------------------------------
// the servers

interface Node {
  port: number;
  proc: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

const SECRETS = {
  ANJU_JWT_SECRET: randomBytes(32).toString('base64'),
  ANJU_PII_KEYS: `bench:${randomBytes(32).toString('base64')}`,
  ANJU_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
};

async function startNode(i: number, databaseUrl: string, http: BenchHttp): Promise<Node> {
  const port = FIRST_PORT + i;
  const log = join(tmpdir(), `anju-bench-applications-${process.pid}-node${i}.log`);
  const fd = openSync(log, 'w');
  const proc = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DB_MIGRATIONS_RUN: i === 0 ? 'true' : 'false',
      LOG_LEVEL: 'warn',
      ANJU_TEST_CLOCK: '1',
      JOB_EXECUTOR_ENABLED: 'true',
      JOB_CONCURRENCY: JOB_CONCURRENCY,
      JOB_POLL_INTERVAL_MS: JOB_POLL_MS,
      ANJU_DEMO_USERS: i === 0 ? 'true' : 'false',
      ANJU_DEMO_DATA: 'false',
      // the driver logs in from one address, again after each move of the clock
      ANJU_LOGIN_RATE_PER_MINUTE: '10000',
      ANJU_ACCESS_TOKEN_TTL_SECONDS: '3600',
      ...SECRETS,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const began = Date.now();
  for (;;) {
    const res = await http.raw('GET', '/health', undefined, {}, port).catch(() => null);
    if (res?.status === 200) break;
    if (proc.exitCode !== null || Date.now() - began > 180_000) {
      throw new Error(`node ${i} did not come up (exit ${proc.exitCode}); its log: ${log}\n${readFileSync(log, 'utf8').slice(-3000)}`);
    }
    await sleep(250);
  }
  note(`node ${i}: pid ${proc.pid}, port ${port}, up in ${f1((Date.now() - began) / 1000)} s, log ${log}`);
  return { port, proc, log, exited };
}

async function stopNode(n: Node): Promise<void> {
  if (n.proc.exitCode !== null) return;
  n.proc.kill('SIGTERM');
  await Promise.race([n.exited, sleep(30_000)]);
  if (n.proc.exitCode === null) n.proc.kill('SIGKILL');
}

/** CPU seconds a process has used (user + system), from /proc; null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// the process, driven through HTTP

interface Case {
  index: number;
  id: string;
  caseNumber: string;
  differs: boolean;
}

interface TaskItem {
  id: string;
  name: string;
  processKey: string;
}

interface Phase {
  name: string;
  ms: number;
  requests: number;
  what: string;
}

class Driver {
  readonly phases: Phase[] = [];
  /** lookups of a task that was not there yet (its job was still running) */
  notYet = 0;
  jobsRan = 0;

  constructor(
    private readonly http: BenchHttp,
    private readonly nodes: Node[],
  ) {}

  async phase(name: string, what: string, fn: () => Promise<void>): Promise<void> {
    const began = performance.now();
    const before = this.http.samples.length;
    note(`${name}…`);
    await fn();
    const ms = performance.now() - began;
    this.phases.push({ name, ms, requests: this.http.samples.length - before, what });
    note(`${name}: ${f1(ms / 1000)} s, ${fmt(this.http.samples.length - before)} requests`);
  }

  /** Moves every node's clock; the sessions of the demo users end with the days skipped. */
  async moveClock(now: string): Promise<void> {
    for (const n of this.nodes) await this.http.call('test: clock', null, 'POST', '/api/test/clock', { now }, [200], n.port);
  }

  /** POST /api/test/jobs/run-due on every node until none runs anything; returns how many ran. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = await Promise.all(this.nodes.map((n) => this.http.call<{ ran: number }>('test: run due jobs', null, 'POST', '/api/test/jobs/run-due', {}, [200], n.port)));
      const sum = ran.reduce((a, r) => a + r.ran, 0);
      total += sum;
      if (sum === 0) break;
    }
    this.jobsRan += total;
    return total;
  }

  async count(status: string): Promise<number> {
    return (await this.http.call<{ total: number }>('applications: count by status', 'jj_county', 'GET', `/api/applications?status=${status}&limit=1`)).total;
  }

  /** Runs due jobs until `expected` applications are in `status` (the background executors help). */
  async settle(status: string, expected: number): Promise<void> {
    let last = -1;
    let since = performance.now();
    for (;;) {
      const ran = await this.runDue();
      const c = await this.count(status);
      if (c >= expected && ran === 0) return;
      if (c !== last || ran > 0) {
        last = c;
        since = performance.now();
      } else if (performance.now() - since > STALL_MS) {
        throw new Error(`stalled: ${c} of ${expected} applications in ${status}`);
      }
      if (ran === 0) await sleep(200);
    }
  }

  /**
   * Waits until `expected` running applications wait at the timer `elementId`. The status moves in
   * a service task's handler, before the engine steps on to the timer; a clock moved in between
   * would start the timer from the moved clock. (GET /api/process-instances, 500 a page.)
   */
  async settleAt(elementId: string, expected: number): Promise<void> {
    const since = performance.now();
    for (;;) {
      await this.runDue();
      let n = 0;
      for (let offset = 0; ; offset += 500) {
        const page = await this.http.call<{ items: { waiting: { elementId: string }[] }[]; total: number }>(
          'process instances: list (waiting where)',
          'sc_modeler',
          'GET',
          `/api/process-instances?processKey=housing_application&status=running&limit=500&offset=${offset}`,
        );
        n += page.items.filter((i) => i.waiting.some((w) => w.elementId === elementId)).length;
        if (offset + 500 >= page.total) break;
      }
      if (n >= expected) return;
      if (performance.now() - since > STALL_MS) throw new Error(`stalled: ${n} of ${expected} applications wait at ${elementId}`);
      await sleep(250);
    }
  }

  async submit(index: number): Promise<Case> {
    const differs = index % DIFFER_EVERY === DIFFER_EVERY - 1;
    const h = syntheticHousehold(index, differs ? { differ: DIFFERENCE } : {});
    const app = await this.http.call<{ id: string; caseNumber: string }>('applications: submit', 'jj_window', 'POST', '/api/applications', applicationBody(h, new Date(FILED)), [201]);
    return { index, id: app.id, caseNumber: app.caseNumber, differs };
  }

  /** The one open task `name` of the case in the user's queue, waited for while its job may still run; claimed and completed. */
  async work(user: string, c: Case, name: string, variables: Record<string, unknown>): Promise<void> {
    const began = performance.now();
    let task: TaskItem | undefined;
    for (let wait = 50; ; wait = Math.min(wait * 2, 2000)) {
      const page = await this.http.call<{ items: TaskItem[] }>('tasks: find the case’s task', user, 'GET', `/api/tasks?businessKey=${encodeURIComponent(c.caseNumber)}&status=open`);
      const found = page.items.filter((t) => t.name === name);
      if (found.length > 1) throw new Error(`${c.caseNumber}: ${found.length} open tasks ${name} for ${user}`);
      task = found[0];
      if (task) break;
      if (performance.now() - began > STALL_MS) throw new Error(`${c.caseNumber}: no task ${name} for ${user}`);
      this.notYet++;
      await sleep(wait);
    }
    await this.http.call('tasks: claim', user, 'POST', `/api/tasks/${task.id}/claim`, {}, [200]);
    await this.http.call('tasks: complete', user, 'POST', `/api/tasks/${task.id}/complete`, { variables }, [200]);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/src/main.js'))) throw new Error('dist/src/main.js is missing: run through `npm run bench:applications` (it builds first)');
  const cpu = cpus();
  const pgVersion = await admin((c) => c.query(`SHOW server_version`)).then((r) => r.rows[0].server_version as string);
  const load = loadavg();
  const name = `anju_bench_applications_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const http = new BenchHttp(
    Array.from({ length: NODES }, (_, i) => FIRST_PORT + i),
    LANES + 2 * NODES,
  );
  const nodes: Node[] = [];
  const cases: Case[] = [];
  let result: 'complete' | 'failed' = 'failed';
  let failure: unknown = null;
  let wallMs = 0;
  let cpuBefore: (number | null)[] = [];
  let cpuUsed: (number | null)[] = [];
  let statuses: [string, number][] = [];
  let written: { table: string; rows: number }[] = [];
  let events: { type: string; n: number }[] = [];
  const driver = new Driver(http, nodes);
  try {
    note(`database ${name}; starting ${NODES} node(s)`);
    for (let i = 0; i < NODES; i++) nodes.push(await startNode(i, databaseUrl, http));
    await driver.moveClock(FILED);
    cpuBefore = nodes.map((n) => cpuSeconds(n.proc.pid));
    const began = performance.now();

    await driver.phase('submit and compare online', 'jj_window files each application (POST /api/applications); the process accepts it, asks the 7 simulated departments about every member, judges it by the standards and queues the street review', async () => {
      await pool(
        Array.from({ length: N }, (_, i) => i),
        LANES,
        async (i) => {
          cases.push(await driver.submit(i));
        },
      );
      await driver.settle('street_review', N);
    });
    cases.sort((a, b) => a.index - b.index);

    await driver.phase('street review', 'jgy_street finds, claims and completes 社区入户调查及街道初审 (approve); 公示 #1 is published', async () => {
      await pool(cases, LANES, (c) => driver.work('jgy_street', c, '社区入户调查及街道初审', { streetDecision: 'approve', streetOpinion: '入户核实，情况属实' }));
      await driver.settle('publicity_first', N);
      await driver.settleAt('Timer_PublicityFirstEnds', N);
    });

    await driver.phase('公示 #1 ends, joint review', `clock to ${AFTER_FIRST_PUBLICITY.slice(0, 10)}; run-due: the notices end, the county stage starts the joint review (matched departments done at once, ${100 / DIFFER_EVERY} % get 民政's 部门核查)`, async () => {
      await driver.moveClock(AFTER_FIRST_PUBLICITY);
      await driver.settle('county_review', N);
    });

    const differing = cases.filter((c) => c.differs);
    await driver.phase('department checks', `jj_mz_checker answers 部门核查 for the ${fmt(differing.length)} households whose 低收入 status 民政 does not confirm`, async () => {
      await pool(differing, LANES, (c) => driver.work('jj_mz_checker', c, '部门核查', { departmentDecision: 'consistent', departmentReason: '经人工核实，低收入认定已于近期办理，申报属实' }));
      await driver.runDue();
    });

    await driver.phase('county review', 'jj_county finds, claims and completes 区县审核 (approve)', async () => {
      await pool(cases, LANES, (c) => driver.work('jj_county', c, '区县审核', { countyDecision: 'approve', countyOpinion: '经审核，符合条件' }));
      await driver.settle('city_review', N);
    });

    await driver.phase('city review', 'cd_city finds, claims and completes 市级复核 (approve); 公示 #2 is published', async () => {
      await pool(cases, LANES, (c) => driver.work('cd_city', c, '市级复核', { cityDecision: 'approve', cityOpinion: '复核通过' }));
      await driver.settle('publicity_second', N);
      await driver.settleAt('Timer_PublicitySecondEnds', N);
    });

    await driver.phase('公示 #2 ends, decision', `clock to ${AFTER_SECOND_PUBLICITY.slice(0, 10)}; run-due: the notices end, each case is approved onto the waiting list and its letter queued`, async () => {
      await driver.moveClock(AFTER_SECOND_PUBLICITY);
      await driver.settle('approved', N);
    });
    wallMs = performance.now() - began;
    cpuUsed = nodes.map((n, i) => {
      const now = cpuSeconds(n.proc.pid);
      return now === null || cpuBefore[i] === null ? null : now - cpuBefore[i]!;
    });

    // every application reached its decision: counted by status through the API
    statuses = [];
    for (const s of APPLICATION_STATUSES) {
      const n = await driver.count(s);
      if (n) statuses.push([s, n]);
    }
    const approved = statuses.find(([s]) => s === 'approved')?.[1] ?? 0;
    result = approved === N && http.failures.length === 0 ? 'complete' : 'failed';

    // where the work went: rows written per table and engine history by type (read from the database, after the run)
    await admin(async (c) => {
      await c.query(`SELECT pg_stat_force_next_flush()`).catch(() => undefined);
      written = (
        await c.query(`SELECT relname AS table, n_tup_ins::bigint AS rows FROM pg_stat_user_tables WHERE n_tup_ins > 0 ORDER BY n_tup_ins DESC LIMIT 12`)
      ).rows.map((r: { table: string; rows: string }) => ({ table: r.table, rows: Number(r.rows) }));
      events = (await c.query(`SELECT type, count(*)::int AS n FROM engine_events GROUP BY type ORDER BY n DESC LIMIT 12`)).rows;
    }, databaseUrl);
  } catch (e) {
    failure = e;
    console.error('bench:applications stopped:', e);
  } finally {
    for (const n of nodes) await stopNode(n);
    http.close();
    if (env.BENCH_KEEP === '1') console.log(`kept database ${name}`);
    else await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }

  // ---- the report
  const samples = http.samples;
  const ms = samples.map((s) => s.ms);
  const unexpected = http.failures.length;
  const done = cases.length;
  say(`## Housing-application benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  say();
  say(
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 1048576)} MB RAM, Node ${process.version}, PostgreSQL ${pgVersion} (same machine), ` +
      `shared with other work: load average ${load.map((l) => l.toFixed(1)).join(', ')} when the run began.`,
  );
  say();
  say(
    `**${fmt(N)} applications** through processes/application.bpmn (三级审核两级公示), purely through the HTTP API of ${NODES} server process${NODES > 1 ? 'es' : ''} ` +
      `(\`node dist/src/main.js\`, ANJU_TEST_CLOCK=1, job executor on with JOB_CONCURRENCY=${JOB_CONCURRENCY} polling every ${JOB_POLL_MS} ms, demo users) on a fresh PostgreSQL database, ` +
      `by a driver keeping ${LANES} requests in flight as the demo users (jj_window, jgy_street, jj_mz_checker, jj_county, cd_city). ` +
      `Households of the simulated synthetic population (1–2 people, ${100 - 100 / DIFFER_EVERY} % declaring what every department holds, ${100 / DIFFER_EVERY} % a 低收入 status 民政 does not hold), ` +
      `filed at the 锦江区 window for 锦官驿街道. The clock moves twice for all applications at once: past 公示 #1, past 公示 #2.`,
  );
  say();
  if (result !== 'complete') {
    say(`**The run did not complete**: ${failure instanceof Error ? failure.message.split('\n')[0] : 'not every application was approved'} (${fmt(done)} submitted).`);
    say();
  }
  const rate = wallMs ? N / (wallMs / 1000) : NaN;
  say('| result | value |');
  say('|---|---:|');
  say(`| wall time, first submission to the last decision | ${wallMs ? duration(wallMs / 1000) : '—'} |`);
  say(`| applications per second, end to end | ${wallMs ? f2(rate) : '—'} |`);
  say(`| applications approved (counted by status through the API) | ${fmt(statuses.find(([s]) => s === 'approved')?.[1] ?? 0)} of ${fmt(N)} |`);
  say(`| HTTP requests | ${fmt(samples.length)} (${f1(samples.length / N)} per application) |`);
  say(`| request latency p50 / p99 | ${f1(pct(ms, 50))} ms / ${f1(pct(ms, 99))} ms |`);
  say(`| **errors** (any unexpected status) | **${unexpected}** |`);
  say(`| 401 answered by logging in again (the clock moved past the sessions) | ${http.relogins} |`);
  say(`| task lookups before its job had run (retried) | ${fmt(driver.notYet)} |`);
  say(`| requests sent again on a kept-alive connection the server had just closed | ${fmt(http.staleSockets)} |`);
  say(`| jobs run by POST /api/test/jobs/run-due (the executors ran the others) | ${fmt(driver.jobsRan)} |`);
  if (cpuUsed.length && cpuUsed.every((c) => c !== null) && wallMs) {
    const total = cpuUsed.reduce((a, c) => a + c!, 0);
    say(`| server CPU (all nodes, user + system) | ${fmt(total)} s, ${f1((total * 1000) / N)} ms per application |`);
  }
  say();
  if (statuses.length) say(`Statuses at the end: ${statuses.map(([s, n]) => `${s} ${fmt(n)}`).join(', ')}.`);
  say();
  say('### Phases');
  say();
  say('| phase | time | share | requests | what happens |');
  say('|---|---:|---:|---:|---|');
  for (const p of driver.phases) say(`| ${p.name} | ${duration(p.ms / 1000)} | ${wallMs ? `${Math.round((100 * p.ms) / wallMs)} %` : '—'} | ${fmt(p.requests)} | ${p.what} |`);
  say();
  say('### Requests');
  say();
  say('| request | n | p50 ms | p99 ms | max ms |');
  say('|---|---:|---:|---:|---:|');
  const labels = [...new Set(samples.map((s) => s.label))];
  for (const label of labels) {
    const v = samples.filter((s) => s.label === label).map((s) => s.ms);
    say(`| ${label} | ${fmt(v.length)} | ${f1(pct(v, 50))} | ${f1(pct(v, 99))} | ${f1(Math.max(...v))} |`);
  }
  say();
  if (written.length) {
    say('### Where the work goes, per application');
    say();
    say(
      `Rows written per application, by table (PostgreSQL's n_tup_ins over the run, divided by ${fmt(N)}): ` +
        written.map((w) => `${w.table} ${f1(w.rows / N)}`).join(', ') +
        '.',
    );
    say();
    say(`Engine history events per application, by type: ${events.map((e) => `${e.type} ${f1(e.n / N)}`).join(', ')}.`);
    say();
  }
  if (N < 10_000 && wallMs && result === 'complete') {
    say(
      `Extrapolated to 10,000 applications at this rate (linear; the work per application does not grow with the count, but the queues and tables do): about ${duration(10_000 / rate)}.`,
    );
    say();
  }
  if (unexpected) {
    say('Failed requests (first 5):');
    say();
    for (const f of http.failures.slice(0, 5)) say(`- ${f.method} ${f.path}: ${f.status} ${f.body.slice(0, 200).replace(/\n/g, ' ')}`);
    say();
  }
  if (WRITE_DOCS) writeBenchSection(ROOT, 'applications', out.join('\n'));
  if (result !== 'complete') process.exit(1);
}


main().catch((e: unknown) => {
  console.error('bench:applications failed:', e);
  process.exit(1);
});
