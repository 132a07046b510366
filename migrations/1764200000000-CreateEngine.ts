import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable BPMN runtime. PostgreSQL is the only source of truth: an instance is its row (the
 * engine state without the embedded source), timers and service calls are job rows, waiting user
 * tasks and message/signal catches are rows derived from the state in the same transaction.
 */
export class CreateEngine1764200000000 implements MigrationInterface {
  name = 'CreateEngine1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_deployments (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        origin      text NOT NULL,
        deployed_by text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT engine_deployments_origin_check CHECK (origin IN ('api', 'boot'))
      )`);
    await q.query(`
      CREATE TABLE engine_process_definitions (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key              text NOT NULL,
        version          integer NOT NULL,
        name             text,
        deployment_id    uuid NOT NULL REFERENCES engine_deployments (id),
        resource_name    text NOT NULL,
        sha256           text NOT NULL,
        xml              text NOT NULL,
        -- moddle-context-serializer output, parsed once per version and cached by every node
        source_context   jsonb NOT NULL,
        -- per-element runtime facts read once at deploy (task assignment, handlers, mappings, start triggers)
        element_meta     jsonb NOT NULL,
        extension_schema text NOT NULL,
        warnings         jsonb NOT NULL DEFAULT '[]',
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT engine_process_definitions_key_version_key UNIQUE (key, version),
        CONSTRAINT engine_process_definitions_version_check CHECK (version > 0)
      )`);
    // identical content is not redeployed: the latest version with this hash is reused
    await q.query(`CREATE INDEX engine_process_definitions_key_sha_idx ON engine_process_definitions (key, sha256)`);

    await q.query(`
      CREATE TABLE engine_process_instances (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        definition_id       uuid NOT NULL REFERENCES engine_process_definitions (id),
        process_key         text NOT NULL,
        business_key        text,
        status              text NOT NULL,
        -- bpmn-engine getState() with definitions[].source stripped; null once ended
        state               jsonb,
        variables           jsonb NOT NULL DEFAULT '{}',
        -- where the instance waits: [{ elementId, executionId, type }], for display and migration checks
        waiting             jsonb NOT NULL DEFAULT '[]',
        engine_version      text,
        -- optimistic version, bumped by every step; served as the ETag
        version             integer NOT NULL DEFAULT 0,
        parent_instance_id  uuid REFERENCES engine_process_instances (id),
        parent_execution_id text,
        parent_element_id   text,
        started_by          text,
        started_at          timestamptz NOT NULL DEFAULT now(),
        ended_at            timestamptz,
        end_reason          text,
        CONSTRAINT engine_process_instances_status_check CHECK (status IN ('running', 'completed', 'cancelled'))
      )`);
    await q.query(`CREATE INDEX engine_process_instances_key_status_idx ON engine_process_instances (process_key, status, started_at)`);
    await q.query(`CREATE INDEX engine_process_instances_business_key_idx ON engine_process_instances (business_key) WHERE business_key IS NOT NULL`);
    await q.query(`CREATE INDEX engine_process_instances_parent_idx ON engine_process_instances (parent_instance_id) WHERE parent_instance_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE engine_jobs (
        id             bigserial PRIMARY KEY,
        kind           text NOT NULL,
        instance_id    uuid REFERENCES engine_process_instances (id) ON DELETE CASCADE,
        definition_id  uuid REFERENCES engine_process_definitions (id),
        element_id     text NOT NULL,
        execution_id   text NOT NULL,
        handler        text,
        payload        jsonb NOT NULL DEFAULT '{}',
        due_at         timestamptz NOT NULL,
        status         text NOT NULL DEFAULT 'pending',
        attempts       integer NOT NULL DEFAULT 0,
        max_attempts   integer NOT NULL DEFAULT 3,
        last_error     text,
        locked_by      text,
        locked_until   timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT engine_jobs_kind_check CHECK (kind IN ('timer', 'service', 'call-end', 'start-timer')),
        CONSTRAINT engine_jobs_status_check CHECK (status IN ('pending', 'incident')),
        CONSTRAINT engine_jobs_owner_check CHECK (instance_id IS NOT NULL OR definition_id IS NOT NULL)
      )`);
    // engine execution ids are unique only within an instance: key jobs on (instance, execution)
    await q.query(`CREATE UNIQUE INDEX engine_jobs_instance_execution_key ON engine_jobs (instance_id, kind, execution_id) WHERE instance_id IS NOT NULL`);
    // one pending start timer per start event of a definition
    await q.query(`CREATE UNIQUE INDEX engine_jobs_start_timer_key ON engine_jobs (definition_id, element_id) WHERE kind = 'start-timer'`);
    // the executor's claim: due pending jobs in due order
    await q.query(`CREATE INDEX engine_jobs_due_idx ON engine_jobs (due_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE engine_incidents (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id       bigint REFERENCES engine_jobs (id) ON DELETE SET NULL,
        instance_id  uuid REFERENCES engine_process_instances (id) ON DELETE CASCADE,
        element_id   text NOT NULL,
        job_kind     text NOT NULL,
        message      text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        resolved_at  timestamptz,
        resolved_by  text,
        resolution   text
      )`);
    await q.query(`CREATE INDEX engine_incidents_open_idx ON engine_incidents (created_at) WHERE resolved_at IS NULL`);
    await q.query(`CREATE INDEX engine_incidents_instance_idx ON engine_incidents (instance_id)`);

    await q.query(`
      CREATE TABLE engine_subscriptions (
        instance_id     uuid NOT NULL REFERENCES engine_process_instances (id) ON DELETE CASCADE,
        execution_id    text NOT NULL,
        element_id      text NOT NULL,
        kind            text NOT NULL,
        -- the BPMN message/signal name, and the element id the engine is signalled with
        event_name      text NOT NULL,
        event_ref       text NOT NULL,
        correlation_key text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT engine_subscriptions_pkey PRIMARY KEY (instance_id, execution_id),
        CONSTRAINT engine_subscriptions_kind_check CHECK (kind IN ('message', 'signal'))
      )`);
    await q.query(`CREATE INDEX engine_subscriptions_event_idx ON engine_subscriptions (kind, event_name, correlation_key)`);

    await q.query(`
      CREATE TABLE user_tasks (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instance_id        uuid NOT NULL REFERENCES engine_process_instances (id) ON DELETE CASCADE,
        execution_id       text NOT NULL,
        element_id         text NOT NULL,
        name               text,
        process_key        text NOT NULL,
        process_version    integer NOT NULL,
        business_key       text,
        status             text NOT NULL DEFAULT 'open',
        candidate_groups   text[] NOT NULL DEFAULT '{}',
        candidate_users    text[] NOT NULL DEFAULT '{}',
        assignee           text,
        priority           integer NOT NULL DEFAULT 50,
        due_at             timestamptz,
        follow_up_at       timestamptz,
        form_key           text,
        input              jsonb NOT NULL DEFAULT '{}',
        output_mapping     jsonb,
        created_at         timestamptz NOT NULL DEFAULT now(),
        completed_at       timestamptz,
        completed_by       text,
        outcome            text,
        CONSTRAINT user_tasks_status_check CHECK (status IN ('open', 'completed', 'cancelled')),
        CONSTRAINT user_tasks_instance_execution_key UNIQUE (instance_id, execution_id)
      )`);
    await q.query(`CREATE INDEX user_tasks_open_groups_idx ON user_tasks USING gin (candidate_groups) WHERE status = 'open'`);
    await q.query(`CREATE INDEX user_tasks_open_due_idx ON user_tasks (due_at) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE engine_events (
        id            bigserial PRIMARY KEY,
        instance_id   uuid NOT NULL,
        type          text NOT NULL,
        element_id    text,
        execution_id  text,
        data          jsonb,
        actor         text,
        occurred_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX engine_events_instance_idx ON engine_events (instance_id, id)`);
    // history is append-only: no UPDATE or DELETE, ever
    await q.query(`
      CREATE FUNCTION engine_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'engine_events is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER engine_events_no_change BEFORE UPDATE OR DELETE ON engine_events
      FOR EACH ROW EXECUTE FUNCTION engine_events_append_only()`);

    await q.query(`
      CREATE TABLE engine_schedule_runs (
        name       text NOT NULL,
        slot       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT engine_schedule_runs_pkey PRIMARY KEY (name, slot)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_schedule_runs`);
    await q.query(`DROP TABLE engine_events`);
    await q.query(`DROP FUNCTION engine_events_append_only()`);
    await q.query(`DROP TABLE user_tasks`);
    await q.query(`DROP TABLE engine_subscriptions`);
    await q.query(`DROP TABLE engine_incidents`);
    await q.query(`DROP TABLE engine_jobs`);
    await q.query(`DROP TABLE engine_process_instances`);
    await q.query(`DROP TABLE engine_process_definitions`);
    await q.query(`DROP TABLE engine_deployments`);
  }
}
