import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { Clock } from '../../common';
import { APP_CONFIG, AppConfig, SecurityConfig } from '../../config';
import { groupsOf } from '../candidate-groups';
import {
  accountDisabled,
  accountLocked,
  invalidCredentials,
  passwordIncorrect,
  passwordPolicy,
  refreshTokenInvalid,
  refreshTokenReused,
  sessionExpired,
  sessionRevoked,
  tokenInvalid,
} from '../identity.errors';
import { passwordProblems } from '../password-policy';
import { USERNAME } from '../users/users.dto';
import { UserRow, UsersRepository } from '../users/users.repository';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords';
import { SessionRow, SessionsRepository } from './sessions.repository';
import { Tokens, sameHash } from './tokens';

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** seconds until the access token expires */
  expiresIn: number;
  refreshToken: string;
  /** when the session ends at the latest, however busy */
  sessionExpiresAt: string;
}

export interface LoginResult extends TokenPair {
  mustChangePassword: boolean;
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

/** Passwords older than this must be changed at the next opportunity (等保: change every 90 days). */
const PASSWORD_MAX_AGE_MS = 90 * 86400000;

export function actorOf(u: { id: string; username: string; organization_id: string | null; department: string | null; roles: string[]; scopes: string[] }): Actor {
  return {
    id: u.id,
    username: u.username,
    roles: [...u.roles],
    organizationId: u.organization_id,
    regionScopes: [...u.scopes],
    groups: groupsOf(u.roles, u.scopes, u.department),
  };
}

/**
 * Login, sessions and tokens. A session lives in the database: every request checks it, so a
 * logout, a revocation, an idle timeout or a disabled account takes effect on the next request,
 * not when the access token expires.
 */
@Injectable()
export class AuthService {
  private readonly s: SecurityConfig;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: Tokens,
    private readonly audit: AuditContext,
  ) {
    this.s = config.security;
  }

  async login(usernameRaw: string, password: string, client: Client): Promise<LoginResult> {
    const username = usernameRaw.trim().toLowerCase();
    this.audit.note({ action: 'auth.login', objectType: 'session' });
    // a name that is no account is not logged: people type their phone or ID number there
    const user = USERNAME.test(username) ? await this.users.findByUsername(username) : null;
    if (!user) {
      await verifyAgainstNothing(password);
      throw invalidCredentials();
    }
    this.audit.note({ userId: user.id, username: user.username, organizationId: user.organization_id });
    const now = this.clock.now();
    if (user.locked_until && user.locked_until > now) throw accountLocked(user.locked_until);
    if (!(await verifyPassword(user.password_hash, password))) {
      const lockedUntil = await this.users.recordFailure(user.id, this.s.loginMaxFailures, new Date(now.getTime() + this.s.loginLockMinutes * 60000));
      if (lockedUntil) throw accountLocked(lockedUntil);
      throw invalidCredentials();
    }
    if (user.status !== 'active') throw accountDisabled();
    await this.users.recordSuccess(user.id, now);
    const pair = await this.openSession(user.id, now, client);
    const stale = now.getTime() - user.password_changed_at.getTime() > PASSWORD_MAX_AGE_MS;
    return { ...pair, mustChangePassword: user.must_change_password || stale };
  }

