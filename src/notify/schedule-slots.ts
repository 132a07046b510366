import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { EntityManager } from 'typeorm';
import { Clock } from '../common';

/**
 * One run per slot across every node, for cron-like mail work (the daily digest at 08:00, the
 * deadline scan every few minutes, the weekly calendar reminder). Claim the `(name, slot)` row in
 * the transaction that does the slot's work: a second node's claim waits for that transaction and
 * then finds the row (false), or, if the first node rolled back or died, takes the slot itself.
 */
@Injectable()
export class ScheduleSlots {
  readonly node = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(private readonly clock: Clock) {}

  async claim(em: EntityManager, name: string, slot: string): Promise<boolean> {
    const rows = (await em.query(
      `INSERT INTO notify_schedule_runs (name, slot, node, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name, slot) DO NOTHING RETURNING slot`,
      [name, slot, this.node, this.clock.now().toISOString()],
    )) as unknown[];
    return rows.length === 1;
  }
}
