import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CalendarSnapshot } from '../src/calendar';
import { loadConfig } from '../src/config';
import { connect, createDataSource } from '../src/database';
import { SUBTREE_SQL, TaskFilter, Viewer, countQuery, countsQuery, listQuery, slaBounds, viewerOf } from '../src/tasks';
import { GROUPS, Group, USERS_PER_GROUP, groupsOf, seed } from './bench/tasks-seed';
import { writeBenchSection } from './bench/docs';
import { pct, withClient } from './bench/support';

/**
 * `npm run bench:tasks`: the work queues at provincial scale. Seeds a fresh PostgreSQL database
 * (created here, dropped at the end) with 1,000,000 open and 4,000,000 closed user tasks over the
 * 21 市州 and 50 candidate groups, INSERT … SELECT generate_series, then VACUUM ANALYZE; then times
 * the five everyday queue queries through the SQL the API runs (src/tasks/task-query.ts: the page
 * and its capped count, each as its own statement through TypeORM, as GET /api/tasks does), 200
 * runs each with varied users, and prints p50/p95 and the plan of the slowest. Writes its section
 * of docs/benchmarks.md.
 *
 * BENCH_DATABASE_URL (default TEST_DATABASE_URL, else the local server as `npm run test:pg` uses)
 * names a server to CREATE/DROP DATABASE on. BENCH_TASKS_OPEN (1000000), BENCH_TASKS_CLOSED
 * (4000000) and BENCH_RUNS (200) change the size; BENCH_TASKS_DOCS=0 skips writing the docs (a
 * quick trial: BENCH_TASKS_OPEN=50000 BENCH_TASKS_CLOSED=200000 BENCH_TASKS_DOCS=0); BENCH_KEEP=1
 * keeps the database for a look at other plans, and BENCH_TASKS_REUSE=<its name> times the queries
 * on it again without seeding.
 */
const ROOT = process.cwd();
const env = process.env;
const ADMIN_URL = env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const OPEN = Number(env.BENCH_TASKS_OPEN ?? 1_000_000);
const CLOSED = Number(env.BENCH_TASKS_CLOSED ?? 4_000_000);
const RUNS = Number(env.BENCH_RUNS ?? 200);
const WRITE_DOCS = env.BENCH_TASKS_DOCS !== '0';
const WARMUP = 20;
const TARGET_MS = 20;
/** the instant the data is seeded around: due dates from 3 days before to 27 days after */
const NOW = new Date('2026-11-25T10:00:00+08:00');

const out: string[] = [];
function say(line = ''): void {
  console.log(line);
  out.push(line);
}

const f1 = (n: number) => n.toFixed(1);
const fmt = (n: number) => n.toLocaleString('en-US');

/** A small deterministic generator, so two runs ask the same questions. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const admin = <T>(fn: (c: Client) => Promise<T>): Promise<T> => withClient(ADMIN_URL, fn);

// ---------------------------------------------------------------------------------------------
// the five queries

interface Statement {
  sql: string;
  params: unknown[];
}
interface Sample {
  ms: number;
  rows: number;
  statements: (Statement & { ms: number })[];
}
type Question = (r: () => number) => Promise<Sample>;

/** Region subtrees as the API resolves them (SUBTREE_SQL, remembered per process like TasksRepository.subtree). */
const subtreeCache = new Map<string, string[]>();
async function subtree(ds: DataSource, roots: string[]): Promise<string[]> {
  const key = roots.join(',');
  if (!subtreeCache.has(key)) subtreeCache.set(key, ((await ds.query(SUBTREE_SQL, [roots])) as { code: string }[]).map((r) => r.code));
  return subtreeCache.get(key)!;
}

async function viewer(ds: DataSource, username: string, groups: string[], scopes: string[], id = '00000000-0000-4000-8000-000000000000'): Promise<Viewer> {
  return viewerOf({ id, username, roles: groups.map((g) => g.split(':')[0]), groups, regionScopes: scopes }, { scopeCodes: await subtree(ds, scopes) });
}

async function run(ds: DataSource, statements: Statement[]): Promise<Sample> {
  const timedRows: Sample['statements'] = [];
  let rows = 0;
  const t0 = performance.now();
  for (const s of statements) {
    const s0 = performance.now();
    const result: unknown[] = await ds.query(s.sql, s.params);
    timedRows.push({ ...s, ms: performance.now() - s0 });
    rows += result.length;
  }
  return { ms: performance.now() - t0, rows, statements: timedRows };
}

