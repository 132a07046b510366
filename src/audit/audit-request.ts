import { HttpException } from '@nestjs/common';
import type { Request } from 'express';
import { Actor, HTTP_CODES, statusOf } from '../api';
import { isDomainError } from '../common';
import type { AuditEntry, AuditResult } from './audit-chain';
import type { AuditStore, RequestFacts } from './audit-context';
import type { AuditOptions } from './audit.decorators';

export const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type AuditedRequest = Request & { id?: string; user?: Actor };

/**
 * Facts about a request for its audit row. The path is stored without its query string (which
 * must never carry personal data anyway); the action defaults to the route pattern.
 */
export function requestFacts(req: AuditedRequest, options?: AuditOptions): RequestFacts {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  const pattern = (req.route as { path?: string } | undefined)?.path;
  return {
    ip: req.ip ?? req.socket?.remoteAddress ?? null,
    method: req.method,
    path,
    requestId: req.id ? String(req.id) : null,
    action: options?.action ?? `${req.method} ${pattern ?? path}`,
  };
}

/** The result, status and error code of an outcome: nothing thrown, or the exception. */
export function outcomeOf(error: unknown, successStatus: number): Pick<AuditEntry, 'result' | 'status' | 'errorCode'> {
  if (error === undefined) return { result: 'success', status: successStatus, errorCode: null };
  let status = 500;
  let errorCode: string | null = 'INTERNAL_ERROR';
  if (isDomainError(error)) {
    status = statusOf(error.kind);
    errorCode = error.code;
  } else if (error instanceof HttpException) {
    status = error.getStatus();
    errorCode = HTTP_CODES[status] ?? 'HTTP_ERROR';
  }
  const result: AuditResult = status === 401 || status === 403 ? 'denied' : status >= 500 ? 'error' : 'failure';
  return { result, status, errorCode };
}

/** The row for a request once it has ended, from the edge's facts and what the service noted. */
export function requestEntry(req: AuditedRequest, store: AuditStore, options: AuditOptions | undefined, outcome: Pick<AuditEntry, 'result' | 'status' | 'errorCode'>, body?: unknown): AuditEntry {
  const { request, notes } = store;
  const idParam = options?.idParam ?? 'id';
  const paramId = typeof req.params?.[idParam] === 'string' ? req.params[idParam] : undefined;
  const bodyId = body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id : undefined;
  const actor = req.user;
  return {
    ip: request.ip,
    method: request.method,
    path: request.path,
    requestId: request.requestId,
    userId: actor?.id ?? notes.userId ?? null,
    username: actor?.username ?? notes.username ?? null,
    organizationId: actor?.organizationId ?? notes.organizationId ?? null,
    action: notes.action ?? request.action,
    objectType: notes.objectType ?? options?.objectType ?? defaultObjectType(request.path),
    objectId: notes.objectId ?? paramId ?? (outcome.result === 'success' ? bodyId : undefined) ?? null,
    fields: notes.fields ?? [],
    purpose: notes.purpose ?? null,
    ...outcome,
  };
}

/** `/api/users/…` → 'users'; `/health` → 'health' */
function defaultObjectType(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  return (parts[0] === 'api' ? parts[1] : parts[0]) ?? null;
}

/** The row for a request refused before its handler ran (by a guard): who, what, which object, why refused. */
export function refusedRequestEntry(req: AuditedRequest, error: unknown): AuditEntry {
  return requestEntry(req, { request: requestFacts(req), notes: {}, recorded: false }, undefined, outcomeOf(error, 200));
}
