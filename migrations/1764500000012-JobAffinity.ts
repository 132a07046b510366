import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * engine_jobs.affinity: the node whose step created a service job and that keeps the instance's
 * engine warm. Other nodes leave such a job alone for JOB_AFFINITY_MS after it is due, so it runs
 * where the engine need not be recovered; after that any node takes it (a node that died or fell
 * behind does not hold its work). NULL: any node, at once.
 */
export class JobAffinity1764500000012 implements MigrationInterface {
  name = 'JobAffinity1764500000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE engine_jobs ADD COLUMN affinity text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE engine_jobs DROP COLUMN affinity`);
  }
}
