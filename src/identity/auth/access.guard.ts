import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_METADATA, AccessRule, Actor } from '../../api';
import { AuditService, AuditedRequest, MUTATING_METHODS, refusedRequestEntry } from '../../audit';
import { APP_CONFIG, AppConfig } from '../../config';
import { isDomainError } from '../../common';
import { loginRequired, roleRequired, tokenInvalid } from '../identity.errors';
import { AuthService } from './auth.service';

type AuthRequest = AuditedRequest & { user?: Actor; sessionId?: string };

/**
 * The global guard. On every request it authenticates a bearer token when one is sent (401 for a
 * bad one) and puts the caller on `request.user`; then it applies the endpoint's declaration:
 * @Public() lets anyone in, @Authenticated() any logged-in user, @Roles(...) a holder of one of
 * the roles (403 otherwise). An endpoint with no declaration is let through as long as
 * ANJU_REQUIRE_ACCESS_DECLARATIONS is off (then it stops the boot: AccessDeclarations).
 * A refused state-changing request, and every 403, is written to the audit log.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly enforce: boolean;

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.enforce = config.security.requireAccessDeclarations;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [ctx.getHandler(), ctx.getClass()]);
    const token = bearer(req);
    if (rule?.kind === 'public') {
      // a stale token on a public endpoint (the login page) is ignored, not an error
      if (token) await this.signIn(req, token).catch(() => undefined);
      return true;
    }
    try {
      if (token !== null) await this.signIn(req, token);
      if (!rule && !this.enforce) return true;
      if (!req.user) throw loginRequired();
      if (rule?.kind === 'roles' && !rule.roles.some((r) => req.user!.roles.includes(r))) throw roleRequired(rule.roles);
      return true;
    } catch (e) {
      await this.recordRefusal(req, e);
      throw e;
    }
  }

  private async signIn(req: AuthRequest, token: string): Promise<void> {
    if (!token) throw tokenInvalid();
    const { actor, sessionId } = await this.auth.authenticate(token);
    req.user = actor;
    req.sessionId = sessionId;
  }

  private async recordRefusal(req: AuthRequest, e: unknown): Promise<void> {
    const forbidden = isDomainError(e) && e.kind === 'FORBIDDEN';
    if (!forbidden && !MUTATING_METHODS.has(req.method)) return;
    await this.audit.tryRecord(refusedRequestEntry(req, e));
  }
}

/** The bearer token of a request: null when there is no Authorization header, '' when it is not a bearer token. */
function bearer(req: AuthRequest): string | null {
  const h = req.headers.authorization;
  if (h === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

/** `@CurrentSession()`: the id of the caller's session (for logout). */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<AuthRequest>();
  if (!req.sessionId) throw loginRequired();
  return req.sessionId;
});
