import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { Public } from '../../src/api';
import { Audit, AuditContext, AuditModule, verifyCommand } from '../../src/audit';
import { ConflictError } from '../../src/common';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';

/** Test-only endpoints that change state: one succeeds, one fails the way a service fails. */
@Controller('test-only/things')
@Public()
class ThingsController {
  constructor(private readonly audit: AuditContext) {}

  @Post()
  create(@Body() body: { name?: string }) {
    return { id: 'thing-1', name: body.name ?? null };
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Audit({ action: 'things.archive', objectType: 'thing' })
  archive(@Param('id') id: string) {
    if (id === 'busy') throw new ConflictError('THING_BUSY', 'The thing is busy');
    this.audit.note({ fields: ['name'] });
    return { id, archived: true };
  }
}

@Module({ imports: [AuditModule], controllers: [ThingsController] })
class ThingsModule {}

type Row = Record<string, unknown>;

describe('audit log', () => {
  let t: TestApp;
  let auditor: { Authorization: string };
  const rows = async (where = 'TRUE', params: unknown[] = []): Promise<Row[]> => t.ds.query(`SELECT * FROM audit_log WHERE ${where} ORDER BY seq`, params);

  beforeAll(async () => {
    t = await createTestApp({}, [ThingsModule]);
    auditor = await loginAs(t, 'audit_admin');
  });
  afterAll(() => t?.close());

  it('writes a row for every state-changing request, with its outcome and request id', async () => {
    // with no TRUST_PROXY nobody's X-Forwarded-For is believed: a client cannot choose its recorded address
    const ok = await request(t.http).post('/test-only/things').set('x-request-id', 'req-ok-1').set('x-forwarded-for', '203.0.113.7').send({ name: 'x' }).expect(201);
    expect(ok.body.id).toBe('thing-1');
    await request(t.http).post('/test-only/things/busy/archive').set('x-request-id', 'req-busy-1').expect(409);
    await request(t.http).post('/test-only/things/t-7/archive').set('x-request-id', 'req-arch-1').expect(200);
    const [created] = await rows(`request_id = 'req-ok-1'`);
    expect(created).toMatchObject({ action: 'POST /test-only/things', method: 'POST', path: '/test-only/things', object_type: 'test-only', object_id: 'thing-1', result: 'success', status: 201, hash_alg: 'sm3' });
    const [busy] = await rows(`request_id = 'req-busy-1'`);
    expect(busy).toMatchObject({ action: 'things.archive', object_type: 'thing', object_id: 'busy', result: 'failure', status: 409, error_code: 'THING_BUSY' });
    const [archived] = await rows(`request_id = 'req-arch-1'`);
    expect(archived).toMatchObject({ object_id: 't-7', fields: ['name'], result: 'success', status: 200 });
    expect(created.ip).toMatch(/127\.0\.0\.1/);
  });

  it('records the user and organisation of a logged-in caller, and refused requests', async () => {
    const window = await loginAs(t, 'jj_window');
    await request(t.http).post('/api/users').set(window).set('x-request-id', 'req-refused-1').send({ username: 'x_y_z', password: 'Initial-pass-2025' }).expect(403);
    await request(t.http).post('/api/auth/logout').set('x-request-id', 'req-anon-1').expect(401);
    const [refused] = await rows(`request_id = 'req-refused-1'`);
    const [{ id, organization_id }] = await t.ds.query(`SELECT id, organization_id FROM users WHERE username = 'jj_window'`);
    expect(refused).toMatchObject({ user_id: id, username: 'jj_window', organization_id, result: 'denied', status: 403, error_code: 'ROLE_REQUIRED' });
    const [anon] = await rows(`request_id = 'req-anon-1'`);
    expect(anon).toMatchObject({ user_id: null, result: 'denied', status: 401, error_code: 'LOGIN_REQUIRED' });
  });

  it('records logins, failed ones included, without the password', async () => {
    await request(t.http).post('/api/auth/login').set('x-request-id', 'req-login-bad').send({ username: 'jj_window', password: 'Wrong-password-1' }).expect(401);
    const [bad] = await rows(`request_id = 'req-login-bad'`);
    expect(bad).toMatchObject({ action: 'auth.login', username: 'jj_window', result: 'denied', error_code: 'INVALID_CREDENTIALS' });
    expect(JSON.stringify(await rows())).not.toContain('Wrong-password-1');
  });

  it('serves the log to the audit administrator only, newest first, with filters and paging', async () => {
    const res = await request(t.http).get('/api/audit').query({ action: 'things.archive' }).set(auditor).expect(200);
    expect(res.body.items.map((r: Row) => r.objectId)).toEqual(['t-7', 'busy']);
    const page = await request(t.http).get('/api/audit').query({ limit: 2 }).set(auditor).expect(200);
    expect(page.body.items).toHaveLength(2);
    const next = await request(t.http).get('/api/audit').query({ limit: 2, before: page.body.nextBefore }).set(auditor).expect(200);
    expect(next.body.items[0].seq).toBe(page.body.items[1].seq - 1);
    const bad = await request(t.http).get('/api/audit').query({ from: 'yesterday' }).set(auditor).expect(400);
    expect(bad.body.details.fields[0].field).toBe('from');
    // reading the audit log is itself audited
    expect((await rows(`action = 'audit.read'`)).length).toBeGreaterThanOrEqual(3);
    await request(t.http).get('/api/audit').set(await loginAs(t, 'sys_admin')).expect(403);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even from the application’s own connection', async () => {
    await expect(t.ds.query(`UPDATE audit_log SET result = 'success' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.ds.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(t.ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('keeps answering when the audit log cannot be written, but reveals no personal data then', async () => {
    await t.ds.query(`ALTER TABLE audit_log ADD CONSTRAINT audit_log_test_outage CHECK (false) NOT VALID`);
    try {
      await request(t.http).post('/test-only/things').send({ name: 'during outage' }).expect(201);
      const sys = await loginAs(t, 'sys_admin');
      const [{ id }] = await t.ds.query(`SELECT id FROM users WHERE username = 'jj_window'`);
      const res = await request(t.http).post(`/api/users/${id}/reveal`).set(sys).send({ fields: ['phone'], purpose: '联系本人' }).expect(503);
      expect(res.body).toEqual({ code: 'AUDIT_WRITE_FAILED', message: expect.any(String), details: { action: 'personal_data.reveal' } });
      expect(JSON.stringify(res.body)).not.toContain('13800000001');
    } finally {
      await t.ds.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_test_outage`);
    }
  });

  it('verifies an intact chain', async () => {
    const res = await request(t.http).get('/api/audit/verify').set(auditor).expect(200);
    expect(res.body).toMatchObject({ ok: true, algorithm: 'sm3', firstBroken: null });
    expect(res.body.checked).toBeGreaterThan(10);
    const lines: string[] = [];
    expect(await verifyCommand(t.ds, 'test', (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/audit log intact: \d+ row\(s\)/);
  });

  it('reports a row changed behind the trigger’s back (by a superuser) at that row', async () => {
    const [target] = await rows(`request_id = 'req-busy-1'`);
    await t.ds.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await t.ds.query(`UPDATE audit_log SET result = 'success', status = 200, error_code = NULL WHERE seq = $1`, [target.seq]);
    await t.ds.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    const res = await request(t.http).get('/api/audit/verify').set(auditor).expect(200);
    expect(res.body).toMatchObject({ ok: false, checked: Number(target.seq) - 1, firstBroken: { seq: Number(target.seq), reason: 'HASH_MISMATCH' } });
    const lines: string[] = [];
    expect(await verifyCommand(t.ds, 'test', (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toContain(`BROKEN at row ${target.seq} (HASH_MISMATCH)`);
  });

  it('reports a removed row at the row after it', async () => {
    const [target] = await rows(`request_id = 'req-busy-1'`);
    const seq = Number(target.seq);
    await t.ds.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    // put the changed row back as it was (so only the removal is left to find), then remove another
    await t.ds.query(`UPDATE audit_log SET result = 'failure', status = 409, error_code = 'THING_BUSY' WHERE seq = $1`, [seq]);
    await t.ds.query(`DELETE FROM audit_log WHERE seq = $1`, [seq + 1]);
    await t.ds.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    const res = await request(t.http).get('/api/audit/verify').set(auditor).expect(200);
    expect(res.body.firstBroken).toMatchObject({ seq: seq + 2, reason: 'SEQUENCE_GAP' });
  });
});

describe('audit log behind a reverse proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'loopback' }, [ThingsModule]);
  });
  afterAll(() => t?.close());

  it('records the client address the proxy forwarded, not the proxy’s', async () => {
    await request(t.http).post('/test-only/things').set('x-request-id', 'req-proxied-1').set('x-forwarded-for', '203.0.113.7').send({ name: 'x' }).expect(201);
    const [row] = await t.ds.query(`SELECT ip FROM audit_log WHERE request_id = 'req-proxied-1'`);
    expect(row.ip).toBe('203.0.113.7');
  });
});
