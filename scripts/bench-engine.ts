import * as Elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Clock } from '../src/common';
import { moddleOptionsFor, parseBpmn } from '../src/engine/definitions/bpmn-schema';
import { FeelFunctionRegistry } from '../src/engine/expressions';
import { EngineFactory } from '../src/engine/runtime/engine-factory';
import { StepCommand, WarmEngine, runStep } from '../src/engine/runtime/step-runner';
import { FLOW_BPMN, LAG_BPMN } from './bench/diagrams';
import { writeBenchSection } from './bench/docs';
import { pct, withClient } from './bench/support';

// bpmn-moddle 9 ships no TypeScript declarations
// eslint-disable-next-line @typescript-eslint/no-require-imports
const BpmnModdle = require('bpmn-moddle') as new () => { fromXML(xml: string): Promise<unknown> };

/**
 * `npm run bench:engine`: the durable runtime's throughput, step latency, timer lag and memory on
 * a fresh PostgreSQL database (created here, dropped at the end), beside the in-memory throughput
 * of plain bpmn-engine on the same diagram, measured in the same run. Prints the results and
 * writes them into docs/benchmarks.md.
 *
 * BENCH_DATABASE_URL (default: TEST_DATABASE_URL, else the local server as `npm run test:pg` uses)
 * names a server and a database to connect to for CREATE/DROP DATABASE.
 * BENCH_INSTANCES (2000), BENCH_PENDING (100000), BENCH_DUE (10000), BENCH_MEMORY (10000),
 * BENCH_LANES (8), BENCH_JOB_CONCURRENCY (1: the flow processes' JOB_CONCURRENCY), BENCH_PROCESSES ("2,3"), BENCH_LAG ("1x1,1x3,2x1": nodes x JOB_CONCURRENCY), BENCH_ONLY (comma list of
 * memory-engine, durable, lag, memory) change the run; BENCH_NODE_ARGS adds flags to each bench node's
 * `node` (e.g. "--cpu-prof --cpu-prof-dir=prof").
 */
/** the repository (npm runs scripts there); docs/benchmarks.md is written under it */
const ROOT = process.cwd();
const NODE_JS = join(__dirname, 'bench/node.js');
const env = process.env;
const ADMIN_URL = env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INSTANCES = Number(env.BENCH_INSTANCES ?? 2000);
const PENDING = Number(env.BENCH_PENDING ?? 100000);
const DUE = Number(env.BENCH_DUE ?? 10000);
const MEMORY = Number(env.BENCH_MEMORY ?? 10000);
const LANES = Number(env.BENCH_LANES ?? 8);
/** service jobs each flow process runs at once (JOB_CONCURRENCY of its executor) */
const FLOW_JOB_CONCURRENCY = Number(env.BENCH_JOB_CONCURRENCY ?? 1);
const PROCESSES = (env.BENCH_PROCESSES ?? '2,3').split(',').filter(Boolean).map(Number);
/** timer-lag runs as nodes x JOB_CONCURRENCY */
const LAG_RUNS = (env.BENCH_LAG ?? '1x1,1x3,2x1').split(',').map((r) => r.split('x').map(Number) as [number, number]);
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',')) : null;
const runs = (part: string) => !ONLY || ONLY.has(part);

const out: string[] = [];
function say(line = ''): void {
  console.log(line);
  out.push(line);
}

// ---------------------------------------------------------------------------------------------
// statistics

const median = (v: number[]) => pct(v, 50);
const f1 = (n: number) => n.toFixed(1);
const f0 = (n: number) => n.toFixed(0);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

// ---------------------------------------------------------------------------------------------
// the database

const admin = <T>(fn: (c: Client) => Promise<T>, url = ADMIN_URL): Promise<T> => withClient(url, fn);

// ---------------------------------------------------------------------------------------------
// child processes (scripts/bench/node.ts)

interface Child {
  proc: ChildProcess;
  messages: Record<string, unknown>[];
  next(type: string): Promise<Record<string, unknown>>;
  send(line: string): void;
  exited: Promise<number | null>;
}

const SECRETS = {
  ANJU_JWT_SECRET: randomBytes(32).toString('base64'),
  ANJU_PII_KEYS: `bench:${randomBytes(32).toString('base64')}`,
  ANJU_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
};

