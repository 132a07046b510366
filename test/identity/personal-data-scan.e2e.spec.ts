import request from 'supertest';
import { DEMO_USERS } from '../../src/identity';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs } from '../support/identity';
import { checkCharacterFor } from './fixtures';

/**
 * After a run that stores, searches, reveals and logs personal data in every way the platform
 * offers today, no table holds an ID number, a phone number or a name in clear.
 */
describe('no personal data in clear at rest', () => {
  let t: TestApp;
  const idNumber = checkCharacterFor('51060319850615204');
  const names = ['欧阳明明', ...DEMO_USERS.map((u) => u.name)];

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of DEMO_USERS) await loginAs(t, u.username);
  });
  afterAll(() => t?.close());

  it('holds none after accounts are created, searched and unmasked, and logins fail', async () => {
    const sys = await loginAs(t, 'sys_admin');
    const created = await request(t.http)
      .post('/api/users')
      .set(sys)
      .send({ username: 'scan_applicant', kind: 'applicant', password: 'Initial-pass-2025', name: '欧阳明明', phone: '13955556666', idNumber })
      .expect(201);
    await request(t.http).post('/api/users/search').set(sys).send({ idNumber }).expect(200);
    await request(t.http).post('/api/users/search').set(sys).send({ phone: '13955556666' }).expect(200);
    await request(t.http).post(`/api/users/${created.body.id}/reveal`).set(sys).send({ fields: ['name', 'phone', 'idNumber'], purpose: '扫描测试' }).expect(200);
    // a failed login with a phone number as username, and a bad ID number, end up in the audit log
    await request(t.http).post('/api/auth/login').send({ username: '13955556666', password: 'x' }).expect(401);
    await request(t.http).post('/api/users').set(sys).send({ username: 'scan_bad', password: 'Initial-pass-2025', idNumber: idNumber.slice(0, 17) + '0' }).expect(400);

    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(n).toBeGreaterThan(5);
    expect(await findPlaintextPersonalData(t, [...names, '13955556666', idNumber])).toEqual([]);
  });

  it('finds personal data in clear when there is some (the scan itself works)', async () => {
    await t.ds.query(`CREATE TABLE test_leak (note text)`);
    await t.ds.query(`INSERT INTO test_leak VALUES ($1)`, [`called ${'13955556666'} about ${idNumber}`]);
    expect(await findPlaintextPersonalData(t)).toEqual([`test_leak: ID number ${idNumber}`, 'test_leak: phone 13955556666']);
    await t.ds.query(`DROP TABLE test_leak`);
  });
});
