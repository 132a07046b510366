import { performance } from 'node:perf_hooks';
import { DataSource, QueryRunner } from 'typeorm';
import type { TaskFilter } from '../../src/tasks';

/**
 * The work-queue benchmark's data (scripts/bench-tasks.ts): INSERT … SELECT generate_series into a
 * freshly migrated database, the queue indexes built after the rows are in, then VACUUM ANALYZE.
 */
export const GROUPS = 50;
/** assignees per group ("u<k>_<n>"); 40 % of open tasks are assigned */
export const USERS_PER_GROUP = 100;

export interface SeedSize {
  open: number;
  closed: number;
  /** the instant the data is seeded around: due dates from 3 days before to 27 days after */
  now: Date;
}

export interface Group {
  k: number;
  name: string;
  county: string;
  city: string;
}

// ---------------------------------------------------------------------------------------------
// seeding

/**
 * 50 candidate groups over the 21 市州: in each city a county's 区县 reviewers, a county's 民政
 * checkers, and (in 8 cities) a county's window caseworkers. Each task's region is a township of
 * its group's county (or the county itself).
 */
export async function groupsOf(ds: DataSource): Promise<Group[]> {
  const counties: { code: string; city: string }[] = await ds.query(
    `SELECT c.code, c.parent_code AS city FROM regions c JOIN regions p ON p.code = c.parent_code AND p.level = 'prefecture' AND p.valid_to IS NULL
      WHERE c.level = 'county' AND c.valid_to IS NULL AND c.official ORDER BY c.parent_code, c.code`,
  );
  const cities = [...new Set(counties.map((c) => c.city))];
  if (cities.length !== 21) throw new Error(`expected the 21 市州, found ${cities.length}`);
  const roles = ['county_reviewer', 'department_checker:民政', 'window_caseworker'];
  return Array.from({ length: GROUPS }, (_, k) => {
    const city = cities[k % cities.length];
    const inCity = counties.filter((c) => c.city === city);
    const round = Math.floor(k / cities.length);
    const county = inCity[round % inCity.length].code;
    return { k, name: `${roles[round]}:${county}`, county, city };
  });
}

export async function seed(pool: DataSource, groups: Group[], size: SeedSize): Promise<Record<string, number>> {
  // one connection throughout: session_replication_role is a setting of the session
  const runner = pool.createQueryRunner();
  await runner.connect();
  try {
    return await seedOn(runner, groups, size);
  } finally {
    await runner.release();
  }
}