function child(role: string, databaseUrl: string, extra: Record<string, string> = {}, nodeArgs: string[] = []): Child {
  // BENCH_NODE_ARGS passes flags to every bench node, e.g. "--cpu-prof --cpu-prof-dir=prof" for a profile
  const extraArgs = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...extraArgs, ...nodeArgs, NODE_JS, role], {
    cwd: ROOT,
    env: {
      PATH: env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      DB_MIGRATIONS_RUN: role === 'setup' ? 'true' : 'false',
      LOG_LEVEL: 'warn',
      JOB_EXECUTOR_ENABLED: 'false',
      // a PostgreSQL deployment needs its secrets; these are random, for this run's throw-away database
      ...SECRETS,
      // the warm-engine cache size, to compare with it off (0)
      ...(env.ENGINE_WARM_INSTANCES !== undefined && { ENGINE_WARM_INSTANCES: env.ENGINE_WARM_INSTANCES }),
      ...extra,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters: { type: string; resolve: (m: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('@bench ')) continue;
      const m = JSON.parse(line.slice(7)) as Record<string, unknown>;
      messages.push(m);
      for (const w of waiters.filter((x) => x.type === m.type)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  return {
    proc,
    messages,
    exited,
    send: (line) => proc.stdin!.write(`${line}\n`),
    next: (type) => {
      const seen = messages.find((m) => m.type === type);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiters.push({ type, resolve })),
        exited.then((code) => {
          throw new Error(`bench node (${role}) exited with ${code} before "${type}"`);
        }),
      ]);
    },
  };
}

async function runChild(role: string, databaseUrl: string, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const c = child(role, databaseUrl, extra);
  const done = await c.next('done');
  await c.exited;
  return done;
}

// ---------------------------------------------------------------------------------------------
// 1. in-memory bpmn-engine on the same diagram

async function inMemory(): Promise<{ best: number; bestCpu: number; rows: [string, number, number][] }> {
  const moddle = new BpmnModdle();
  const parsed = await moddle.fromXML(FLOW_BPMN);
  const sourceContext = serializer(parsed as never, TypeResolver(Elements as never));
  // the element types are resolved when the context is built: service tasks as signal tasks need their own
  const signalElements = { ...Elements, ServiceTask: Elements.SignalTask };
  const signalContext = serializer(parsed as never, TypeResolver(signalElements as never));
  const variants: [string, () => Record<string, unknown>, boolean][] = [
    ['new Engine({ source }) (parses the XML every time), service task as a no-op service', () => ({ source: FLOW_BPMN, settings: { enableDummyService: true } }), false],
    ['new Engine({ sourceContext }) (parsed once), service task as a no-op service', () => ({ sourceContext, settings: { enableDummyService: true } }), false],
    ['new Engine({ sourceContext }), service task as a signal task (as Anju runs it), signalled', () => ({ sourceContext: signalContext }), true],
  ];
  const one = async (opts: Record<string, unknown>, signalService: boolean, i: number) => {
    const engine = new Engine({ name: `m${i}`, ...opts } as never);
    const ended = new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
    });
    const execution = await engine.execute();
    if (signalService) execution.signal({ id: 'Call' });
    execution.signal({ id: 'Review' });
    await ended;
  };
  const rows: [string, number, number][] = [];
  rows.push(...(await engineOnly()));
  for (const [name, opts, signalService] of variants) {
    for (let i = 0; i < 200; i++) await one(opts(), signalService, i); // warm-up
    const rates: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < 2; round++) {
      const began = performance.now();
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < INSTANCES; i++) await one(opts(), signalService, i);
      rates.push(INSTANCES / ((performance.now() - began) / 1000));
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000 / INSTANCES);
    }
    rows.push([name, median(rates), median(cpu)]);
  }
  const best = rows.slice(3).reduce((a, b) => (b[1] > a[1] ? b : a));
  return { best: best[1], bestCpu: best[2], rows };
}

/**
 * Anju's own step runner (src/engine/runtime) on the same diagram with no database: three steps
 * per instance (start; complete the service task; complete the user task), each a fresh engine that
 * recovers the previous state, resumes, applies the command, stops and returns its state, the
 * state going through JSON as it would through PostgreSQL. Shows what the engine alone costs in
 * the durable design, before any round trip.
 */
