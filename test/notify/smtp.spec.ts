import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdjustableClock, Clock } from '../../src/common';
import { IdentitySeeder } from '../../src/identity';
import { MailSender, NotifyService } from '../../src/notify';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';
import { TestSmtpServer, enqueue, outboxRows, sendDue } from './support';

const SECOND = 1000;

/**
 * Mail through a real SMTP server in this process (smtp-server, parsed with mailparser): Chinese
 * arrives intact, an outage is retried with backoff and becomes an incident, and an operator's
 * retry delivers exactly one message with the Message-ID derived from the outbox row.
 */
describe('mail over SMTP', () => {
  const smtp = new TestSmtpServer();
  let t: TestApp;

  beforeAll(async () => {
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url });
    (t.app.get(Clock) as AdjustableClock).set(new Date('2026-09-24T09:00:00+08:00'));
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });
  beforeEach(() => (smtp.received.length = 0));

  const advance = (ms: number) => (t.app.get(Clock) as AdjustableClock).advance(ms);

  it('delivers Chinese subjects and bodies intact, encoded for transport, with the outbox Message-ID', async () => {
    await t.app.get(IdentitySeeder).ensureDemoUser('jj_window');
    const r = await enqueue(t, {
      template: 'applicant.correction',
      to: { emails: ['Zhang.San@Example.cn'], users: ['jj_window'] },
      vars: { caseNo: 'SQ-2026-0042', applicantName: '张三', materials: ['户口簿复印件', '近 12 个月收入证明（加盖公章）'], deadline: '2026-10-15', office: '锦官驿街道办事处' },
    });
    expect(r.queued).toHaveLength(2);
    expect(await sendDue(t)).toBe(2);

    expect(smtp.received.map((m) => m.rcptTo[0]).sort()).toEqual(['jj_window@example.cn', 'zhang.san@example.cn']);
    const rows = await outboxRows(t);
    for (const m of smtp.received) {
      expect(m.parsed.subject).toBe('【安居】申请材料补正通知（SQ-2026-0042）');
      expect(m.parsed.text).toContain('1. 户口簿复印件\n2. 近 12 个月收入证明（加盖公章）');
      expect(m.parsed.text).toContain('请于 2026年10月15日 前向锦官驿街道办事处补齐上述材料');
      expect(m.parsed.html).toContain('<p>张三：</p>');
      expect(m.parsed.from?.value[0]).toMatchObject({ name: '安居住房保障', address: 'noreply@anju.local' });
      expect(m.parsed.headers.get('x-anju-template')).toBe('applicant.correction');
      // the header is 7-bit on the wire (RFC 2047), never raw UTF-8 bytes
      expect(m.raw).toMatch(/^Subject: =\?UTF-8\?/m);
      const row = rows.find((x) => x.to_address === m.rcptTo[0])!;
      expect(m.parsed.messageId).toBe(`<${row.id}@anju.local>`);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, delivered_via: 'smtp', message_id: m.parsed.messageId });
    }
  });

  it('retries an outage with backoff, raises an incident after the last attempt, and a retry delivers exactly one mail', async () => {
    await smtp.stop();
    const { queued } = await enqueue(t, { template: 'task.overdue', to: { emails: ['cd.city@example.cn'] }, vars: { taskName: '市级复核', dueAt: '2026-09-23T23:59:59.999+08:00', businessKey: 'SQ-2026-0007' } });
    const id = queued[0];

    expect(await sendDue(t)).toBe(1);
    let [row] = await outboxRows(t, 'id = $1', [id]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    const now = t.app.get(Clock).now().getTime();
    expect(row.next_attempt_at.getTime() - now).toBe(60 * SECOND);

    expect(await sendDue(t)).toBe(0); // not due before its backoff ends
    advance(60 * SECOND);
    expect(await sendDue(t)).toBe(1);
    [row] = await outboxRows(t, 'id = $1', [id]);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.next_attempt_at.getTime() - t.app.get(Clock).now().getTime()).toBe(120 * SECOND); // doubled

    advance(119 * SECOND);
    expect(await sendDue(t)).toBe(0);
    advance(1 * SECOND);
    expect(await sendDue(t)).toBe(1);
    [row] = await outboxRows(t, 'id = $1', [id]);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    advance(3600 * SECOND);
    expect(await sendDue(t)).toBe(0); // failed mail waits for an operator

    // the operator sees it among the incidents and in the failed outbox
    const admin = await loginAs(t, 'sys_admin');
    const incidents = (await request(t.http).get('/api/incidents').set(admin).expect(200)).body as { jobId: string; jobKind: string; message: string }[];
    const incident = incidents.find((i) => i.jobId === `mail-${id}`);
    expect(incident).toMatchObject({ jobKind: 'mail', elementId: 'task.overdue' });
    expect(incident!.message).toContain('task.overdue to cd***@example.cn failed after 3 attempts: ');
    expect(JSON.stringify(incidents)).not.toContain('cd.city@example.cn');
    const failed = (await request(t.http).get('/api/mail/outbox?status=failed').set(admin).expect(200)).body as { id: string }[];
    expect(failed.map((m) => m.id)).toContain(id);
    // a caseworker may not
    await request(t.http).get('/api/mail/outbox?status=failed').set(await loginAs(t, 'jj_window')).expect(403);

    expect(smtp.received).toHaveLength(0);
    await smtp.start(); // the server is back, on the same port
    const retried = await request(t.http).post(`/api/jobs/mail-${id}/retry`).set(admin).expect(200);
    expect(retried.body.jobId).toBe(`mail-${id}`);
    await request(t.http).post(`/api/jobs/mail-${id}/retry`).set(admin).expect(409); // no longer failed
    expect(await sendDue(t)).toBe(1);
    expect(await sendDue(t)).toBe(0);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].parsed.messageId).toBe(`<${id}@anju.local>`);
    expect(smtp.received[0].parsed.subject).toBe('【安居】任务已超期：市级复核');
    [row] = await outboxRows(t, 'id = $1', [id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    const after = (await request(t.http).get('/api/incidents').set(admin).expect(200)).body as { jobId: string }[];
    expect(after.map((i) => i.jobId)).not.toContain(`mail-${id}`);
    await request(t.http).post('/api/mail/outbox/00000000-0000-4000-8000-000000000000/retry').set(admin).expect(404);
    await request(t.http).post('/api/jobs/mail-not-a-uuid/retry').set(admin).expect(404);
  });

  it('hands a mail whose node died mid-send to another node when the lease ends, with the same Message-ID', async () => {
    const { queued } = await enqueue(t, { template: 'task.assigned', to: { emails: ['jj.county@example.cn'] }, vars: { taskName: '区县审核' } });
    // a node claims it and dies before sending or marking it
    const now = t.app.get(Clock).now();
    await t.ds.query(`UPDATE notify_outbox SET locked_by = 'dead-node', locked_until = $2, attempts = 1 WHERE id = $1`, [queued[0], new Date(now.getTime() + 300 * SECOND)]);
    expect(await sendDue(t)).toBe(0); // still leased
    advance(301 * SECOND);
    expect(await sendDue(t)).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].parsed.messageId).toBe(`<${queued[0]}@anju.local>`);
    const [row] = await outboxRows(t, 'id = $1', [queued[0]]);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(t.app.get(MailSender).node).not.toBe('dead-node');
  });

  it('writes the outbox row in the caller’s transaction: it rolls back with the change that caused it', async () => {
    const before = (await outboxRows(t)).length;
    await expect(
      t.app.get(DataSource).transaction(async (em) => {
        await t.app.get(NotifyService).enqueue(em, { template: 'task.assigned', to: { emails: ['rollback@example.cn'] }, vars: { taskName: '审核' } });
        expect((await em.query(`SELECT count(*)::int AS n FROM notify_outbox WHERE to_address = 'rollback@example.cn'`))[0].n).toBe(1);
        throw new Error('the domain change failed');
      }),
    ).rejects.toThrow('the domain change failed');
    expect(await outboxRows(t)).toHaveLength(before);
    expect(await sendDue(t)).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });
});
