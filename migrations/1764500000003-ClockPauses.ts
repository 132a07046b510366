import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pausable statutory clocks (中止计时): while a case waits for the applicant's missing materials
 * (补正) or an expert opinion, its deadlines stop; on resume the working days that were left are
 * kept. One row per pause, with who paused and resumed it, when and why, and the deadlines it
 * stopped (timers and task due dates, each with the working days it had left). The engine keeps
 * the paused and moved timers themselves beside its state; this table is the record.
 */
export class ClockPauses1764500000003 implements MigrationInterface {
  name = 'ClockPauses1764500000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_clock_pauses (
        id                 bigserial PRIMARY KEY,
        instance_id        uuid NOT NULL REFERENCES engine_process_instances (id) ON DELETE CASCADE,
        status             text NOT NULL DEFAULT 'paused',
        reason             text NOT NULL,
        -- the elements the caller named (a timer, or an activity with its boundary timers and due date); NULL: all
        element_ids        text[],
        -- the calendar the working days are counted on: the instance's regionCode, NULL for the national one
        region_code        text,
        -- the deadlines stopped: [{ kind, elementId, executionId, taskId?, dueBefore, remainingWorkingDays, dueAfter?, provisional? }]
        items              jsonb NOT NULL DEFAULT '[]',
        paused_by          text,
        paused_at          timestamptz NOT NULL,
        pause_source       text NOT NULL,
        -- the service task that paused it, when a diagram did
        pause_element_id   text,
        -- the diagram call's idempotency key (instance:execution), so a retried call does not pause twice
        pause_key          text,
        resumed_by         text,
        resumed_at         timestamptz,
        resume_reason      text,
        resume_source      text,
        resume_element_id  text,
        resume_key         text,
        -- the instance ended (completed, cancelled) while paused
        ended_at           timestamptz,
        CONSTRAINT engine_clock_pauses_status_check CHECK (status IN ('paused', 'resumed', 'ended')),
        CONSTRAINT engine_clock_pauses_pause_source_check CHECK (pause_source IN ('api', 'diagram')),
        CONSTRAINT engine_clock_pauses_resume_source_check CHECK (resume_source IS NULL OR resume_source IN ('api', 'diagram')),
        CONSTRAINT engine_clock_pauses_reason_check CHECK (length(btrim(reason)) > 0),
        CONSTRAINT engine_clock_pauses_who_check CHECK (paused_by IS NOT NULL OR pause_source = 'diagram'),
        CONSTRAINT engine_clock_pauses_resumed_check CHECK ((status = 'resumed') = (resumed_at IS NOT NULL AND resume_source IS NOT NULL)),
        CONSTRAINT engine_clock_pauses_ended_check CHECK ((status = 'ended') = (ended_at IS NOT NULL))
      )`);
    // one open pause per instance: a second one is refused (409), also between racing nodes
    await q.query(`CREATE UNIQUE INDEX engine_clock_pauses_open_key ON engine_clock_pauses (instance_id) WHERE status = 'paused'`);
    // an instance's pauses in order, for its clock block
    await q.query(`CREATE INDEX engine_clock_pauses_instance_idx ON engine_clock_pauses (instance_id, id)`);
    // a diagram's pause call, retried after a crash, finds the pause it already made
    await q.query(`CREATE UNIQUE INDEX engine_clock_pauses_pause_key ON engine_clock_pauses (pause_key) WHERE pause_key IS NOT NULL`);
    // likewise a retried resume call
    await q.query(`CREATE UNIQUE INDEX engine_clock_pauses_resume_key ON engine_clock_pauses (resume_key) WHERE resume_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_clock_pauses`);
  }
}