/** GET /api/tasks: the page (limit 50) and its capped count. */
async function page(ds: DataSource, v: Viewer, filter: TaskFilter): Promise<Statement[]> {
  const bounds = slaBounds(new CalendarSnapshot([], []), NOW);
  const subtrees = new Map(filter.region ? [[filter.region, await subtree(ds, [filter.region])]] : []);
  return [listQuery(v, filter, bounds, { limit: 50 }, subtrees), countQuery(v, filter, bounds, subtrees)];
}

function questions(ds: DataSource, groups: Group[]): [string, Question][] {
  const pick = <T>(r: () => number, xs: T[]) => xs[Math.floor(r() * xs.length)];
  const member = (g: Group, n: number) => viewer(ds, `u${g.k}_${n}`, [g.name], [g.county]);
  return [
    [
      "my groups' unassigned tasks by due",
      async (r) => {
        const g = pick(r, groups);
        return run(ds, await page(ds, await member(g, Math.floor(r() * USERS_PER_GROUP)), { myGroups: true, unassigned: true, sort: 'due' }));
      },
    ],
    [
      'my tasks (assigned to me) by due',
      async (r) => {
        const g = pick(r, groups);
        // a user with tasks: two in five of a group's users hold some (see the seed)
        const n = 5 * Math.floor(r() * (USERS_PER_GROUP / 5)) + Math.floor(r() * 2);
        return run(ds, await page(ds, await member(g, n), { assignedToMe: true, sort: 'due' }));
      },
    ],
    [
      'overdue in my region subtree (a city reviewer, their city)',
      async (r) => {
        const city = pick(r, [...new Set(groups.map((g) => g.city))]);
        const v = await viewer(ds, `city_${city}`, [`city_reviewer:${city}`], [city]);
        return run(ds, await page(ds, v, { region: city, sla: ['overdue'], sort: 'due' }));
      },
    ],
    [
      "a case's tasks by business key (open and closed)",
      async (r) => {
        const c = 1 + Math.floor(r() * OPEN);
        const g = groups[c % GROUPS];
        return run(ds, await page(ds, await member(g, 1), { businessKey: `APP-${String(c).padStart(7, '0')}`, status: 'all', sort: 'created' }));
      },
    ],
    [
      'counts of my saved queues (5 queues)',
      async (r) => {
        const g = pick(r, groups);
        const [u] = await ds.query(`SELECT id FROM users WHERE username = $1`, [`u${g.k}_0`]);
        const v = await viewer(ds, `u${g.k}_0`, [g.name], [g.county], u.id);
        // GET /api/task-queues: the visible queues, then all their counts in one statement
        const t0 = performance.now();
        const queues: { id: string; filter: TaskFilter }[] = await ds.query(
          `SELECT q.id, q.filter FROM task_queues q WHERE q.created_by = $1 OR q.shared_with_groups && $2::text[] ORDER BY q.name, q.id`,
          [u.id, [g.name]],
        );
        const regions = [...new Set(queues.map((q) => q.filter.region).filter((x): x is string => !!x))];
        const subtrees = new Map(await Promise.all(regions.map(async (x) => [x, await subtree(ds, [x])] as const)));
        const listMs = performance.now() - t0;
        const s = await run(ds, [countsQuery(v, queues, slaBounds(new CalendarSnapshot([], []), NOW), subtrees)]);
        return { ms: s.ms + listMs, rows: s.rows, statements: s.statements };
      },
    ],
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const cpu = cpus();
  const pgVersion = await admin((c) => c.query(`SHOW server_version`)).then((r) => r.rows[0].server_version as string);
  const settings = await admin((c) => c.query(`SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'random_page_cost', 'effective_cache_size')`));
  const setting = (n: string) => {
    const row = settings.rows.find((x: { name: string }) => x.name === n);
    if (!row) return '?';
    const kb = row.unit === '8kB' ? Number(row.setting) * 8 : row.unit === 'kB' ? Number(row.setting) : null;
    return kb === null ? row.setting : kb >= 1024 ? `${Math.round(kb / 1024)} MB` : `${kb} kB`;
  };
  say(`## Work-queue benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  say();
  say(
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 1048576)} MB RAM, Node ${process.version}, PostgreSQL ${pgVersion} ` +
      `(same machine; shared_buffers ${setting('shared_buffers')}, work_mem ${setting('work_mem')}, effective_cache_size ${setting('effective_cache_size')}, random_page_cost ${setting('random_page_cost')}). ` +
      `Load average when the run began: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`,
  );
  say();

  const reuse = env.BENCH_TASKS_REUSE;
  const name = reuse ?? `anju_bench_tasks_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (!reuse) await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const config = loadConfig({ DATABASE_URL: url.toString(), DB_POOL_SIZE: '4', LOG_LEVEL: 'silent', ANJU_TEST_CLOCK: '1' }).database;
  let ds: DataSource | null = null;
  try {
    ds = await connect(createDataSource(config), config);
    await ds.runMigrations({ transaction: 'each' });
    const groups = await groupsOf(ds);
    const t0 = performance.now();
    const seedMs = reuse ? {} : await seed(ds, groups, { open: OPEN, closed: CLOSED, now: NOW });
    const total = (performance.now() - t0) / 1000;
    const [sizes] = await ds.query(
      `SELECT pg_total_relation_size('user_tasks') AS total, pg_relation_size('user_tasks') AS heap,
              (SELECT count(*) FROM user_tasks WHERE status = 'open')::int AS open, (SELECT count(*) FROM user_tasks WHERE status <> 'open')::int AS closed`,
    );
    const idx: { name: string; size: string }[] = await ds.query(
      `SELECT indexrelname AS name, pg_relation_size(indexrelid) AS size FROM pg_stat_user_indexes WHERE relname = 'user_tasks' ORDER BY indexrelname`,
    );
    const gb = (bytes: number | string) => `${(Number(bytes) / 1073741824).toFixed(2)} GB`;
    const mbOf = (bytes: number | string) => `${(Number(bytes) / 1048576).toFixed(0)} MB`;
    say(
      `### Data: ${fmt(sizes.open)} open and ${fmt(sizes.closed)} closed tasks, ${GROUPS} candidate groups over the 21 市州, ${fmt(OPEN)} cases`,
    );
    say();
    say(
      `Seeded in ${f1(total)} s (${Object.entries(seedMs)
        .map(([k, v]) => `${k} ${f1(v / 1000)} s`)
        .join(', ')}). user_tasks: ${gb(sizes.total)} with its indexes (table ${gb(sizes.heap)}). ` +
        `Open tasks: 10 % overdue, 5 % without a due date, 40 % assigned (${USERS_PER_GROUP} users per group), priorities 0–90; each case has one open and four closed tasks.`,
    );
    say();
    say(`Index sizes: ${idx.map((i) => `${i.name} ${mbOf(i.size)}`).join(', ')}.`);
    say();

    const qs = questions(ds, groups);
    const results: { label: string; samples: Sample[] }[] = [];
    for (const [i, [label, ask]] of qs.entries()) {
      const r = rng(1000 + i);
      for (let w = 0; w < WARMUP; w++) await ask(r);
      const samples: Sample[] = [];
      for (let n = 0; n < RUNS; n++) samples.push(await ask(r));
      results.push({ label, samples });
      console.log(`  ${label}: p95 ${f1(pct(samples.map((s) => s.ms), 95))} ms`);
    }
    say(`### The five everyday queries, ${RUNS} runs each (after ${WARMUP} warm-up runs), a different user each run`);
    say();
    say(`Each run is what the API executes for one request, timed from Node through TypeORM and pg: the page (50 rows, \`limit + 1\` read) and its count capped at 1,001 rows, two statements; for the saved queues, the list of the user's queues and their five capped counts in one statement.`);
    say();
    say(`| query | p50 ms | p95 ms | max ms | rows (median) | p95 ≤ ${TARGET_MS} ms |`);
    say('|---|---:|---:|---:|---:|:---:|');
    for (const { label, samples } of results) {
      const ms = samples.map((s) => s.ms);
      const p95 = pct(ms, 95);
      say(`| ${label} | ${f1(pct(ms, 50))} | ${f1(p95)} | ${f1(Math.max(...ms))} | ${pct(samples.map((s) => s.rows), 50)} | ${p95 <= TARGET_MS ? 'yes' : '**no**'} |`);
    }
    say();

    const slowest = results.reduce((a, b) => (pct(b.samples.map((s) => s.ms), 95) > pct(a.samples.map((s) => s.ms), 95) ? b : a));
    const sample = slowest.samples.reduce((a, b) => (b.ms > a.ms ? b : a));
    const statement = sample.statements.reduce((a, b) => (b.ms > a.ms ? b : a));
    const plan: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
    say(`### Plan of the slowest: "${slowest.label}", its slowest run's slowest statement (${f1(statement.ms)} ms then; re-run for the plan)`);
    say();
    say('```sql');
    say(statement.sql.replace(/\s+/g, ' ').trim());
    say('```');
    say();
    say(`Parameters: \`${JSON.stringify(statement.params)}\``);
    say();
    say('```');
    for (const row of plan) say(row['QUERY PLAN']);
    say('```');
    say();
  } finally {
    await ds?.destroy();
    if (env.BENCH_KEEP === '1' || reuse) console.log(`kept database ${name}`);
    else await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
  if (WRITE_DOCS) writeBenchSection(ROOT, 'tasks', out.join('\n'));
}


main().catch((e: unknown) => {
  console.error('bench:tasks failed:', e);
  process.exit(1);
});
