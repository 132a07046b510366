import { Test } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AdjustableClock, Clock } from '../../src/common';
import { loadConfig } from '../../src/config';
import { IdentitySeeder } from '../../src/identity';
import { MailSender } from '../../src/notify';
import { TaskDeadlineScan, TaskDigest, TaskMail } from '../../src/tasks/notifications';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, openTasks, setNow, start } from '../support/engine';
import { outboxRows } from './support';

const NS = `xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test"`;

/** One user task whose group, assignee and due time come from variables. */
const REVIEW_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_TaskMail" ${NS}>
  <process id="task-mail" name="任务提醒" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="UserTask_Review" />
    <userTask id="UserTask_Review" name="区县审核" camunda:candidateGroups="\${group}" camunda:assignee="\${assignee}" camunda:dueDate="\${dueAt}" />
    <sequenceFlow id="F2" sourceRef="UserTask_Review" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

const PG = !!process.env.TEST_DATABASE_URL;
const noTest = (() => undefined) as unknown as jest.It;

/**
 * Task mail: "assigned to you" from the tasks service, "due soon" (by the end of the next working
 * day on the official calendar) and "overdue" once per task from the scan, and the daily digest
 * once per user and day, whichever node runs it.
 */
describe('task mail', () => {
  let t: TestApp;
  const task: Record<string, { id: string; name: string; businessKey: string | null; assignee: string | null; dueAt: string | null }> = {};

  async function startReview(key: string, vars: { group?: string; assignee?: string | null; dueAt?: string | null }) {
    const inst = await start(t, 'task-mail', { businessKey: key, variables: { group: 'county_reviewer:510104', assignee: null, dueAt: null, ...vars } });
    const [row] = await openTasks(t, inst.id);
    task[key] = { ...row, businessKey: key, assignee: (row as unknown as { assignee: string | null }).assignee };
  }

  beforeAll(async () => {
    t = await createEngineTestApp();
    for (const u of ['jj_window', 'jj_county', 'jgy_street']) await t.app.get(IdentitySeeder).ensureDemoUser(u);
    setNow(t, '2026-09-24T10:00:00+08:00'); // a Thursday
    await deploy(t, { 'task-mail.bpmn': REVIEW_BPMN }).expect(201);
    await startReview('A-DUE-MON', { dueAt: '2026-09-28T17:00:00+08:00' }); // Monday: due soon from Friday (the weekend does not count)
    await startReview('B-DUE-TUE', { dueAt: '2026-09-29T17:00:00+08:00', assignee: 'jj_window' });
    await startReview('C-OVERDUE', { dueAt: '2026-09-25T08:00:00+08:00' });
    await startReview('D-NO-DUE', {});
    await startReview('E-OTHER-GROUP', { dueAt: '2026-09-28T12:00:00+08:00', group: 'street_reviewer:510104017' });
  });
  afterAll(() => t?.close());

  const mails = async (template: string) =>
    (await outboxRows(t, 'template = $1', [template])).map((r) => `${r.to_address} ${/\b[A-E]-[A-Z-]+/.exec(r.text_body)?.[0] ?? ''}`).sort();
  const scan = () => t.app.get(TaskDeadlineScan).scan();

  it('"assigned to you" goes to the assignee once, and not when they took the task themselves', async () => {
    const mail = t.app.get(TaskMail);
    const b = task['B-DUE-TUE'];
    const first = await t.ds.transaction((em) => mail.assigned(em, b, { id: 'x', username: 'jj_county' }));
    expect(first?.queued).toHaveLength(1);
    expect((await t.ds.transaction((em) => mail.assigned(em, b, 'jj_county')))?.duplicates).toBe(1);
    expect(await t.ds.transaction((em) => mail.assigned(em, b, 'jj_window'))).toBeNull();
    const [row] = await outboxRows(t, `template = 'task.assigned'`);
    expect(row).toMatchObject({ to_address: 'jj_window@example.cn', subject: '【安居】新任务：区县审核' });
    expect(row.text_body).toContain('jj_county将任务“区县审核”分派给您。\n业务编号：B-DUE-TUE\n办理期限：2026年9月29日 17:00');
  });

  it('on a Friday: overdue and due-by-Monday tasks are mailed once to their assignee or group; later slots add nothing', async () => {
    setNow(t, '2026-09-25T09:00:00+08:00');
    expect(await scan()).toEqual({ overdue: 1, dueSoon: 2 }); // B (Tuesday) is not due within one working day
    expect(await scan()).toBeNull(); // this slot has run
    expect(await mails('task.overdue')).toEqual(['jj_county@example.cn C-OVERDUE']);
    expect(await mails('task.due-soon')).toEqual(['jgy_street@example.cn E-OTHER-GROUP', 'jj_county@example.cn A-DUE-MON']);
    const [due] = await outboxRows(t, `template = 'task.due-soon' AND to_address = 'jj_county@example.cn'`);
    expect(due.text_body).toContain('任务“区县审核”将于 2026年9月28日 17:00 到期');

    setNow(t, '2026-09-25T09:05:00+08:00');
    expect(await scan()).toEqual({ overdue: 0, dueSoon: 0 });
  });

  it('on Monday morning the digest lists each user’s queue once; on Monday the Tuesday task is due soon; at evening A is overdue', async () => {
    setNow(t, '2026-09-28T07:59:00+08:00');
    expect(await t.app.get(TaskDigest).run()).toBeNull(); // before 08:00
    setNow(t, '2026-09-28T08:00:00+08:00');
    // two runs at once (as two nodes would): one sends, the other finds the slot taken
    const runs = await Promise.all([t.app.get(TaskDigest).run(), t.app.get(TaskDigest).run()]);
    expect(runs.filter((r) => r !== null)).toEqual([{ date: '2026-09-28', users: 3 }]);
    const digests = await outboxRows(t, `template = 'task.digest'`);
    expect(digests.map((d) => [d.to_address, d.subject])).toEqual(
      expect.arrayContaining([
        ['jj_county@example.cn', '【安居】2026年9月28日 待办提醒：1 件超期，1 件即将到期'],
        ['jj_window@example.cn', '【安居】2026年9月28日 待办提醒：0 件超期，1 件即将到期'],
        ['jgy_street@example.cn', '【安居】2026年9月28日 待办提醒：0 件超期，1 件即将到期'],
      ]),
    );
    expect(digests).toHaveLength(3);
    const county = digests.find((d) => d.to_address === 'jj_county@example.cn')!;
    expect(county.text_body).toContain('1. 【已超期】区县审核（C-OVERDUE），期限 2026年9月25日 08:00\n2. 【即将到期】区县审核（A-DUE-MON），期限 2026年9月28日 17:00');
    expect(county.dedupe_key).toMatch(/^task\.digest:[0-9a-f-]{36}:2026-09-28$/);

    setNow(t, '2026-09-28T09:00:00+08:00');
    expect(await scan()).toEqual({ overdue: 0, dueSoon: 1 });
    expect(await mails('task.due-soon')).toEqual(['jgy_street@example.cn E-OTHER-GROUP', 'jj_county@example.cn A-DUE-MON', 'jj_window@example.cn B-DUE-TUE']);
    setNow(t, '2026-09-28T18:00:00+08:00');
    expect(await scan()).toEqual({ overdue: 2, dueSoon: 0 }); // A and E
    expect(await mails('task.overdue')).toEqual(['jgy_street@example.cn E-OTHER-GROUP', 'jj_county@example.cn A-DUE-MON', 'jj_county@example.cn C-OVERDUE']);
  });

  it('sends no digest on a rest day', async () => {
    setNow(t, '2026-10-03T09:00:00+08:00'); // National Day holiday
    expect(await t.app.get(TaskDigest).run()).toBeNull();
    setNow(t, '2026-10-10T09:00:00+08:00'); // a make-up working Saturday
    expect(await t.app.get(TaskDigest).run()).toMatchObject({ date: '2026-10-10' });
  });

  // registered only under `npm run test:pg`: two application instances cannot share the embedded database
  (PG ? it : noTest)('PostgreSQL: two application instances on one database send one digest per user, and each mail once', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', JOB_EXECUTOR_ENABLED: 'false', ANJU_TEST_CLOCK: '1', DB_MIGRATIONS_RUN: 'false', ...t.db.env });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    const other: INestApplication = moduleRef.createNestApplication();
    await other.init();
    try {
      const at = new Date('2026-10-12T08:30:00+08:00');
      (t.app.get(Clock) as AdjustableClock).set(at);
      (other.get(Clock) as AdjustableClock).set(at);
      expect(other.get(DataSource)).not.toBe(t.ds);
      const runs = await Promise.all([t.app.get(TaskDigest).run(), other.get(TaskDigest).run(), t.app.get(TaskDigest).run(), other.get(TaskDigest).run()]);
      expect(runs.filter((r) => r !== null)).toEqual([{ date: '2026-10-12', users: 3 }]);
      expect(await outboxRows(t, `template = 'task.digest' AND dedupe_key LIKE '%:2026-10-12'`)).toHaveLength(3);
      // both senders drain the outbox at once: every row is delivered by exactly one of them
      const pending = (await outboxRows(t, `status = 'pending'`)).length;
      const sent = await Promise.all([t.app.get(MailSender).runDue(), other.get(MailSender).runDue()]);
      expect(sent[0] + sent[1]).toBe(pending);
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM notify_mailbox`);
      expect(n).toBe((await outboxRows(t, `status = 'sent'`)).length);
    } finally {
      await other.close();
    }
  });

  it('leaves tasks without a due time alone', async () => {
    const d = task['D-NO-DUE'];
    expect(await t.ds.query(`SELECT kind FROM user_task_deadline_mails WHERE task_id = $1`, [d.id])).toEqual([]);
    expect((await outboxRows(t)).filter((r) => r.text_body.includes('D-NO-DUE'))).toHaveLength(0);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM user_task_deadline_mails`))[0].n).toBe(6); // A and E twice, B and C once
  });
});
