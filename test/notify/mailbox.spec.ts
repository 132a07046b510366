import request from 'supertest';
import { DomainError } from '../../src/common';
import { IdentitySeeder } from '../../src/identity';
import { NotifyErrorCode } from '../../src/notify';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';
import { enqueue, outboxRows, sendDue } from './support';

const DEMO = ['jj_window', 'jgy_street', 'jj_county', 'cd_city', 'jj_mz_checker', 'sc_modeler', 'sc_approver', 'sys_admin'];

/**
 * With no SMTP_URL, mail goes to the development mailbox (GET /api/mail): `npm start` needs no
 * mail server. Recipients are resolved at enqueue: users by id or username, candidate groups to
 * their members, roles to their holders, in each reader's language.
 */
describe('development mailbox and recipients', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of DEMO) ids[u] = await t.app.get(IdentitySeeder).ensureDemoUser(u);
  });
  afterAll(() => t?.close());

  it('keeps mail in the development mailbox: each user reads their own, a system administrator everyone’s', async () => {
    const r = await enqueue(t, { template: 'task.assigned', to: { users: ['jj_window', ids.jj_county] }, vars: { taskName: '窗口受理', businessKey: 'SQ-2026-0100', assignedBy: 'jgy_street' } });
    expect(r).toMatchObject({ duplicates: 0, skipped: [] });
    expect(r.queued).toHaveLength(2);
    expect(await sendDue(t)).toBe(2);

    const mine = (await request(t.http).get('/api/mail').set(await loginAs(t, 'jj_window')).expect(200)).body as Record<string, string>[];
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ to: 'jj_window@example.cn', toUserId: ids.jj_window, subject: '【安居】新任务：窗口受理', from: '"安居住房保障" <noreply@anju.local>' });
    expect(mine[0].text).toContain('jgy_street将任务“窗口受理”分派给您。\n业务编号：SQ-2026-0100');
    const [row] = await outboxRows(t, 'to_address = $1', ['jj_window@example.cn']);
    expect(mine[0].messageId).toBe(`<${row.id}@anju.local>`);
    expect(row).toMatchObject({ status: 'sent', delivered_via: 'mailbox' });
    const [{ raw }] = await t.ds.query(`SELECT raw FROM notify_mailbox WHERE outbox_id = $1`, [row.id]);
    expect(raw).toContain(`Message-ID: <${row.id}@anju.local>`);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m);

    expect((await request(t.http).get('/api/mail').set(await loginAs(t, 'jgy_street')).expect(200)).body).toEqual([]);
    const all = (await request(t.http).get('/api/mail').set(await loginAs(t, 'sys_admin')).expect(200)).body as { to: string }[];
    expect(all.map((m) => m.to).sort()).toEqual(['jj_county@example.cn', 'jj_window@example.cn']);
    const one = (await request(t.http).get('/api/mail?to=JJ_County@example.cn').set(await loginAs(t, 'sys_admin')).expect(200)).body as { to: string }[];
    expect(one.map((m) => m.to)).toEqual(['jj_county@example.cn']);
    await request(t.http).get('/api/mail').set('x-test-anonymous', '1').expect(401);
    await request(t.http).get('/api/mail?limit=0').set(await loginAs(t, 'sys_admin')).expect(400);
  });

  it('resolves candidate groups to the holders of the role with that scope root, department checkers by department, and roles', async () => {
    const r = await enqueue(t, {
      template: 'task.due-soon',
      to: { groups: ['county_reviewer:510104', 'department_checker:民政:510104', 'department_checker:公安:510104', 'city_reviewer:510603'] },
      vars: { taskName: '联合审查', dueAt: '2026-10-12T23:59:59.999+08:00' },
    });
    const rows = await outboxRows(t, 'id = ANY($1)', [r.queued]);
    expect(rows.map((x) => x.to_address).sort()).toEqual(['jj_county@example.cn', 'jj_mz_checker@example.cn']);
    const roles = await enqueue(t, { template: 'calendar.year-missing', to: { roles: ['policy_modeler', 'policy_approver'] }, vars: { years: [2027] } });
    expect((await outboxRows(t, 'id = ANY($1)', [roles.queued])).map((x) => x.to_address).sort()).toEqual(['sc_approver@example.cn', 'sc_modeler@example.cn']);
  });

  it('writes to each reader in their language, and skips (and reports) users without an address', async () => {
    const admin = await loginAs(t, 'sys_admin');
    const created = await request(t.http)
      .post('/api/users')
      .set(admin)
      .send({ username: 'jj_window_en', password: 'Welcome#2026anju', email: 'Window.EN@example.cn', locale: 'en' })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'window.en@example.cn', locale: 'en' });
    const noMail = await request(t.http).post('/api/users').set(admin).send({ username: 'jj_nomail', password: 'Welcome#2026anju' }).expect(201);
    expect(noMail.body).toMatchObject({ email: null, locale: 'zh-CN' });
    await request(t.http).post('/api/users').set(admin).send({ username: 'jj_bad', password: 'Welcome#2026anju', email: 'not-an-address' }).expect(400);

    const r = await enqueue(t, { template: 'task.overdue', to: { users: ['jj_window_en', 'jj_window', 'jj_nomail', 'nobody_here'] }, vars: { taskName: 'Review', dueAt: '2026-10-12T23:59:59.999+08:00' } });
    expect(r.skipped).toEqual([{ userId: noMail.body.id, username: 'jj_nomail', reason: 'no-email' }]);
    const rows = await outboxRows(t, 'id = ANY($1)', [r.queued]);
    expect(rows.map((x) => [x.to_address, x.locale, x.subject])).toEqual(
      expect.arrayContaining([
        ['window.en@example.cn', 'en', '[Anju] Task overdue: Review'],
        ['jj_window@example.cn', 'zh-CN', '【安居】任务已超期：Review'],
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it('queues one mail per dedupe key and address, however often it is asked', async () => {
    const req = { template: 'task.assigned', to: { users: ['cd_city'], emails: ['cd_city@example.cn'] }, vars: { taskName: '市级复核' }, dedupeKey: 'test:once' };
    const first = await enqueue(t, req);
    const second = await enqueue(t, req);
    expect(first).toMatchObject({ duplicates: 0 });
    expect(first.queued).toHaveLength(1); // the user and the literal address are the same mailbox
    expect(second).toMatchObject({ queued: [], duplicates: 1 });
  });

  it('shows the newest mail first, past the tenth message too', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `排序任务${i + 1}`);
    await sendDue(t); // what earlier tests queued
    for (const taskName of names) {
      await enqueue(t, { template: 'task.assigned', to: { users: ['sc_approver'] }, vars: { taskName } });
      expect(await sendDue(t)).toBe(1); // one at a time: delivery order is the order asked
    }
    const mail = (await request(t.http).get('/api/mail?limit=12').set(await loginAs(t, 'sc_approver')).expect(200)).body as { subject: string }[];
    expect(mail.map((m) => m.subject)).toEqual([...names].reverse().map((n) => `【安居】新任务：${n}`));
  });

  it('refuses an unknown template, a missing variable and bad recipients with 422s, writing nothing', async () => {
    const before = (await outboxRows(t)).length;
    const failure = async (req: Parameters<typeof enqueue>[1]) => {
      const e = await enqueue(t, req).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe('UNPROCESSABLE');
      return e as DomainError;
    };
    expect((await failure({ template: 'task.unknown', to: { users: ['jj_window'] }, vars: {} })).code).toBe(NotifyErrorCode.TemplateUnknown);
    const missing = await failure({ template: 'applicant.publicity', to: { emails: ['a@example.cn'] }, vars: { caseNo: 'SQ-1' } });
    expect(missing).toMatchObject({ code: NotifyErrorCode.VariableMissing, details: { variables: ['startDate', 'endDate'] } });
    expect(missing.message).toContain('startDate, endDate');
    expect((await failure({ template: 'task.assigned', to: {}, vars: { taskName: 'x' } })).code).toBe(NotifyErrorCode.NoRecipients);
    expect((await failure({ template: 'task.assigned', to: { groups: ['reviewers'] }, vars: { taskName: 'x' } })).code).toBe(NotifyErrorCode.RecipientInvalid);
    expect((await failure({ template: 'task.assigned', to: { emails: ['a@b'] }, vars: { taskName: 'x' } })).code).toBe(NotifyErrorCode.RecipientInvalid);
    expect((await failure({ template: 'task.assigned', locale: 'fr', to: { users: ['jj_window'] }, vars: { taskName: 'x' } })).code).toBe(NotifyErrorCode.LocaleUnknown);
    expect(await outboxRows(t)).toHaveLength(before);
  });

  it('lists the templates with their variables for diagram authors', async () => {
    const list = (await request(t.http).get('/api/mail/templates').set(await loginAs(t, 'sc_modeler')).expect(200)).body as { name: string; required: string[] }[];
    expect(list.map((x) => x.name)).toEqual(expect.arrayContaining(['task.assigned', 'task.due-soon', 'task.overdue', 'task.escalated', 'task.digest', 'applicant.accepted', 'applicant.correction', 'applicant.publicity', 'applicant.decision']));
    expect(list.find((x) => x.name === 'applicant.decision')!.required).toEqual(['caseNo', 'approved', 'reasons', 'appealDeadline']);
  });
});