async function seedOn(ds: QueryRunner, groups: Group[], { open: OPEN, closed: CLOSED, now: NOW }: SeedSize): Promise<Record<string, number>> {
  const ms: Record<string, number> = {};
  const timed = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = performance.now();
    await ds.query(sql, params);
    ms[label] = (ms[label] ?? 0) + performance.now() - t0;
  };
  const now = NOW.toISOString();
  await ds.query(`CREATE TABLE bench_groups (k int PRIMARY KEY, name text, county text, city text, keys text[], nregions int)`);
  await ds.query(
    `INSERT INTO bench_groups (k, name, county, city, keys)
     SELECT k, name, county, city, user_task_group_keys(ARRAY[name]) FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS g (k, name, county, city)`,
    [groups.map((g) => g.k), groups.map((g) => g.name), groups.map((g) => g.county), groups.map((g) => g.city)],
  );
  await ds.query(`
    CREATE TABLE bench_group_regions AS
    SELECT b.k, (row_number() OVER (PARTITION BY b.k ORDER BY r.code) - 1)::int AS idx, r.code,
           user_task_region_in_group_scope(r.code, ARRAY[b.name]) AS in_scope
      FROM bench_groups b JOIN regions r ON (r.parent_code = b.county OR r.code = b.county) AND r.valid_to IS NULL`);
  await ds.query(`CREATE UNIQUE INDEX ON bench_group_regions (k, idx)`);
  await ds.query(`UPDATE bench_groups b SET nregions = (SELECT count(*) FROM bench_group_regions r WHERE r.k = b.k)`);

  const [dep] = await ds.query(`INSERT INTO engine_deployments (name, origin, deployed_by) VALUES ('bench-tasks', 'api', 'bench') RETURNING id`);
  const [def] = await ds.query(
    `INSERT INTO engine_process_definitions (key, version, name, deployment_id, resource_name, sha256, xml, source_context, element_meta, extension_schema)
     VALUES ('bench_case', 1, '住房保障申请', $1, 'bench-case.bpmn', 'bench', '', '{}', '{}', 'camunda') RETURNING id`,
    [dep.id],
  );
  // foreign keys are checked by the application's own writes; the seed skips the per-row checks when allowed
  const replica = await ds.query(`SET session_replication_role = replica`).then(
    () => true,
    () => false,
  );
  await timed(
    'instances',
    `INSERT INTO engine_process_instances (id, definition_id, process_key, business_key, status, variables, waiting, started_at)
     SELECT md5('case-' || g)::uuid, $1, 'bench_case', 'APP-' || lpad(g::text, 7, '0'), 'running', '{}', '[]', $2::timestamptz - interval '30 days'
       FROM generate_series(1, $3::int) g`,
    [def.id, now, OPEN],
  );

  // the queue indexes are built once the rows are in (as a restore would), not row by row
  const indexes: { indexname: string; indexdef: string }[] = await ds.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.tablename = 'user_tasks' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const i of indexes) await ds.query(`DROP INDEX ${i.indexname}`);

  const names = `(ARRAY['街道初审', '区县审核', '民政核查', '窗口受理', '资格复核'])[1 + (g / ${GROUPS}) % 5]`;
  // open: due from 3 days before NOW to 27 days after (10 % overdue), 5 % without a due date, 40 % assigned
  await timed(
    'open tasks',
    `INSERT INTO user_tasks (id, instance_id, execution_id, element_id, name, process_key, process_version, business_key, status,
        candidate_groups, assignee, priority, due_at, created_at, region_code, group_keys, region_in_group_scope, assigned_at, claimed_at, claimed_by)
     SELECT md5('open-' || g)::uuid, md5('case-' || g)::uuid, 'open-' || g, 'UserTask_Review', ${names}, 'bench_case', 1,
            'APP-' || lpad(g::text, 7, '0'), 'open', ARRAY[b.name],
            CASE WHEN (g / ${GROUPS}) % 5 < 2 THEN 'u' || b.k || '_' || (g / ${GROUPS}) % ${USERS_PER_GROUP} END,
            ((g / ${GROUPS}) % 10) * 10,
            CASE WHEN (g / ${GROUPS}) % 20 = 7 THEN NULL ELSE $1::timestamptz + (((g::bigint * 7919) % 43200) - 4320) * interval '1 minute' END,
            $1::timestamptz - ((g::bigint * 104729) % 28800) * interval '1 minute',
            r.code, b.keys, r.in_scope,
            CASE WHEN (g / ${GROUPS}) % 5 < 2 THEN $1::timestamptz - interval '1 hour' END,
            CASE WHEN (g / ${GROUPS}) % 5 < 2 THEN $1::timestamptz - interval '1 hour' END,
            CASE WHEN (g / ${GROUPS}) % 5 < 2 THEN 'bench' END
       FROM generate_series(1, $2::int) g
       JOIN bench_groups b ON b.k = g % ${GROUPS}
       JOIN bench_group_regions r ON r.k = b.k AND r.idx = (g / ${GROUPS}) % b.nregions`,
    [now, OPEN],
  );
  // closed: four per case, completed (or one in ten cancelled) over the year before
  const batch = 1_000_000;
  for (let from = 1; from <= CLOSED; from += batch) {
    const to = Math.min(CLOSED, from + batch - 1);
    await timed(
      'closed tasks',
      `INSERT INTO user_tasks (id, instance_id, execution_id, element_id, name, process_key, process_version, business_key, status,
          candidate_groups, assignee, priority, due_at, created_at, completed_at, completed_by, outcome, region_code, group_keys, region_in_group_scope)
       SELECT md5('closed-' || g)::uuid, md5('case-' || c)::uuid, 'closed-' || g, 'UserTask_Review', ${names}, 'bench_case', 1,
              'APP-' || lpad(c::text, 7, '0'), CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'completed' END, ARRAY[b.name],
              'u' || b.k || '_' || (g / ${GROUPS}) % ${USERS_PER_GROUP}, (g % 10) * 10,
              $1::timestamptz - (30 + g % 300) * interval '1 day',
              $1::timestamptz - (40 + g % 300) * interval '1 day',
              $1::timestamptz - (37 + g % 300) * interval '1 day',
              'bench', 'completed', r.code, b.keys, r.in_scope
         FROM (SELECT g, (g - 1) % $2::int + 1 AS c FROM generate_series($3::int, $4::int) g) s
         JOIN bench_groups b ON b.k = s.c % ${GROUPS}
         JOIN bench_group_regions r ON r.k = b.k AND r.idx = (s.c / ${GROUPS}) % b.nregions`,
      [now, OPEN, from, to],
    );
  }
  for (const i of indexes) await timed('indexes', i.indexdef);
  if (replica) await ds.query(`SET session_replication_role = DEFAULT`);

  // five saved queues for the first user of each group
  await ds.query(
    `INSERT INTO users (username, kind, status, password_hash, password_changed_at, created_at, updated_at)
     SELECT 'u' || k || '_0', 'staff', 'active', 'bench: no login', $1, $1, $1 FROM bench_groups`,
    [now],
  );
  const queues: [string, (g: Group) => TaskFilter][] = [
    ['待领取', () => ({ myGroups: true, unassigned: true, sort: 'due' })],
    ['我的待办', () => ({ assignedToMe: true, sort: 'due' })],
    ['本组逾期', () => ({ myGroups: true, sla: ['overdue'], sort: 'due' })],
    ['本组即将到期', () => ({ myGroups: true, sla: ['due_soon'], sort: 'due' })],
    ['本市逾期', (g) => ({ region: g.city, sla: ['overdue'], sort: 'due' })],
  ];
  for (const g of groups) {
    for (const [name, filter] of queues) {
      await ds.query(
        `INSERT INTO task_queues (name, filter, shared_with_groups, created_by, created_at, updated_at)
         SELECT $1, $2, $3, id, $4, $4 FROM users WHERE username = $5`,
        [name, JSON.stringify(filter(g)), [g.name], now, `u${g.k}_0`],
      );
    }
  }
  const t0 = performance.now();
  await ds.query(`VACUUM ANALYZE`);
  ms['vacuum analyze'] = performance.now() - t0;
  return ms;
}