async function engineOnly(): Promise<[string, number, number][]> {
  const now = () => new Date();
  const factory = new EngineFactory(now, new FeelFunctionRegistry({ clock: { now } as Clock, timeZone: 'Asia/Shanghai' }));
  const parsed = await parseBpmn(FLOW_BPMN, 'camunda');
  const sourceContext = factory.deserialize(JSON.parse(serializer(parsed.moddleContext as never, TypeResolver(factory.elements as never)).serialize()));
  const moddleOptions = moddleOptionsFor('camunda');
  const viaJson = (state: unknown) => JSON.parse(JSON.stringify(state)) as unknown;
  // warm: each step continues the engine the previous one left running (InstanceStepper's warm cache)
  const run = (warm: boolean) => async () => {
    const step = (state: unknown, command: StepCommand, engine?: WarmEngine | null) =>
      runStep(factory, { name: 'bench', sourceContext, moddleOptions, state, command, now }, warm ? (engine ?? undefined) : undefined);
    const started = await step(null, { kind: 'start', variables: {} });
    const served = await step(viaJson(started.state), { kind: 'complete', executionId: started.waiting[0].executionId, variables: {} }, started.warm);
    const done = await step(viaJson(served.state), { kind: 'complete', executionId: served.waiting[0].executionId, variables: {} }, served.warm);
    if (!done.ended) throw new Error('the engine-only run did not end');
  };
  const measure = async (one: () => Promise<void>): Promise<[number, number]> => {
    for (let i = 0; i < 200; i++) await one();
    const rates: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < 2; round++) {
      const began = performance.now();
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < INSTANCES; i++) await one();
      rates.push(INSTANCES / ((performance.now() - began) / 1000));
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000 / INSTANCES);
    }
    return [median(rates), median(cpu)];
  };
  return [
    ["Anju's step runner alone, no database: 3 steps per instance, each recover → resume → command → getState", ...(await measure(run(false)))],
    ["Anju's step runner alone, no database: 3 steps per instance, each continuing the engine of the step before (warm) → command → getState", ...(await measure(run(true)))],
  ];
}

/**
 * What firing one timer costs the engine alone, as the timer benchmark fires them: the instance is
 * not warm on any node (100,000 wait), so each fire recovers its stored state (through JSON, as from
 * PostgreSQL), fires the timer, runs to the end and returns the state. CPU ms per timer: the floor
 * under any durable timer throughput on bpmn-engine, before a single round trip.
 */
async function timerEngineOnly(): Promise<number> {
  const now = () => new Date();
  const factory = new EngineFactory(now, new FeelFunctionRegistry({ clock: { now } as Clock, timeZone: 'Asia/Shanghai' }));
  const parsed = await parseBpmn(LAG_BPMN, 'none');
  const sourceContext = factory.deserialize(JSON.parse(serializer(parsed.moddleContext as never, TypeResolver(factory.elements as never)).serialize()));
  const moddleOptions = moddleOptionsFor('none');
  const started = await runStep(factory, { name: 'bench', sourceContext, moddleOptions, state: null, command: { kind: 'start', variables: { due: new Date(Date.now() + 86400000).toISOString() } }, now });
  const stored = JSON.stringify(started.state);
  const executionId = started.timers[0]?.executionId;
  if (!executionId) throw new Error('the timer-only run has no pending timer');
  const fire = async () => {
    const r = await runStep(factory, { name: 'bench', sourceContext, moddleOptions, state: JSON.parse(stored), command: { kind: 'timer', executionId }, now });
    if (!r.ended) throw new Error('the timer-only run did not end');
    JSON.stringify(r.state);
  };
  for (let i = 0; i < 200; i++) await fire();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < INSTANCES; i++) await fire();
  const used = process.cpuUsage(cpuBefore);
  return (used.user + used.system) / 1000 / INSTANCES;
}

// ---------------------------------------------------------------------------------------------
// 2. durable throughput and step latency

interface FlowResult {
  rate: number;
  ms: number;
  /** CPU ms per instance in the Anju processes and in the PostgreSQL backends serving them */
  cpu: { node: number; pg: number };
  steps: Record<string, number[]>;
  commands: Record<string, number[]>;
  /** steps of instances already started that continued a warm engine, and those that recovered the stored state */
  warm: { continued: number; recovered: number };
}

/**
 * What autovacuum would have done between two parts of the run (it is off on some development
 * servers, this one included): fresh statistics, and no dead rows left by the previous part.
 */
