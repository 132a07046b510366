import request from 'supertest';
import { DEMO_PASSWORD, IdentitySeeder } from '../../src/identity';
import { TestApp, createTestApp } from '../support/app';
import { MINUTE, advanceClock, bearer, loginAs, now, setClock } from '../support/identity';

async function ensure(t: TestApp, username: string) {
  await t.app.get(IdentitySeeder).ensureDemoUser(username);
}

function login(t: TestApp, username: string, password = DEMO_PASSWORD) {
  return request(t.http).post('/api/auth/login').send({ username, password });
}

describe('login and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    // this suite logs in often; the rate limit has its own test below
    t = await createTestApp({ ANJU_LOGIN_RATE_PER_MINUTE: '1000' });
    setClock(t, '2025-03-03T09:00:00+08:00');
    for (const u of ['jj_window', 'jj_county', 'cd_city', 'jgy_street', 'dy_window', 'sc_modeler']) await ensure(t, u);
  });
  afterAll(() => t?.close());

  it('logs in with argon2-checked credentials and returns a short-lived access token and a refresh token', async () => {
    const res = await login(t, 'jj_window').expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 600, mustChangePassword: false });
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    expect(typeof res.body.refreshToken).toBe('string');
    const me = await request(t.http).get('/api/auth/me').set(bearer(res.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ username: 'jj_window', roles: ['window_caseworker'], regionScopes: ['510104'], groups: ['window_caseworker:510104'] });
    const [{ password_hash }] = await t.ds.query(`SELECT password_hash FROM users WHERE username = 'jj_window'`);
    expect(password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers a wrong password and an unknown user alike, with 401 INVALID_CREDENTIALS', async () => {
    const wrong = await login(t, 'jj_county', 'Wrong-password-1').expect(401);
    const unknown = await login(t, 'nobody_here', 'Wrong-password-1').expect(401);
    expect(wrong.body).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' });
    expect(unknown.body).toEqual(wrong.body);
    await login(t, 'jj_county').expect(200); // a success clears the count
  });

  it('refuses a malformed body with 400 naming the fields', async () => {
    const res = await request(t.http).post('/api/auth/login').send({ username: 'jj_window' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['password']);
  });

  it('locks an account for 15 minutes after 5 failed logins in a row', async () => {
    for (let i = 1; i <= 4; i++) await login(t, 'cd_city', `Wrong-password-${i}`).expect(401);
    const fifth = await login(t, 'cd_city', 'Wrong-password-5').expect(401);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    // the right password does not help while locked
    const locked = await login(t, 'cd_city').expect(401);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.details.lockedUntil).toBe(new Date(now(t).getTime() + 15 * MINUTE).toISOString());
    advanceClock(t, 14 * MINUTE);
    expect((await login(t, 'cd_city').expect(401)).body.code).toBe('ACCOUNT_LOCKED');
    advanceClock(t, MINUTE + 1000);
    await login(t, 'cd_city').expect(200);
  });

  it('does not lock on failures separated by a success', async () => {
    for (let i = 0; i < 4; i++) await login(t, 'jgy_street', 'Wrong-password-1').expect(401);
    await login(t, 'jgy_street').expect(200);
    for (let i = 0; i < 4; i++) await login(t, 'jgy_street', 'Wrong-password-1').expect(401);
    await login(t, 'jgy_street').expect(200);
  });

  it('expires the access token, renews it with the refresh token, and rotates the refresh token', async () => {
    const first = (await login(t, 'dy_window').expect(200)).body;
    advanceClock(t, 10 * MINUTE + 1000);
    const expired = await request(t.http).get('/api/auth/me').set(bearer(first.accessToken)).expect(401);
    expect(expired.body.code).toBe('TOKEN_EXPIRED');
    const second = (await request(t.http).post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await request(t.http).get('/api/auth/me').set(bearer(second.accessToken)).expect(200);
    // the spent refresh token, presented again, ends the whole session (it may have been stolen)
    const reuse = await request(t.http).post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await request(t.http).get('/api/auth/me').set(bearer(second.accessToken)).expect(401)).body.code).toBe('SESSION_REVOKED');
    expect((await request(t.http).post('/api/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401)).body.code).toBe('SESSION_REVOKED');
  });

  it('ends a session idle for 30 minutes, and keeps a busy one', async () => {
    const s = (await login(t, 'jj_window').expect(200)).body;
    let access = s.accessToken;
    let refresh = s.refreshToken;
    // busy: a request every 9 minutes for 45 minutes, renewing the access token when it expires
    for (let i = 0; i < 5; i++) {
      advanceClock(t, 9 * MINUTE);
      const res = await request(t.http).get('/api/auth/me').set(bearer(access));
      if (res.status === 401) {
        expect(res.body.code).toBe('TOKEN_EXPIRED');
        const renewed = (await request(t.http).post('/api/auth/refresh').send({ refreshToken: refresh }).expect(200)).body;
        access = renewed.accessToken;
        refresh = renewed.refreshToken;
        await request(t.http).get('/api/auth/me').set(bearer(access)).expect(200);
      }
    }
    // idle: 31 minutes without a request; refreshing does not revive it
    advanceClock(t, 31 * MINUTE);
    const idle = await request(t.http).post('/api/auth/refresh').send({ refreshToken: refresh }).expect(401);
    expect(idle.body).toMatchObject({ code: 'SESSION_EXPIRED', details: { reason: 'idle' } });
  });

  it('logout revokes the session: the access token and the refresh token stop working at once', async () => {
    const s = (await login(t, 'jj_county').expect(200)).body;
    await request(t.http).post('/api/auth/logout').set(bearer(s.accessToken)).expect(204);
    expect((await request(t.http).get('/api/auth/me').set(bearer(s.accessToken)).expect(401)).body.code).toBe('SESSION_REVOKED');
    expect((await request(t.http).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401)).body.code).toBe('SESSION_REVOKED');
    const [row] = await t.ds.query(`SELECT revoke_reason FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'jj_county') AND revoked_at IS NOT NULL`);
    expect(row.revoke_reason).toBe('logout');
  });

  it('answers a missing, malformed or forged token with 401 and a clear code', async () => {
    expect((await request(t.http).get('/api/auth/me').expect(401)).body.code).toBe('LOGIN_REQUIRED');
    expect((await request(t.http).get('/api/auth/me').set('Authorization', 'Basic abc').expect(401)).body.code).toBe('TOKEN_INVALID');
    const s = (await login(t, 'jj_window').expect(200)).body;
    const [h, p] = s.accessToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(43)}`;
    expect((await request(t.http).get('/api/auth/me').set(bearer(forged)).expect(401)).body.code).toBe('TOKEN_INVALID');
    expect((await request(t.http).post('/api/auth/refresh').send({ refreshToken: 'not-a-token' }).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('changes a password under the policy, and ends the user’s other sessions', async () => {
    const a = await loginAs(t, 'sc_modeler');
    const b = await loginAs(t, 'sc_modeler');
    const weak = await request(t.http).post('/api/auth/password').set(a).send({ currentPassword: DEMO_PASSWORD, newPassword: 'sc_modeler1A!' }).expect(400);
    expect(weak.body).toMatchObject({ code: 'PASSWORD_POLICY', details: { fields: [{ field: 'newPassword', problems: ['must not contain the username'] }] } });
    const short = await request(t.http).post('/api/auth/password').set(a).send({ currentPassword: DEMO_PASSWORD, newPassword: 'abc' }).expect(400);
    expect(short.body.message).toContain('at least 10 characters');
    const wrong = await request(t.http).post('/api/auth/password').set(a).send({ currentPassword: 'nope', newPassword: 'Another-pass-2025' }).expect(400);
    expect(wrong.body.code).toBe('PASSWORD_INCORRECT');
    await request(t.http).post('/api/auth/password').set(a).send({ currentPassword: DEMO_PASSWORD, newPassword: 'Another-pass-2025' }).expect(204);
    await request(t.http).get('/api/auth/me').set(a).expect(200);
    expect((await request(t.http).get('/api/auth/me').set(b).expect(401)).body.code).toBe('SESSION_REVOKED');
    await login(t, 'sc_modeler', 'Another-pass-2025').expect(200);
    await login(t, 'sc_modeler').expect(401);
  });

  it('ends the sessions of a disabled account and refuses its logins', async () => {
    const victim = await loginAs(t, 'jj_mz_checker');
    const admin = await loginAs(t, 'sys_admin');
    const [{ id }] = await t.ds.query(`SELECT id FROM users WHERE username = 'jj_mz_checker'`);
    await request(t.http).post(`/api/users/${id}/disable`).set(admin).expect(200);
    expect((await request(t.http).get('/api/auth/me').set(victim).expect(401)).body.code).toBe('SESSION_REVOKED');
    expect((await login(t, 'jj_mz_checker').expect(401)).body.code).toBe('ACCOUNT_DISABLED');
    await request(t.http).post(`/api/users/${id}/enable`).set(admin).expect(200);
    await login(t, 'jj_mz_checker').expect(200);
  });
});

describe('bootstrap administrator and login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ANJU_BOOTSTRAP_ADMIN_PASSWORD: 'Bootstrap-2025!', ANJU_LOGIN_RATE_PER_MINUTE: '4', ANJU_DEMO_USERS: 'false' });
  });
  afterAll(() => t?.close());

  it('creates admin as a system administrator, and seeds no demo user when told not to', async () => {
    const res = await login(t, 'admin', 'Bootstrap-2025!').expect(200);
    const me = await request(t.http).get('/api/auth/me').set(bearer(res.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ username: 'admin', roles: ['system_admin'], regionScopes: ['510000'] });
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM users`);
    expect(n).toBe(1);
  });

  it('resets the password and unlocks admin at the next boot', async () => {
    const seeder = t.app.get(IdentitySeeder);
    await t.ds.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE username = 'admin'`);
    await seeder.bootstrapAdmin('Second-boot-2025!');
    advanceClock(t, MINUTE); // a new rate-limit window
    await login(t, 'admin', 'Second-boot-2025!').expect(200);
    await login(t, 'admin', 'Bootstrap-2025!').expect(401);
  });

  it('refuses more than the allowed login attempts per address per minute with 429', async () => {
    advanceClock(t, MINUTE);
    for (let i = 0; i < 4; i++) await login(t, 'nobody', 'Wrong-password-1').expect(401);
    const res = await login(t, 'admin', 'Second-boot-2025!').expect(429);
    expect(res.body).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { retryAfterSeconds: expect.any(Number) } });
    advanceClock(t, MINUTE);
    await login(t, 'admin', 'Second-boot-2025!').expect(200);
  });
});
