import request from 'supertest';
import { ServiceHandlerRegistry, ServiceTaskContext } from '../../src/engine';
import { IdentitySeeder } from '../../src/identity';
import { TestApp, createEngineTestApp } from '../support/app';
import { advance, deploy, instance, openTasks, runDue, setNow, start } from '../support/engine';
import { outboxRows, sendDue } from './support';

const HOUR = 3600000;
const NS = `xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test"`;
const input = (name: string, value: string) => `<camunda:inputParameter name="${name}">${value}</camunda:inputParameter>`;
const io = (...params: string[]) => `<extensionElements><camunda:inputOutput>${params.join('')}</camunda:inputOutput></extensionElements>`;

/** 受理 by a service task, then 补正 by a send task: both bound to `notify`. */
const NOTICES_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_NotifyNotices" ${NS}>
  <process id="notify-notices" name="申请通知" isExecutable="true">
    <startEvent id="Start" name="收到申请" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="ServiceTask_Accepted" />
    <serviceTask id="ServiceTask_Accepted" name="发送受理通知" camunda:type="notify">
      ${io(input('template', 'applicant.accepted'), input('to', '${applicantEmail}'), input('caseNo', '${caseNo}'), input('acceptedAt', '${receivedOn}'), input('applicantName', '${applicantName}'))}
    </serviceTask>
    <sequenceFlow id="F2" sourceRef="ServiceTask_Accepted" targetRef="SendTask_Correction" />
    <sendTask id="SendTask_Correction" name="发送补正通知" camunda:type="notify">
      ${io(input('template', 'applicant.correction'), input('toEmails', '${applicantEmail}'), input('caseNo', '${caseNo}'), input('materials', '${missing}'), input('deadline', '${correctionDeadline}'))}
    </sendTask>
    <sequenceFlow id="F3" sourceRef="SendTask_Correction" targetRef="End" />
    <endEvent id="End" name="结束" />
  </process>
</definitions>`;

/** A review with a non-interrupting reminder after two hours: the reminder mails the group and the task stays open. */
const REMINDER_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_NotifyReminder" ${NS}>
  <process id="notify-reminder" name="审核提醒" isExecutable="true">
    <startEvent id="Start" name="开始" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="UserTask_Review" />
    <userTask id="UserTask_Review" name="区县审核" camunda:candidateGroups="county_reviewer:510104" />
    <boundaryEvent id="Timer_Remind" name="两小时提醒" attachedToRef="UserTask_Review" cancelActivity="false">
      <timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="F2" sourceRef="Timer_Remind" targetRef="ServiceTask_Remind" />
    <serviceTask id="ServiceTask_Remind" name="发送提醒" camunda:type="notify">
      ${io(input('template', 'task.due-soon'), input('toGroups', 'county_reviewer:510104'), input('taskName', '区县审核'), input('dueAt', '${dueAt}'))}
    </serviceTask>
    <sequenceFlow id="F3" sourceRef="ServiceTask_Remind" targetRef="EndReminded" />
    <endEvent id="EndReminded" name="已提醒" />
    <sequenceFlow id="F4" sourceRef="UserTask_Review" targetRef="EndDone" />
    <endEvent id="EndDone" name="审核完成" />
  </process>
</definitions>`;

const BROKEN_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_NotifyBroken" ${NS}>
  <process id="notify-broken" name="模板错误" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="ServiceTask_Broken" />
    <serviceTask id="ServiceTask_Broken" name="发送通知" camunda:type="notify">
      ${io(input('template', 'applicant.nope'), input('toEmails', 'a@example.cn'))}
    </serviceTask>
    <sequenceFlow id="F2" sourceRef="ServiceTask_Broken" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

