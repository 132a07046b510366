import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config';
import { tokenExpired, tokenInvalid } from '../identity.errors';

export interface AccessClaims {
  /** user id */
  sub: string;
  /** session id: every request checks the session (revoked, idle, expired) */
  sid: string;
  iat: number;
  exp: number;
}

const ISSUER = 'anju';
const AUDIENCE = 'anju-api';

/**
 * Access tokens are short-lived JWTs (HS256) naming the user and the session. Refresh tokens are
 * opaque: `<session id>.<32 random bytes>`, of which only the SM3 hash is stored. Times come
 * from the injected clock, never from the library's own Date.now().
 */
@Injectable()
export class Tokens {
  private readonly jwt: JwtService;
  readonly accessTtlSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.jwt = new JwtService({ secret: config.security.jwtSecret });
    this.accessTtlSeconds = config.security.accessTokenTtlSeconds;
  }

  sign(userId: string, sessionId: string, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    return this.jwt.sign({ sub: userId, sid: sessionId, iat, exp: iat + this.accessTtlSeconds, iss: ISSUER, aud: AUDIENCE }, { algorithm: 'HS256' });
  }

  verify(token: string, now: Date): AccessClaims {
    try {
      const claims = this.jwt.verify<AccessClaims>(token, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: Math.floor(now.getTime() / 1000),
      });
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw tokenInvalid();
      return claims;
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') throw tokenExpired();
      throw tokenInvalid();
    }
  }

  newRefresh(sessionId: string): { token: string; hash: string } {
    const secret = randomBytes(32).toString('base64url');
    return { token: `${sessionId}.${secret}`, hash: digest(secret) };
  }

  /** Splits a presented refresh token into its session id and the hash of its secret. */
  parseRefresh(token: string): { sessionId: string; hash: string } | null {
    const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    return m ? { sessionId: m[1], hash: digest(m[2]) } : null;
  }
}

export function digest(secret: string): string {
  return createHash('sm3').update(secret).digest('hex');
}

export function sameHash(a: string | null, b: string): boolean {
  return a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
