import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, ConflictError, NotFoundError } from '../../common';
import { MailOutboxService } from '../../notify';
import { EngineErrorCode } from '../engine.errors';
import { appendHistory } from '../history/history';
import { isMailJobId, mailIncidentView, mailOutboxId } from './incidents.mail';

export interface IncidentView {
  id: string;
  jobId: string | null;
  processInstanceId: string | null;
  elementId: string;
  jobKind: string;
  message: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly mail: MailOutboxService,
  ) {}

  async list(filter: { processInstanceId?: string; open?: boolean }): Promise<IncidentView[]> {
    const jobs = await this.listJobs(filter);
    // failed mail belongs to no instance: listed only when no instance is asked for
    if (filter.processInstanceId || filter.open === false) return jobs;
    const mail = (await this.mail.incidents()).map(mailIncidentView);
    return [...jobs, ...mail].sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime());
  }

  private listJobs(filter: { processInstanceId?: string; open?: boolean }): Promise<IncidentView[]> {
    return this.ds.query(
      `SELECT id, job_id AS "jobId", instance_id AS "processInstanceId", element_id AS "elementId", job_kind AS "jobKind", message,
              created_at AS "createdAt", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy"
         FROM engine_incidents
        WHERE ($1::uuid IS NULL OR instance_id = $1) AND (NOT $2 OR resolved_at IS NULL)
        ORDER BY created_at DESC LIMIT 500`,
      [filter.processInstanceId ?? null, filter.open ?? true],
    );
  }

  /** An operator's retry: the job is due again now with fresh attempts; its incident is resolved. */
  async retryJob(jobId: string, actor: string | null): Promise<{ jobId: string; dueAt: Date }> {
    if (isMailJobId(jobId)) return { jobId, dueAt: (await this.mail.retry(mailOutboxId(jobId), actor)).nextAttemptAt };
    if (!/^\d{1,18}$/.test(jobId)) throw new NotFoundError(EngineErrorCode.JobNotFound, `No job ${jobId}`, { jobId });
    return this.ds.transaction(async (em) => {
      const [job] = await em.query(`SELECT id, status, instance_id, element_id FROM engine_jobs WHERE id = $1 FOR UPDATE`, [jobId]);
      if (!job) throw new NotFoundError(EngineErrorCode.JobNotFound, `No job ${jobId}`, { jobId });
      if (job.status !== 'incident') throw new ConflictError(EngineErrorCode.JobNotFailed, `Job ${jobId} is ${job.status}, not in incident`, { jobId });
      const now = this.clock.now();
      await em.query(`UPDATE engine_jobs SET status = 'pending', attempts = 0, due_at = $2, locked_by = NULL, locked_until = NULL WHERE id = $1`, [jobId, now.toISOString()]);
      await em.query(`UPDATE engine_incidents SET resolved_at = $2, resolved_by = $3, resolution = 'retried' WHERE job_id = $1 AND resolved_at IS NULL`, [jobId, now.toISOString(), actor]);
      if (job.instance_id) await appendHistory(em, job.instance_id, [{ type: 'incident-resolved', elementId: job.element_id, data: { jobId, resolution: 'retried' }, actor }], now);
      return { jobId, dueAt: now };
    });
  }
}
