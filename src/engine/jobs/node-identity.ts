import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This node's name among the nodes sharing the database: on job leases (who holds a claimed job)
 * and on job affinity (which node keeps the instance's warm engine). Unique per process start.
 */
@Injectable()
export class NodeIdentity {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