async function vacuum(url: string): Promise<void> {
  await admin((c) => c.query(`VACUUM ANALYZE engine_jobs, engine_process_instances, user_tasks, engine_events, engine_subscriptions`), url);
}

async function durable(url: string, processes: number, label: string): Promise<FlowResult> {
  await vacuum(url);
  const per = Math.ceil(INSTANCES / processes);
  const nodes = Array.from({ length: processes }, (_, i) =>
    child('flow', url, {
      JOB_EXECUTOR_ENABLED: 'true',
      JOB_POLL_INTERVAL_MS: '50',
      JOB_CONCURRENCY: String(FLOW_JOB_CONCURRENCY),
      BENCH_COUNT: String(Math.min(per, INSTANCES - i * per)),
      BENCH_LANES: String(LANES),
      BENCH_PREFIX: `${label}-${i}`,
      BENCH_WAIT_GO: '1',
    }),
  );
  await Promise.all(nodes.map((n) => n.next('ready')));
  const pgBefore = await backendCpu(url);
  const began = performance.now();
  for (const n of nodes) n.send('go');
  await Promise.all(nodes.map((n) => n.next('finished')));
  const ms = performance.now() - began;
  const pgAfter = await backendCpu(url);
  for (const n of nodes) n.send('report');
  const results = await Promise.all(nodes.map((n) => n.next('done')));
  await Promise.all(nodes.map((n) => n.exited));
  const pgMs = pgAfter && pgBefore ? [...pgAfter].reduce((a, [pid, t]) => a + t - (pgBefore.get(pid) ?? 0), 0) : NaN;
  const nodeMs = results.reduce((a, r) => a + (r.cpuMs as number), 0);
  const running = results.reduce((a, r) => a + (r.running as number), 0);
  if (running) throw new Error(`${running} instances did not complete`);
  const merge = (key: 'steps' | 'commands') => {
    const all: Record<string, number[]> = {};
    for (const r of results) for (const [k, v] of Object.entries(r[key] as Record<string, number[]>)) (all[k] ??= []).push(...v);
    return all;
  };
  const warm = { continued: 0, recovered: 0 };
  for (const r of results) {
    const w = r.warm as { continued: number; recovered: number };
    warm.continued += w.continued;
    warm.recovered += w.recovered;
  }
  return { rate: INSTANCES / (ms / 1000), ms, steps: merge('steps'), commands: merge('commands'), cpu: { node: nodeMs / INSTANCES, pg: pgMs / INSTANCES }, warm };
}

/**
 * CPU time (ms) used so far by each PostgreSQL backend serving the benchmark database, read from
 * /proc (the server runs on this machine); null where that is not possible.
 */
