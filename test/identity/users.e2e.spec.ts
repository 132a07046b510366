import request from 'supertest';
import { checkCharacterFor } from './fixtures';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';

type Header = { Authorization: string };

describe('accounts, roles and personal data', () => {
  let t: TestApp;
  let sys: Header;
  let sec: Header;
  let auditor: Header;
  let orgId: string;

  beforeAll(async () => {
    t = await createTestApp();
    sys = await loginAs(t, 'sys_admin');
    sec = await loginAs(t, 'sec_admin');
    auditor = await loginAs(t, 'audit_admin');
    const org = await request(t.http)
      .post('/api/organizations')
      .set(sys)
      .send({ code: 'qy-mz', name: '成都市青羊区民政局', kind: 'department', department: '民政', regionCode: '510105' })
      .expect(201);
    orgId = org.body.id;
  });
  afterAll(() => t?.close());

  const idNumber = checkCharacterFor('51010519850312421');

  it('creates an account whose personal data is stored encrypted and shown masked', async () => {
    const res = await request(t.http)
      .post('/api/users')
      .set(sys)
      .send({ username: 'qy_checker', password: 'Initial-pass-2025', organizationId: orgId, name: '欧阳明明', phone: '139 1234 5678', idNumber })
      .expect(201);
    expect(res.body).toMatchObject({
      username: 'qy_checker',
      kind: 'staff',
      department: '民政',
      roles: [],
      scopes: ['510105'],
      name: '欧**明',
      phone: '139****5678',
      idNumber: `510105********${idNumber.slice(-4)}`,
      mustChangePassword: true,
    });
    const [row] = await t.ds.query(`SELECT name_enc, phone_enc, id_number_enc, id_number_bidx FROM users WHERE username = 'qy_checker'`);
    expect(row.id_number_enc).toMatch(/^sm4\.dev\./);
    expect(JSON.stringify(row)).not.toMatch(/欧阳|13912345678|510105198503/);
  });

  it('refuses a bad ID number or phone with 400 naming the field', async () => {
    const badCheck = idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');
    const res = await request(t.http).post('/api/users').set(sys).send({ username: 'bad_id', password: 'Initial-pass-2025', idNumber: badCheck }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual([{ field: 'idNumber', problems: [expect.stringContaining('check digit')] }]);
    expect(res.body.message).toContain('idNumber');
    const future = checkCharacterFor('51010520990101123');
    const later = await request(t.http).post('/api/users').set(sys).send({ username: 'bad_id', password: 'Initial-pass-2025', idNumber: future }).expect(400);
    expect(later.body).toMatchObject({ code: 'ID_NUMBER_INVALID', details: { fields: [{ field: 'idNumber', problems: [expect.stringContaining('in the future')] }] } });
    const phone = await request(t.http).post('/api/users').set(sys).send({ username: 'bad_id', password: 'Initial-pass-2025', phone: '12345' }).expect(400);
    expect(phone.body).toMatchObject({ code: 'PHONE_INVALID', details: { fields: [{ field: 'phone' }] } });
    const weak = await request(t.http).post('/api/users').set(sys).send({ username: 'bad_id', password: 'password' }).expect(400);
    expect(weak.body).toMatchObject({ code: 'PASSWORD_POLICY', details: { fields: [{ field: 'password' }] } });
  });

  it('finds an account by exact ID number or phone through the blind index', async () => {
    const byId = await request(t.http).post('/api/users/search').set(sec).send({ idNumber: idNumber.toLowerCase() }).expect(200);
    expect(byId.body.map((u: { username: string }) => u.username)).toEqual(['qy_checker']);
    const byPhone = await request(t.http).post('/api/users/search').set(sec).send({ phone: '+86 13912345678' }).expect(200);
    expect(byPhone.body.map((u: { username: string }) => u.username)).toEqual(['qy_checker']);
    const none = await request(t.http).post('/api/users/search').set(sec).send({ phone: '13900000000' }).expect(200);
    expect(none.body).toEqual([]);
  });

  it('refuses a second account for the same person', async () => {
    const res = await request(t.http).post('/api/users').set(sys).send({ username: 'qy_twin', password: 'Initial-pass-2025', idNumber }).expect(409);
    expect(res.body.code).toBe('ID_NUMBER_TAKEN');
  });

  it('unmasks only with a stated purpose, and writes who, what, which fields and why to the audit log', async () => {
    const [{ id }] = await t.ds.query(`SELECT id FROM users WHERE username = 'qy_checker'`);
    const none = await request(t.http).post(`/api/users/${id}/reveal`).set(sys).send({ fields: ['phone'], purpose: ' ' }).expect(400);
    expect(none.body).toMatchObject({ code: 'PURPOSE_REQUIRED', details: { fields: [{ field: 'purpose' }] } });
    await request(t.http).post(`/api/users/${id}/reveal`).set(sec).send({ fields: ['phone'], purpose: '核实联系方式' }).expect(403);
    const res = await request(t.http).post(`/api/users/${id}/reveal`).set(sys).send({ fields: ['phone', 'idNumber', 'name'], purpose: '核实联系方式' }).expect(200);
    expect(res.body).toEqual({ phone: '13912345678', idNumber, name: '欧阳明明' });
    const log = await request(t.http).get('/api/audit').query({ action: 'personal_data.reveal' }).set(auditor).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({
      username: 'sys_admin',
      objectType: 'users',
      objectId: id,
      fields: ['phone', 'idNumber', 'name'],
      purpose: '核实联系方式',
      result: 'success',
      path: `/api/users/${id}/reveal`,
    });
    // the refused attempts are in the log too, without any value
    const refused = await request(t.http).get('/api/audit').query({ objectId: id, result: 'denied' }).set(auditor).expect(200);
    expect(refused.body.items.map((r: { username: string }) => r.username)).toContain('sec_admin');
    expect(JSON.stringify(log.body)).not.toContain('13912345678');
  });

  it('lets the security administrator grant business roles and scopes, and only the system administrator designate administrators', async () => {
    const [{ id }] = await t.ds.query(`SELECT id FROM users WHERE username = 'qy_checker'`);
    await request(t.http).put(`/api/users/${id}/roles`).set(sys).send({ roles: ['department_checker'] }).expect(403);
    const granted = await request(t.http).put(`/api/users/${id}/roles`).set(sec).send({ roles: ['department_checker'] }).expect(200);
    expect(granted.body.groups).toEqual(['department_checker:民政:510105']);
    const scoped = await request(t.http).put(`/api/users/${id}/scopes`).set(sec).send({ scopes: ['510105', '510104'] }).expect(200);
    expect(scoped.body.groups).toEqual(['department_checker:民政:510104', 'department_checker:民政:510105']);
    const unknown = await request(t.http).put(`/api/users/${id}/scopes`).set(sec).send({ scopes: ['519999'] }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'SCOPE_UNKNOWN', details: { fields: [{ field: 'scopes' }] } });
    await request(t.http).put(`/api/users/${id}/roles`).set(sec).send({ roles: ['audit_admin'] }).expect(403);
    const bad = await request(t.http).put(`/api/users/${id}/roles`).set(sec).send({ roles: ['chief'] }).expect(400);
    expect(bad.body.details.fields[0].field).toBe('roles');
  });

  it('keeps the system, security and audit administrators three different people (三员分立)', async () => {
    const created = await request(t.http).post('/api/users').set(sys).send({ username: 'second_admin', password: 'Initial-pass-2025' }).expect(201);
    const id = created.body.id;
    await request(t.http).put(`/api/users/${id}/roles`).set(sys).send({ roles: ['audit_admin'] }).expect(200);
    const two = await request(t.http).put(`/api/users/${id}/roles`).set(sys).send({ roles: ['audit_admin', 'security_admin'] }).expect(409);
    expect(two.body.code).toBe('ADMIN_ROLES_SEPARATE');
    // an administrator does no casework either
    const mixed = await request(t.http).put(`/api/users/${id}/roles`).set(sec).send({ roles: ['audit_admin', 'county_reviewer'] }).expect(409);
    expect(mixed.body.code).toBe('ADMIN_ROLES_SEPARATE');
    // nobody changes their own roles
    const [{ id: self }] = await t.ds.query(`SELECT id FROM users WHERE username = 'sys_admin'`);
    expect((await request(t.http).put(`/api/users/${self}/roles`).set(sys).send({ roles: ['security_admin'] }).expect(403)).body.code).toBe('SELF_GRANT');
    // and the database refuses it whatever the application does
    await expect(t.ds.query(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'system_admin')`, [id])).rejects.toThrow(/user_roles_one_admin_role_key/);
  });

  it('unlocks a locked account (security administrator)', async () => {
    const [{ id }] = await t.ds.query(`SELECT id FROM users WHERE username = 'qy_checker'`);
    await t.ds.query(`UPDATE users SET locked_until = $2 WHERE id = $1`, [id, new Date(Date.now() + 3600000 * 24 * 365 * 5)]);
    expect((await request(t.http).get(`/api/users/${id}`).set(sec).expect(200)).body.lockedUntil).not.toBeNull();
    await request(t.http).post(`/api/users/${id}/unlock`).set(sys).expect(403);
    const res = await request(t.http).post(`/api/users/${id}/unlock`).set(sec).expect(200);
    expect(res.body.lockedUntil).toBeNull();
  });

  it('answers an unknown account with 404 and a malformed id with 400', async () => {
    expect((await request(t.http).get('/api/users/7d5b0d5e-1111-4111-8111-111111111111').set(sec).expect(404)).body.code).toBe('USER_NOT_FOUND');
    expect((await request(t.http).get('/api/users/not-a-uuid').set(sec).expect(400)).body.details.fields[0].field).toBe('id');
  });

  it('creates organisations for the system administrator only, checking the department and region', async () => {
    const res = await request(t.http).post('/api/organizations').set(sys).send({ code: 'x-1', name: '某社区', kind: 'community', department: '民政', regionCode: '510105' }).expect(400);
    expect(res.body.details.fields[0].field).toBe('department');
    const region = await request(t.http).post('/api/organizations').set(sys).send({ code: 'x-2', name: '某局', kind: 'department', department: '民政', regionCode: '519999' }).expect(400);
    expect(region.body).toMatchObject({ code: 'REGION_UNKNOWN', details: { fields: [{ field: 'regionCode' }] } });
    await request(t.http).post('/api/organizations').set(sec).send({ code: 'x-3', name: '某局', kind: 'department', department: '民政', regionCode: '510105' }).expect(403);
    const dup = await request(t.http).post('/api/organizations').set(sys).send({ code: 'qy-mz', name: '重复', kind: 'department', department: '民政', regionCode: '510105' }).expect(409);
    expect(dup.body.code).toBe('ORGANIZATION_CODE_TAKEN');
  });
});
