import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work queues (issue 6): who holds a task (claim, delegation, assignment), the case's region,
 * comments, saved queues, and the indexes the everyday queue queries run on.
 *
 * Every queue query reads open tasks only, so every queue index is partial on status = 'open':
 * the closed tasks (four in five at provincial scale) never enter them. A due date sorts as
 * COALESCE(due_at, 'infinity') so that tasks without one come last and a cursor is a plain row
 * comparison; the queries in src/tasks/task-query.ts use exactly these expressions.
 */
export class TaskQueues1764500000001 implements MigrationInterface {
  name = 'TaskQueues1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE user_tasks
        -- the case's region: the process variable regionCode when the task was created, if it is a known region code
        ADD COLUMN region_code      text,
        -- delegation (Camunda's owner): who gets the task back when the delegate resolves it
        ADD COLUMN owner            text,
        ADD COLUMN delegation_state text,
        ADD COLUMN assigned_at      timestamptz,
        ADD COLUMN assigned_by      text,
        ADD COLUMN claimed_at       timestamptz,
        ADD COLUMN claimed_by       text,
        -- for each candidate group <role>:<scope>, <role>@<region> for every region strictly above the
        -- scope (and the region groups such as CDMZ holding it): what supervisors are matched against
        ADD COLUMN group_keys       text[] NOT NULL DEFAULT '{}',
        -- the case's region lies within the scope of every candidate group (or there is none): the
        -- groups' members and supervisors see the task without a region lookup, and the planner
        -- is not misled by how strongly a group and its region go together
        ADD COLUMN region_in_group_scope boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT user_tasks_delegation_state_check CHECK (delegation_state IN ('pending', 'resolved')),
        ADD CONSTRAINT user_tasks_delegation_owner_check CHECK (delegation_state IS NULL OR owner IS NOT NULL)`);

    // The group keys of a set of candidate group names (see group_keys above); a name without a
    // ':' or whose scope is not a region code has none. Used when a task row is written.
    await q.query(`
      CREATE FUNCTION user_task_group_keys(groups text[]) RETURNS text[] LANGUAGE sql STABLE AS $$
        SELECT COALESCE(array_agg(DISTINCT g.role || '@' || c.code ORDER BY g.role || '@' || c.code), '{}')
          FROM unnest(groups) AS n (name)
          CROSS JOIN LATERAL (
            SELECT substring(n.name FROM '^(.*):[^:]+$') AS role, substring(n.name FROM '[^:]+$') AS scope
          ) g
          CROSS JOIN LATERAL (
            SELECT r.path FROM regions r WHERE r.code = g.scope ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1
          ) r
          CROSS JOIN LATERAL (
            SELECT a.code FROM unnest(string_to_array(rtrim(r.path, '/'), '/')) AS a (code) WHERE a.code <> g.scope
            UNION
            SELECT m.group_code FROM region_group_members m WHERE m.region_code = ANY (string_to_array(rtrim(r.path, '/'), '/'))
          ) c
         WHERE g.role IS NOT NULL AND g.role <> ''
      $$`);
    // Whether a region lies within the scope of every one of the groups (see region_in_group_scope):
    // each group's scope (the part after its last ':') is the region, one of its ancestors, or a
    // region group holding one of those. No region: true; no groups, or a name without a scope: false.
    await q.query(`
      CREATE FUNCTION user_task_region_in_group_scope(region text, groups text[]) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT CASE
          WHEN region IS NULL THEN true
          WHEN cardinality(groups) = 0 THEN false
          ELSE NOT EXISTS (
            SELECT 1 FROM unnest(groups) AS n (name)
             WHERE position(':' IN n.name) = 0 OR NOT substring(n.name FROM '[^:]+$') = ANY (ARRAY(
               SELECT a.code FROM regions r CROSS JOIN LATERAL unnest(string_to_array(rtrim(r.path, '/'), '/')) AS a (code)
                WHERE r.code = region
               UNION
               SELECT m.group_code FROM regions r JOIN region_group_members m ON m.region_code = ANY (string_to_array(rtrim(r.path, '/'), '/'))
                WHERE r.code = region)))
          END
      $$`);
    // backfill: open tasks get their group keys; an assignee set by the diagram counts as assigned when created
    await q.query(`UPDATE user_tasks SET group_keys = user_task_group_keys(candidate_groups), region_in_group_scope = user_task_region_in_group_scope(NULL, candidate_groups) WHERE status = 'open'`);
    await q.query(`UPDATE user_tasks SET assigned_at = created_at WHERE assignee IS NOT NULL`);

    // Queue indexes: partial on open tasks, sorted by the due key, and INCLUDE-ing what the
    // visibility rules and the everyday filters read, so that a page's ids and a capped count come
    // from the index alone (index-only scans: no visit to the table's pages for the rows that do
    // not make the page). The rows of a page are then read by id.
    // replaced by user_tasks_open_due_idx below (an expression that sorts tasks without a due date last, and covering)
    await q.query(`DROP INDEX user_tasks_open_due_idx`);
    // "offered to one of my groups" by due: a task offered to one group is one range of this index
    await q.query(`
      CREATE INDEX user_tasks_open_group_due_idx ON user_tasks (candidate_groups, (COALESCE(due_at, 'infinity'::timestamptz)), id)
        INCLUDE (due_at, assignee, region_code, region_in_group_scope) WHERE status = 'open'`);
    // every open task by due: overdue / due soon (SLA), due before/after, a supervisor's view, the due sort of any other filter
    await q.query(`
      CREATE INDEX user_tasks_open_due_idx ON user_tasks ((COALESCE(due_at, 'infinity'::timestamptz)), id)
        INCLUDE (due_at, assignee, owner, region_code, region_in_group_scope, candidate_groups, candidate_users, group_keys) WHERE status = 'open'`);
    // the case's region in a subtree (overdue in my city): one range per region code of the subtree, in due order
    await q.query(`
      CREATE INDEX user_tasks_open_region_due_idx ON user_tasks (region_code, (COALESCE(due_at, 'infinity'::timestamptz)), id)
        INCLUDE (due_at, assignee, owner, region_in_group_scope, candidate_groups, candidate_users, group_keys) WHERE status = 'open'`);
    // "assigned to me" by due, and whose tasks a supervisor looks at
    await q.query(`
      CREATE INDEX user_tasks_open_assignee_due_idx ON user_tasks (assignee, (COALESCE(due_at, 'infinity'::timestamptz)), id)
        INCLUDE (due_at, region_code) WHERE status = 'open' AND assignee IS NOT NULL`);
    // the default sort (created), and paging through it
    await q.query(`CREATE INDEX user_tasks_open_created_idx ON user_tasks (created_at, id) WHERE status = 'open'`);
    // a supervisor's groups below them (group_keys && the keys they supervise), when they are few
    await q.query(`CREATE INDEX user_tasks_open_group_keys_idx ON user_tasks USING gin (group_keys) WHERE status = 'open'`);
    // tasks offered to me by name (candidateUsers), and to several groups: the exceptions, each in a
    // small index of its own that the "offered to me" branches read (src/tasks/task-access.ts)
    await q.query(`CREATE INDEX user_tasks_open_candidate_users_idx ON user_tasks USING gin (candidate_users) WHERE status = 'open' AND cardinality(candidate_users) > 0`);
    await q.query(`CREATE INDEX user_tasks_open_shared_groups_idx ON user_tasks USING gin (candidate_groups) WHERE status = 'open' AND cardinality(candidate_groups) > 1`);
    // how rare those exceptions are: without these statistics the planner guesses a third of the
    // rows and reads the whole due index looking for them
    await q.query(`CREATE STATISTICS user_tasks_offer_counts_stat ON (cardinality(candidate_groups)), (cardinality(candidate_users)) FROM user_tasks`);
    // a delegated task stays visible to its owner
    await q.query(`CREATE INDEX user_tasks_open_owner_idx ON user_tasks (owner) WHERE status = 'open' AND owner IS NOT NULL`);
    // every task of a case, open or closed (the case view; the queue's businessKey filter)
    await q.query(`CREATE INDEX user_tasks_business_key_idx ON user_tasks (business_key, created_at) WHERE business_key IS NOT NULL`);
    // (user_tasks_open_groups_idx, GIN on candidate_groups of open tasks, stays: tasks offered to
    // several groups, the candidateGroup filter, the groups a supervisor supervises)

    await q.query(`
      CREATE TABLE task_comments (
        -- in the order written (also when the clock shows the same instant twice)
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        task_id     uuid NOT NULL,
        author_id   uuid NOT NULL,
        -- kept beside the id so the comment reads the same after the account is renamed or removed
        author_name text NOT NULL,
        body        text NOT NULL,
        created_at  timestamptz NOT NULL,
        CONSTRAINT task_comments_task_fkey FOREIGN KEY (task_id) REFERENCES user_tasks (id) ON DELETE CASCADE,
        CONSTRAINT task_comments_body_check CHECK (char_length(body) BETWEEN 1 AND 4000)
      )`);
    // a task's comments in order
    await q.query(`CREATE INDEX task_comments_task_idx ON task_comments (task_id, id)`);

    await q.query(`
      CREATE TABLE task_queues (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name               text NOT NULL,
        name_en            text,
        -- the filter and sort of GET /api/tasks, validated by the same rules when saved
        filter             jsonb NOT NULL DEFAULT '{}',
        -- candidate groups whose members see the queue (besides its creator)
        shared_with_groups text[] NOT NULL DEFAULT '{}',
        created_by         uuid NOT NULL,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        CONSTRAINT task_queues_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT task_queues_name_check CHECK (char_length(name) BETWEEN 1 AND 100),
        CONSTRAINT task_queues_name_en_check CHECK (name_en IS NULL OR char_length(name_en) BETWEEN 1 AND 100),
        CONSTRAINT task_queues_filter_check CHECK (jsonb_typeof(filter) = 'object')
      )`);
    // one name per creator; also the creator's own queues
    await q.query(`CREATE UNIQUE INDEX task_queues_creator_name_key ON task_queues (created_by, name)`);
    // the queues shared with any of the caller's groups
    await q.query(`CREATE INDEX task_queues_shared_groups_idx ON task_queues USING gin (shared_with_groups)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task_queues`);
    await q.query(`DROP TABLE task_comments`);
    await q.query(`DROP INDEX user_tasks_business_key_idx`);
    await q.query(`DROP INDEX user_tasks_open_owner_idx`);
    await q.query(`DROP STATISTICS user_tasks_offer_counts_stat`);
    await q.query(`DROP INDEX user_tasks_open_shared_groups_idx`);
    await q.query(`DROP INDEX user_tasks_open_candidate_users_idx`);
    await q.query(`DROP INDEX user_tasks_open_group_keys_idx`);
    await q.query(`DROP INDEX user_tasks_open_created_idx`);
    await q.query(`DROP INDEX user_tasks_open_region_due_idx`);
    await q.query(`DROP INDEX user_tasks_open_assignee_due_idx`);
    await q.query(`DROP INDEX user_tasks_open_due_idx`);
    await q.query(`DROP INDEX user_tasks_open_group_due_idx`);
    await q.query(`CREATE INDEX user_tasks_open_due_idx ON user_tasks (due_at) WHERE status = 'open'`);
    await q.query(`DROP FUNCTION user_task_region_in_group_scope(text, text[])`);
    await q.query(`DROP FUNCTION user_task_group_keys(text[])`);
    await q.query(`
      ALTER TABLE user_tasks
        DROP CONSTRAINT user_tasks_delegation_owner_check,
        DROP CONSTRAINT user_tasks_delegation_state_check,
        DROP COLUMN region_in_group_scope,
        DROP COLUMN group_keys,
        DROP COLUMN claimed_by,
        DROP COLUMN claimed_at,
        DROP COLUMN assigned_by,
        DROP COLUMN assigned_at,
        DROP COLUMN delegation_state,
        DROP COLUMN owner,
        DROP COLUMN region_code`);
  }
}
