import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { DomainError } from '../common';

/**
 * The authenticated caller, put on the request by identity's guard. Every module reads the caller
 * through this one shape, so the HTTP edge is the only place that knows about tokens.
 */
export interface Actor {
  id: string;
  username: string;
  /** role codes, e.g. 'county_reviewer', 'system_admin' */
  roles: string[];
  organizationId: string | null;
  /** region codes (subtree roots) or group codes such as CDMZ the caller may see */
  regionScopes: string[];
  /** derived candidate-group names the caller belongs to */
  groups: string[];
}

/** `@CurrentActor()` in a controller: the caller, or 401 when the request carries no identity. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  if (!req.user) throw new DomainError('UNAUTHENTICATED', 'UNAUTHENTICATED', 'Log in first (Authorization: Bearer <access token>)');
  return req.user;
});

/** `@OptionalActor()`: the caller when there is one (public endpoints that behave differently when logged in). */
export const OptionalActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | null => {
  return ctx.switchToHttp().getRequest<{ user?: Actor }>().user ?? null;
});
