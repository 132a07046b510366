import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuditService, AuditedRequest, refusedRequestEntry } from '../../audit';
import { Clock } from '../../common';
import { APP_CONFIG, AppConfig } from '../../config';
import { tooManyAttempts } from '../identity.errors';

/**
 * A fixed one-minute window of login and refresh attempts per client address, in memory (per node:
 * with N nodes an address gets N × the limit; account lockout is the per-account guard). Reads the
 * injected clock, so tests move time instead of waiting.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly limit: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.limit = config.security.loginRatePerMinute;
  }

  /** Counts an attempt; throws 429 TOO_MANY_ATTEMPTS once the address is over its limit. */
  hit(address: string): void {
    const now = this.clock.now().getTime();
    if (this.windows.size > 10000) this.sweep(now);
    let w = this.windows.get(address);
    if (!w || now - w.start >= 60000 || now < w.start) {
      w = { start: now, count: 0 };
      this.windows.set(address, w);
    }
    w.count++;
    if (w.count > this.limit) throw tooManyAttempts(Math.max(1, Math.ceil((w.start + 60000 - now) / 1000)));
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= 60000) this.windows.delete(k);
  }
}

/** @UseGuards(LoginRateGuard) on login and refresh; a refusal is audited like any refused request. */
@Injectable()
export class LoginRateGuard implements CanActivate {
  constructor(
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuditedRequest>();
    try {
      this.limiter.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      return true;
    } catch (e) {
      await this.audit.tryRecord(refusedRequestEntry(req, e));
      throw e;
    }
  }
}