async function backendCpu(url: string): Promise<Map<number, number> | null> {
  try {
    const pids = await admin((c) => c.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`), url);
    const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
    const out = new Map<number, number>();
    for (const { pid } of pids.rows as { pid: number }[]) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * tick); // utime + stime
    }
    return out;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// 3. timer lag: DUE timers due at one instant among PENDING pending ones

async function cloneInstances(url: string, templateId: string, copies: number, prefix: string): Promise<void> {
  await admin(async (c) => {
    for (let done = 0; done < copies; done += 10000) {
      const n = Math.min(10000, copies - done);
      await c.query(
        `WITH src AS (SELECT * FROM engine_process_instances WHERE id = $1),
              ins AS (INSERT INTO engine_process_instances
                        (definition_id, process_key, business_key, status, state, variables, waiting, engine_version, version, started_by, started_at)
                      SELECT definition_id, process_key, $2 || g, status, state, variables, waiting, engine_version, version, started_by, started_at
                        FROM src, generate_series($3::int, $4::int) g
                      RETURNING id)
         INSERT INTO engine_jobs (kind, instance_id, element_id, execution_id, due_at, payload)
         SELECT j.kind, ins.id, j.element_id, j.execution_id, j.due_at, j.payload FROM ins, engine_jobs j WHERE j.instance_id = $1`,
        [templateId, prefix, done + 1, done + n],
      );
    }
  }, url);
}

interface LagResult {
  nodes: number;
  concurrency: number;
  seedMs: { far: number; due: number };
  lag: number[];
  firstMs: number;
  lastMs: number;
  pendingAfter: number;
}

async function timerLag(url: string, nodesCount: number, concurrency: number, round: number): Promise<LagResult> {
  const seedFar = performance.now();
  // the pending ones: PENDING - DUE instances waiting a year; one started for real, the rest copies of its stored state
  const farDue = new Date(Date.now() + 365 * 86400000).toISOString();
  if (round === 0) {
    const far = await runChild('lag', url, { BENCH_DUE: farDue, BENCH_BUSINESS_KEY: 'far-0' });
    await cloneInstances(url, far.id as string, PENDING - DUE - 1, 'far-');
  }
  const farMs = performance.now() - seedFar;
  // the due ones, DUE of them, due at one instant D a little after seeding and booting end
  const seedDue = performance.now();
  const due = new Date(Date.now() + 20000);
  const tpl = await runChild('lag', url, { BENCH_DUE: due.toISOString(), BENCH_BUSINESS_KEY: `due${round}-0` });
  await cloneInstances(url, tpl.id as string, DUE - 1, `due${round}-`);
  // with statistics from before the copies the executor's claim would sort every due row on each claim
  await vacuum(url);
  const dueMs = performance.now() - seedDue;
  const [{ pending }] = await admin((c) => c.query(`SELECT count(*)::int AS pending FROM engine_jobs WHERE status = 'pending'`), url).then((r) => r.rows);
  say(`  run ${round + 1}: ${pending} pending timer jobs; ${DUE} due at ${due.toISOString()}; ${nodesCount} node(s), JOB_CONCURRENCY=${concurrency}, JOB_POLL_INTERVAL_MS=1000`);
  const nodes = Array.from({ length: nodesCount }, () => child('timers', url, { JOB_EXECUTOR_ENABLED: 'true', JOB_POLL_INTERVAL_MS: '1000', JOB_CONCURRENCY: String(concurrency) }));
  await Promise.all(nodes.map((n) => n.next('ready')));
  if (Date.now() > due.getTime()) say(`  (the nodes were ready ${Date.now() - due.getTime()} ms after the due instant)`);
  const group = `due${round}-%`;
  const deadline = Date.now() + 15 * 60000;
  for (;;) {
    const [{ left }] = await admin(
      (c) => c.query(`SELECT count(*)::int AS left FROM engine_process_instances WHERE business_key LIKE $1 AND status = 'running'`, [group]),
      url,
    ).then((r) => r.rows);
    if (left === 0) break;
    if (Date.now() > deadline) throw new Error(`timer lag: ${left} still waiting after 15 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const n of nodes) n.send('stop');
  await Promise.all(nodes.map((n) => n.exited));
  const rows = await admin(
    (c) =>
      c.query(
        `SELECT extract(epoch FROM e.occurred_at - $2::timestamptz) * 1000 AS lag
           FROM engine_events e JOIN engine_process_instances i ON i.id = e.instance_id
          WHERE i.business_key LIKE $1 AND e.type = 'timer-fired'`,
        [group, due.toISOString()],
      ),
    url,
  ).then((r) => r.rows.map((x: { lag: string }) => Number(x.lag)));
  if (rows.length !== DUE) throw new Error(`timer lag: ${rows.length} timer-fired events for ${DUE} timers`);
  const [{ n: pendingAfter }] = await admin((c) => c.query(`SELECT count(*)::int AS n FROM engine_jobs WHERE status = 'pending'`), url).then((r) => r.rows);
  return { nodes: nodesCount, concurrency, seedMs: { far: farMs, due: dueMs }, lag: rows, firstMs: Math.min(...rows), lastMs: Math.max(...rows), pendingAfter };
}

// ---------------------------------------------------------------------------------------------
// 4. memory

async function memory(url: string): Promise<{ marks: { done: number; rss: number; heapUsed: number; ms: number }[]; rate: number }> {
  await vacuum(url);
  const checkpoints = [...new Set([1000, 2500, 5000, MEMORY].filter((n) => n <= MEMORY))];
  const c = child(
    'flow',
    url,
    { JOB_EXECUTOR_ENABLED: 'true', JOB_POLL_INTERVAL_MS: '50', BENCH_COUNT: String(MEMORY), BENCH_LANES: String(LANES), BENCH_PREFIX: 'mem', BENCH_CHECKPOINTS: checkpoints.join(',') },
    ['--expose-gc'],
  );
  const done = await c.next('done');
  await c.exited;
  return { marks: done.marks as { done: number; rss: number; heapUsed: number; ms: number }[], rate: MEMORY / ((done.ms as number) / 1000) };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const cpu = cpus();
  const pg = await admin((c) => c.query(`SHOW server_version`)).then((r) => r.rows[0].server_version as string);
  const autovacuum = await admin((c) => c.query(`SHOW autovacuum`)).then((r) => r.rows[0].autovacuum as string);
  const bpmnEngine = JSON.parse(readFileSync(join(ROOT, 'node_modules/bpmn-engine/package.json'), 'utf8')).version as string;
  const machine = `${cpu.length} × ${cpu[0]?.model.trim()}, ${mb(totalmem())} RAM, Node ${process.version}, PostgreSQL ${pg} (same machine, autovacuum ${autovacuum}), bpmn-engine ${bpmnEngine}`;
  say(`## Engine benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  say();
  say(`Machine: ${machine}. Load average when the run began: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`);
  say();

  const name = `anju_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  try {
    await runChild('setup', dbUrl);

    let memRate = NaN;
    let memCpu = NaN;
    if (runs('memory-engine')) {
      say(`### Throughput: start → service task → user task → complete → end, ${INSTANCES} instances`);
      say();
      const mem = await inMemory();
      memRate = mem.best;
      memCpu = mem.bestCpu;
      say('| run | instances/s | × in-memory | CPU ms per instance (Anju + PostgreSQL) | steps continuing a warm engine |');
      say('|---|---:|---:|---:|---:|');
      const [cold, warm, ...plain] = mem.rows;
      for (const [label, rate, cpu] of plain) say(`| in-memory bpmn-engine, 1 process: ${label} | ${f0(rate)} | ${(rate / memRate).toFixed(2)} | ${f1(cpu)} | |`);
      for (const engine of [cold, warm]) say(`| ${engine[0]} | ${f0(engine[1])} | ${(engine[1] / memRate).toFixed(2)} | ${f1(engine[2])} | ${engine === warm ? '100 %' : '0 %'} |`);
    }
    if (runs('durable')) {
      const cpuCell = (r: FlowResult) => `${f1(r.cpu.node)} + ${f1(r.cpu.pg)} = ${f1(r.cpu.node + r.cpu.pg)}`;
      const warmCell = (r: FlowResult) => `${f0((100 * r.warm.continued) / Math.max(1, r.warm.continued + r.warm.recovered))} %`;
      const one = await durable(dbUrl, 1, 'one');
      say(`| **durable on PostgreSQL, 1 process** (${LANES} concurrent clients, job executor polling every 50 ms, JOB_CONCURRENCY ${FLOW_JOB_CONCURRENCY}) | **${f0(one.rate)}** | **${(one.rate / memRate).toFixed(2)}** | ${cpuCell(one)} | ${warmCell(one)} |`);
      const multi: [number, FlowResult][] = [];
      for (const p of PROCESSES) {
        if (interrupted) break;
        const r = await durable(dbUrl, p, `multi${p}`);
        multi.push([p, r]);
        say(`| **durable on PostgreSQL, ${p} processes** on one database (${LANES} clients each) | **${f0(r.rate)}** | **${(r.rate / memRate).toFixed(2)}** | ${cpuCell(r)} | ${warmCell(r)} |`);
      }
      say();
      say(`The in-memory baseline for the × column is the faster of the two runs that parse the diagram once (the durable runtime also caches the parsed diagram).`);
      const cores = cpus().length;
      const perInstance = one.cpu.node + one.cpu.pg;
      if (Number.isFinite(perInstance)) {
        say(
          `CPU per instance is the CPU time of the Anju processes plus that of the PostgreSQL backends serving them, divided by the instances ` +
            `(in-memory: ${f1(memCpu)} ms, all of it the engine). ` +
            `With ${cores} cores free of anything else, CPU alone would cap the durable runtime at about ${f0((cores * 1000) / perInstance)} instances/s ` +
            `(${((cores * 1000) / perInstance / memRate).toFixed(2)} × in-memory; an upper bound derived from the 1-process run, not a measurement).`,
        );
      }
      say();
      say('Step latency (engine step plus its writes, inside the instance transaction) and command latency (the whole transaction, seen by the caller), 1 process:');
      say();
      say('| | n | p50 ms | p99 ms |');
      say('|---|---:|---:|---:|');
      const all = [...one.steps.start, ...one.steps.service, ...one.steps.complete];
      say(`| step, all kinds | ${all.length} | ${f1(median(all))} | ${f1(pct(all, 99))} |`);
      for (const [k, v] of Object.entries(one.steps)) say(`| step: ${k} | ${v.length} | ${f1(median(v))} | ${f1(pct(v, 99))} |`);
      for (const [k, v] of Object.entries(one.commands)) say(`| command: ${k} (start / complete task call) | ${v.length} | ${f1(median(v))} | ${f1(pct(v, 99))} |`);
      for (const [p, r] of multi) {
        const a = [...r.steps.start, ...r.steps.service, ...r.steps.complete];
        say(`| step, all kinds, ${p} processes | ${a.length} | ${f1(median(a))} | ${f1(pct(a, 99))} |`);
      }
      say();
    }
    if (runs('lag') && !interrupted) {
      say(`### Timer lag: ${DUE} timers due at one instant among ${PENDING} pending`);
      say();
      const rows: string[] = [];
      for (let i = 0; i < LAG_RUNS.length && !interrupted; i++) {
        const r = await timerLag(dbUrl, LAG_RUNS[i][0], LAG_RUNS[i][1], i);
        if (i === 0) {
          say(`  seeding: ${PENDING - DUE} far-off instances in ${f1(r.seedMs.far / 1000)} s, ${DUE} due ones in ${f1(r.seedMs.due / 1000)} s`);
          say('  (one instance of each group is started through the runtime; the others are copies of its stored row and timer job, INSERT … SELECT)');
        }
        const rate = DUE / ((r.lastMs - r.firstMs) / 1000);
        rows.push(`| ${r.nodes} | ${r.concurrency} | ${f0(r.firstMs)} ms | ${f1(median(r.lag) / 1000)} s | ${f1(pct(r.lag, 99) / 1000)} s | ${f1(r.lastMs / 1000)} s | ${f0(rate)} | ${r.pendingAfter} |`);
      }
      say();
      say(`| nodes | JOB_CONCURRENCY | first fired | p50 | p99 | last fired | timers/s while draining | pending after |`);
      say('|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const row of rows) say(row);
      say();
      const perTimer = await timerEngineOnly();
      const cores = cpus().length;
      const bound = (cores * 1000) / perTimer;
      say(
        `The engine alone, with no database, spends ${f1(perTimer)} ms of CPU per timer here (recover the stored state, fire, run to the end, return the state; ` +
          `${INSTANCES} timers). On ${cores} cores that caps a runtime that recovers bpmn-engine from the stored state at about ${f0(bound)} timers/s, so ${DUE} timers due at once ` +
          `take at least ${f1(DUE / bound)} s to fire before a single database round trip; a p99 of 2 s would need about ${f0(DUE / 2)} timers/s.`,
      );
      say();
    }
    if (runs('memory') && !interrupted) {
      say(`### Memory: one process, ${MEMORY} instances of the same flow`);
      say();
      const m = await memory(dbUrl);
      say('| completed instances | RSS | heap used |');
      say('|---:|---:|---:|');
      for (const mark of m.marks) say(`| ${mark.done} | ${mb(mark.rss)} | ${mb(mark.heapUsed)} |`);
      const a = m.marks.find((x) => x.done === 1000);
      const b = m.marks[m.marks.length - 1];
      if (a && b && b !== a) {
        const change = ((b.rss - a.rss) / a.rss) * 100;
        say(
          `\nRSS after ${b.done} is ${Math.abs(change).toFixed(1)} % ${change >= 0 ? 'above' : 'below'} RSS after ${a.done} ` +
            `(target: no more than 20 % above; ${f0(m.rate)} instances/s in this run). Each figure is read after a full garbage collection.`,
        );
      }
      say();
    }
  } finally {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
  // a partial run (BENCH_ONLY) or a smaller one would replace the whole section with fewer figures
  if (ONLY || INSTANCES !== 2000) console.log('\npartial or resized run (BENCH_ONLY / BENCH_INSTANCES): docs/benchmarks.md not written');
  else writeBenchSection(ROOT, 'engine', out.join('\n'));
}


main().catch((e: unknown) => {
  console.error('bench:engine failed:', e);
  process.exit(1);
});