  /** Trades a refresh token for a new pair; the old refresh token is spent (a second use ends the session). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    this.audit.note({ action: 'auth.refresh', objectType: 'session' });
    const parsed = this.tokens.parseRefresh(refreshToken);
    if (!parsed) throw refreshTokenInvalid();
    const session = await this.sessions.find(parsed.sessionId);
    if (!session) throw refreshTokenInvalid();
    this.audit.note({ objectId: session.id, userId: session.user_id });
    const now = this.clock.now();
    if (session.revoked_at) throw sessionRevoked();
    if (sameHash(session.previous_refresh_hash, parsed.hash)) {
      await this.sessions.revoke(session.id, 'refresh_reuse', now);
      throw refreshTokenReused();
    }
    if (!sameHash(session.refresh_hash, parsed.hash)) throw refreshTokenInvalid();
    await this.assertLive(session, now);
    const next = this.tokens.newRefresh(session.id);
    if (!(await this.sessions.rotate(session.id, parsed.hash, next.hash))) throw refreshTokenReused();
    return this.pair(session.user_id, session.id, next.token, session.expires_at, now);
  }

  async logout(sessionId: string): Promise<void> {
    this.audit.note({ action: 'auth.logout', objectType: 'session', objectId: sessionId });
    await this.sessions.revoke(sessionId, 'logout', this.clock.now());
  }

  /** The guard's check of every request carrying a token: the caller and their session id. */
  async authenticate(accessToken: string): Promise<{ actor: Actor; sessionId: string }> {
    const now = this.clock.now();
    const claims = this.tokens.verify(accessToken, now);
    const session = await this.sessions.findWithUser(claims.sid);
    if (!session || session.user_id !== claims.sub) throw tokenInvalid();
    if (session.revoked_at) throw sessionRevoked();
    await this.assertLive(session, now);
    if (session.status !== 'active') {
      await this.sessions.revoke(session.id, 'disabled', now);
      throw accountDisabled();
    }
    await this.sessions.touch(session.id, now);
    return { actor: actorOf({ ...session, id: session.user_id }), sessionId: session.id };
  }

  async changePassword(actor: Actor, sessionId: string, current: string, next: string): Promise<void> {
    this.audit.note({ objectType: 'users', objectId: actor.id });
    const user = await this.users.findById(actor.id);
    if (!user || !(await verifyPassword(user.password_hash, current))) throw passwordIncorrect();
    await this.setPassword(user, next, 'newPassword', false);
    // every other session of this user ends; this one goes on
    await this.sessions.revokeAllOf(user.id, 'password_changed', this.clock.now(), sessionId);
  }

  /** Checks the policy, refuses reusing the current password, stores the new hash. */
  async setPassword(user: Pick<UserRow, 'id' | 'username' | 'password_hash'>, password: string, field: string, mustChange: boolean): Promise<void> {
    const problems = passwordProblems(password, user.username);
    if (await verifyPassword(user.password_hash, password)) problems.push('must differ from the current password');
    if (problems.length) throw passwordPolicy(field, problems);
    await this.users.setPassword(user.id, await hashPassword(password), mustChange, this.clock.now());
  }

  private async openSession(userId: string, now: Date, client: Client): Promise<TokenPair> {
    const expiresAt = new Date(now.getTime() + this.s.sessionMaxHours * 3600000);
    const sessionId = randomUUID();
    const refresh = this.tokens.newRefresh(sessionId);
    await this.sessions.create({ id: sessionId, userId, refreshHash: refresh.hash, now, expiresAt, ip: client.ip, userAgent: client.userAgent });
    this.audit.note({ objectId: sessionId });
    return this.pair(userId, sessionId, refresh.token, expiresAt, now);
  }

  private pair(userId: string, sessionId: string, refreshToken: string, expiresAt: Date, now: Date): TokenPair {
    return {
      accessToken: this.tokens.sign(userId, sessionId, now),
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlSeconds,
      refreshToken,
      sessionExpiresAt: expiresAt.toISOString(),
    };
  }

  /** Idle for longer than allowed, or past its end: the session is revoked and the caller must log in. */
  private async assertLive(session: SessionRow, now: Date): Promise<void> {
    if (now.getTime() - session.last_seen_at.getTime() > this.s.sessionIdleMinutes * 60000) {
      await this.sessions.revoke(session.id, 'idle', now);
      throw sessionExpired('idle');
    }
    if (now >= session.expires_at) {
      await this.sessions.revoke(session.id, 'expired', now);
      throw sessionExpired('expired');
    }
  }
}
