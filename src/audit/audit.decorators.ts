import { SetMetadata } from '@nestjs/common';

export interface AuditOptions {
  /** e.g. 'users.create'; default `METHOD /route/:pattern` */
  action?: string;
  /** e.g. 'user'; default the first path segment after /api */
  objectType?: string;
  /** the route parameter holding the object id (default 'id'); a response `id` is used otherwise */
  idParam?: string;
}

export const AUDIT_METADATA = 'anju:audit';

/**
 * Names what an endpoint does in the audit log. State-changing requests (POST, PUT, PATCH,
 * DELETE) are audited with or without it; on a GET it makes the read audited (sensitive reads).
 */
export const Audit = (options: AuditOptions = {}) => SetMetadata(AUDIT_METADATA, options);
