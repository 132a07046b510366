import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * waiting_list_entries.enqueue_announced_at: when the entry's "put on the list" event reached the
 * listeners (the 3-year term process starts from it), in the transaction that put it there.
 * Entries put on the list before that event had a listener — before the term process existed —
 * have no term process, so no 3-year alarm would ever be raised for them. They are left NULL here
 * and announced at the next boot (WaitingListService.announcePending), which starts their term
 * process; entries that already have one are marked as announced when it started.
 */
export class WaitingListEnqueueAnnounced1764500000013 implements MigrationInterface {
  name = 'WaitingListEnqueueAnnounced1764500000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE waiting_list_entries ADD COLUMN enqueue_announced_at timestamptz`);
    await q.query(
      `UPDATE waiting_list_entries e SET enqueue_announced_at = i.started_at
         FROM engine_process_instances i
        WHERE i.process_key = 'waiting_list_term' AND i.business_key = e.case_number`,
    );
    // what the boot announcement looks for: usually nothing, found without reading the list
    await q.query(`CREATE INDEX waiting_list_entries_unannounced_idx ON waiting_list_entries (created_at) WHERE enqueue_announced_at IS NULL AND status = 'waiting'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX waiting_list_entries_unannounced_idx`);
    await q.query(`ALTER TABLE waiting_list_entries DROP COLUMN enqueue_announced_at`);
  }
}