describe('the notify service task', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-09-24T09:00:00+08:00');
    await t.app.get(IdentitySeeder).ensureDemoUser('jj_county');
    await deploy(t, { 'notices.bpmn': NOTICES_BPMN, 'reminder.bpmn': REMINDER_BPMN, 'broken.bpmn': BROKEN_BPMN }).expect(201);
  });
  afterAll(() => t?.close());

  it('sends 受理 from a service task and 补正 with the full list from a send task, with variables from the process', async () => {
    const inst = await start(t, 'notify-notices', {
      businessKey: 'SQ-2026-0001',
      variables: { applicantEmail: 'zhang.san@example.cn', applicantName: '张三', caseNo: 'SQ-2026-0001', receivedOn: '2026-09-24', missing: ['户口簿复印件', '收入证明'], correctionDeadline: '2026-10-15' },
    });
    await runDue(t);
    expect((await instance(t, inst.id)).status).toBe('completed');
    expect(await sendDue(t)).toBe(2);
    const rows = (await outboxRows(t, `to_address = 'zhang.san@example.cn'`)).sort((a, b) => a.template.localeCompare(b.template));
    expect(rows.map((r) => [r.template, r.subject, r.status])).toEqual([
      ['applicant.accepted', '【安居】您的住房保障申请已受理（SQ-2026-0001）', 'sent'],
      ['applicant.correction', '【安居】申请材料补正通知（SQ-2026-0001）', 'sent'],
    ]);
    expect(rows[0].text_body).toContain('张三：\n\n您于 2026年9月24日 提交的住房保障申请（受理编号 SQ-2026-0001）已受理');
    expect(rows[1].text_body).toContain('1. 户口簿复印件\n2. 收入证明');
    // the job's idempotency key is the dedupe key
    expect(rows[0].dedupe_key).toMatch(new RegExp(`^bpmn:${inst.id}:`));
  });

  it('queues nothing new when the job runs again with the same idempotency key', async () => {
    const handler = t.app.get(ServiceHandlerRegistry).get('notify')!;
    const ctx: ServiceTaskContext = {
      processInstanceId: '00000000-0000-4000-8000-000000000001',
      processKey: 'notify-notices',
      businessKey: 'SQ-2026-0002',
      elementId: 'ServiceTask_Accepted',
      executionId: 'ServiceTask_Accepted_1',
      idempotencyKey: '00000000-0000-4000-8000-000000000001:ServiceTask_Accepted_1',
      attempt: 1,
      variables: {},
      inputs: { template: 'applicant.accepted', to: 'li.si@example.cn', caseNo: 'SQ-2026-0002', acceptedAt: '2026-09-24' },
    };
    await handler(ctx);
    await handler({ ...ctx, attempt: 2 });
    expect(await outboxRows(t, `to_address = 'li.si@example.cn'`)).toHaveLength(1);
    expect(await sendDue(t)).toBe(1);
  });

  it('non-interrupting reminder: the timer fires, the candidate group gets the reminder, the task stays open', async () => {
    const inst = await start(t, 'notify-reminder', { businessKey: 'SQ-2026-0003', variables: { dueAt: '2026-09-25T23:59:59.999+08:00' } });
    const [task] = await openTasks(t, inst.id);
    advance(t, 2 * HOUR - 1000);
    await runDue(t);
    expect(await outboxRows(t, `template = 'task.due-soon'`)).toHaveLength(0);
    advance(t, 1000);
    await runDue(t);
    expect(await sendDue(t)).toBe(1);
    const [mail] = await outboxRows(t, `template = 'task.due-soon'`);
    expect(mail).toMatchObject({ to_address: 'jj_county@example.cn', status: 'sent', subject: '【安居】任务即将到期：区县审核' });
    expect(mail.text_body).toContain('将于 2026年9月25日 23:59 到期');
    expect(mail.text_body).toContain('业务编号：SQ-2026-0003');
    // the task is still there, still open, and can be completed
    expect((await openTasks(t, inst.id)).map((x) => x.id)).toEqual([task.id]);
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: {} }).expect(200);
    expect((await instance(t, inst.id)).status).toBe('completed');
  });

  it('an unknown template is an incident naming it, not a silent loss', async () => {
    const inst = await start(t, 'notify-broken', {});
    await runDue(t);
    advance(t, 10000);
    await runDue(t);
    advance(t, 20000);
    await runDue(t);
    const incidents = (await request(t.http).get(`/api/incidents?processInstanceId=${inst.id}`).expect(200)).body as { elementId: string; message: string }[];
    expect(incidents).toHaveLength(1);
    expect(incidents[0].elementId).toBe('ServiceTask_Broken');
    expect(incidents[0].message).toContain('No mail template "applicant.nope"');
    expect(await outboxRows(t, `to_address = 'a@example.cn'`)).toHaveLength(0);
  });
});
