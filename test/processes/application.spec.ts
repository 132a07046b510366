import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { deploy, setNow } from '../support/engine';
import { AuthService } from '../../src/identity';
import { TaskDeadlineScan } from '../../src/tasks/notifications';
import { ServiceHandlerRegistry } from '../../src/engine';
import { bearer, findPlaintextPersonalData, loginAs } from '../support/identity';
import { APPROVE, NOW, application, applicationBody, at, mailbox, person, processOf, queue, reviews, settle, submit, work, workingDays } from './support';

/**
 * processes/application.bpmn (housing_application), 三级审核两级公示, walked through by the demo
 * users of the right roles and regions with the clock moved, never slept: the street (jgy_street,
 * 锦官驿街道), the county (jj_county, 锦江区), the city (cd_city, 成都市), the applicant online
 * (applicant_zhang) or at the window (jj_window). What is asserted is what they would check: their
 * queues, the case's status and history, the mail in their mailbox, the case's recorded reviews.
 */
describe('housing application (processes/application.bpmn)', () => {
  let t: TestApp;
  const applicants = new Map<string, string>();
  /** A fresh session (the clock moves by weeks): a demo user, or an applicant account made by the test. */
  const as = async (username: string) =>
    applicants.has(username) ? bearer((await t.app.get(AuthService).login(username, applicants.get(username)!, { ip: '127.0.0.1', userAgent: 'test' })).accessToken) : loginAs(t, username);
  /** An applicant's own account (with a mail address), so the process's letters reach their mailbox. */
  const account = async (username: string, idNumber: string) => {
    await request(t.http).post('/api/users').set(await loginAs(t, 'sys_admin'))
      .send({ username, kind: 'applicant', password: 'Applicant-pass-2026', idNumber, email: `${username}@example.cn` }).expect(201);
    applicants.set(username, 'Applicant-pass-2026');
  };
  const events = async (instanceId: string) =>
    (await request(t.http).get(`/api/process-instances/${instanceId}/history`).set(await as('sc_modeler')).expect(200)).body as { type: string; elementId: string | null }[];
  const statuses = async (id: string) => (await application(t, await as('jj_county'), id)).statusHistory.map((h) => h.to);
  const subjects = async (username: string) => (await mailbox(t, await as(username))).map((m) => m.subject);

  beforeAll(async () => {
    t = await createTestApp();
    setNow(t, NOW);
  });
  afterAll(() => t?.close());

  describe('the happy path: online, every level passes, onto the waiting list', () => {
    let app: { id: string; caseNumber: string };

    it('is received the same day: accepted, compared online with every department, judged by the standards, and queued for the street', async () => {
      app = await submit(t, await as('applicant_zhang'), applicationBody());
      expect(app.caseNumber).toMatch(/^SQ-510104-2026-\d{6}$/);
      await settle(t);
      expect(await statuses(app.id)).toEqual(['submitted', 'accepted', 'data_comparison', 'street_review']);
      expect(await subjects('applicant_zhang')).toEqual([`【安居】您的住房保障申请已受理（${app.caseNumber}）`]);
      const [task] = await queue(t, await as('jgy_street'), app.caseNumber);
      // the region's 15 working days from the day it was accepted (the 31st of March), to 24:00 China time
      const due = await workingDays(t, await as('jgy_street'), '2026-03-10', 15);
      expect(due.due).toBe('2026-03-31');
      expect(task).toMatchObject({ name: '社区入户调查及街道初审', candidateGroups: ['street_reviewer:510104017'], dueAt: due.dueAt, processKey: 'housing_application' });
      const form = await request(t.http).get(`/api/tasks/${task.id}/form`).set(await as('jgy_street')).expect(200);
      expect(form.body.formId).toBe('application-street-review');
      expect(form.body.data.checkSummary).toContain('民政：一致');
      expect(form.body.data.eligibilitySummary).toMatch(/^成都市公租房准入标准（2026年起）（housingEligibility 第1版）：符合/);
      const r = await reviews(t, await as('jgy_street'), app.id);
      expect(r.eligibility).toEqual([expect.objectContaining({ decisionKey: 'housingEligibility', decisionVersion: 1, eligible: true, findings: [] })]);
      // a Deyang window sees nothing of it in its queue
      expect(await queue(t, await as('dy_window'), app.caseNumber)).toEqual([]);
      // the periods came from the region's parameters (the province-wide defaults here)
      const periods = await request(t.http).get('/api/applications/periods/510104017').set(await as('jgy_street')).expect(200);
      expect(periods.body.inForce).toMatchObject({ regionCode: '510000', streetReviewDays: 15, countyReviewDays: 15, cityReviewDays: 7, departmentCheckDays: 5, departmentReminderDays: 3 });
      expect((await request(t.http).get('/api/applications/periods/999999').set(await as('jgy_street')).expect(404)).body.code).toBe('REGION_UNKNOWN');
    });

    it('the county hands the street task to its reviewer, who is mailed; the street passes it: 公示 #1 runs 7 working days, the applicant is told', async () => {
      const [task] = await queue(t, await as('jgy_street'), app.caseNumber);
      await request(t.http).post(`/api/tasks/${task.id}/assign`).set(await as('jj_county')).send({ assignee: 'jgy_street' }).expect(200);
      await settle(t);
      const assigned = (await mailbox(t, await as('jgy_street'))).find((m) => m.subject === '【安居】新任务：社区入户调查及街道初审')!;
      expect(assigned.text).toContain('jj_county将任务“社区入户调查及街道初审”分派给您');
      await work(t, await as('jgy_street'), app.caseNumber, '社区入户调查及街道初审', APPROVE('street'));
      expect((await application(t, await as('applicant_zhang'), app.id)).status).toBe('publicity_first');
      const notices = await request(t.http).get('/api/public/notices?region=510104').set('x-test-anonymous', '1').expect(200);
      const notice = notices.body.items.find((n: { content: { name: string } }) => n.content.name === '张*');
      expect(notice).toMatchObject({ round: 1, startsOn: '2026-03-10', endsOn: '2026-03-19', regionCode: '510104017' });
      expect(await subjects('applicant_zhang')).toContain(`【安居】住房保障申请公示通知（${app.caseNumber}）`);
    });

    it('after 公示 the county reviews with the joint review: every department matched online, so none has a task', async () => {
      await at(t, '2026-03-20T09:00:00+08:00');
      expect((await application(t, await as('jj_county'), app.id)).status).toBe('county_review');
      const [task] = await queue(t, await as('jj_county'), app.caseNumber);
      expect(task).toMatchObject({ name: '区县审核', candidateGroups: ['county_reviewer:510104'] });
      const departments = (await reviews(t, await as('jj_county'), app.id)).reviews.filter((x) => x.stage === 'department_review');
      expect(departments.map((d) => [d.department, d.outcome])).toEqual(
        ['公安', '民政', '自然资源', '市场监管', '人社', '税务', '公积金'].map((d) => [d, 'consistent']),
      );
      expect(departments.every((d) => d.decidedBy.startsWith('process:'))).toBe(true);
      const form = await request(t.http).get(`/api/tasks/${task.id}/form`).set(await as('jj_county')).expect(200);
      expect(form.body.data.jointReviewText).toContain('民政：核实一致——线上数据比对一致（系统比对）');
      expect(await queue(t, await as('jj_mz_checker'), app.caseNumber)).toEqual([]);
    });

    it('the county and the city pass it; after 公示 #2 it is approved and the household joins the waiting list', async () => {
      await work(t, await as('jj_county'), app.caseNumber, '区县审核', APPROVE('county'));
      const [city] = await queue(t, await as('cd_city'), app.caseNumber);
      expect(city).toMatchObject({ name: '市级复核', candidateGroups: ['city_reviewer:510100'] });
      await work(t, await as('cd_city'), app.caseNumber, '市级复核', APPROVE('city'));
      expect((await application(t, await as('cd_city'), app.id)).status).toBe('publicity_second');
      await at(t, '2026-04-03T09:00:00+08:00');
      expect(await statuses(app.id)).toEqual([
        'submitted', 'accepted', 'data_comparison', 'street_review', 'publicity_first', 'county_review', 'city_review', 'publicity_second', 'approved',
      ]);
      const r = await reviews(t, await as('applicant_zhang'), app.id);
      expect(r.reviews.filter((x) => x.stage !== 'department_review').map((x) => [x.stage, x.outcome, x.decidedBy])).toEqual([
        ['street_review', 'approve', 'jgy_street'],
        ['county_review', 'approve', 'jj_county'],
        ['city_review', 'approve', 'cd_city'],
        ['decision', 'approved', expect.stringMatching(/^process:/)],
      ]);
      expect(r.reviews.at(-1)!.guarantee).toBe('waiting_list');
      const mine = await request(t.http).get('/api/waiting-list/me').set(await as('applicant_zhang')).expect(200);
      expect(mine.body.entries).toEqual([expect.objectContaining({ caseNumber: app.caseNumber, status: 'waiting', position: 1 })]);
      const mail = await mailbox(t, await as('applicant_zhang'));
      expect(mail.map((m) => m.subject).sort()).toEqual(
        [
          `【安居】您的住房保障申请已受理（${app.caseNumber}）`,
          `【安居】住房保障申请公示通知（${app.caseNumber}）`,
          `【安居】住房保障申请公示通知（${app.caseNumber}）`,
          `【安居】住房保障申请审核通过决定（${app.caseNumber}）`,
        ].sort(),
      );
      expect(mail.find((m) => m.subject.includes('审核通过决定'))!.text).toContain('纳入公共租赁住房（保障性租赁住房）轮候库');
      const [inst] = await processOf(t, app.caseNumber);
      expect(inst.status).toBe('completed');
      const trail = await events(inst.id);
      expect(trail.filter((e) => e.type === 'task-completed').map((e) => e.elementId)).toEqual(['UserTask_StreetReview', 'UserTask_CountyReview', 'UserTask_CityReview']);
    });
  });

  describe('补正 and withdrawal: one notice listing everything missing pauses the clock; the applicant withdraws during the county review', () => {
    let app: { id: string; caseNumber: string };

    it('an incomplete application gets one notice naming every missing material, and its statutory clock stops', async () => {
      setNow(t, '2026-04-07T10:00:00+08:00');
      const chen = person('chen');
      await account('applicant_chen', chen.idNumber);
      const body = applicationBody({ members: [['chen', 0]], category: 'dibao', channel: 'window', withoutMaterials: ['household_register', 'income_statement'] });
      app = await submit(t, await as('jj_window'), body);
      await settle(t);
      expect(await statuses(app.id)).toEqual(['submitted', 'correction_requested']);
      const mail = await mailbox(t, await as('applicant_chen'));
      // one notice, listing everything missing
      expect(mail).toHaveLength(1);
      const [notice] = mail;
      expect(notice.subject).toBe(`【安居】申请材料补正通知（${app.caseNumber}）`);
      expect(notice.text).toContain('1. 户口簿');
      expect(notice.text).toContain('2. 家庭收入情况声明');
      const [inst] = await processOf(t, app.caseNumber);
      const view = await request(t.http).get(`/api/process-instances/${inst.id}`).set(await as('sc_modeler')).expect(200);
      expect(view.body.clock.status).toBe('paused');
      // the applicant cannot move on without everything: one of two is not enough
      const partial = await request(t.http).post(`/api/applications/${app.id}/materials`).set(await as('applicant_chen'))
        .send({ materials: [{ kind: 'household_register', reference: 'doc:test/hukou', sha256: 'a'.repeat(64) }] }).expect(200);
      expect(partial.body).toMatchObject({ status: 'correction_requested', missingMaterials: [expect.objectContaining({ kind: 'income_statement' })] });
    });

    it('the missing material arrives five working days later: the clock runs again with the days it had left, and the case is accepted', async () => {
      await at(t, '2026-04-14T10:00:00+08:00');
      await request(t.http).post(`/api/applications/${app.id}/materials`).set(await as('applicant_chen'))
        .send({ materials: [{ kind: 'income_statement', reference: 'doc:test/income', sha256: 'b'.repeat(64) }] }).expect(200);
      await settle(t);
      expect(await statuses(app.id)).toEqual(['submitted', 'correction_requested', 'accepted', 'data_comparison', 'street_review']);
      const [inst] = await processOf(t, app.caseNumber);
      const clock = (await request(t.http).get(`/api/process-instances/${inst.id}`).set(await as('sc_modeler')).expect(200)).body.clock;
      expect(clock.status).toBe('running');
      const due = async (from: string) =>
        (await request(t.http).get(`/api/calendar/working-days?from=${from}&n=60&region=510104017`).set(await as('jj_county')).expect(200)).body.dueAt as string;
      // the whole case has 60 working days; the 补正 (7 April to 14 April) did not count: its deadline kept its 60 days left
      expect(clock.pauses).toEqual([expect.objectContaining({ status: 'resumed', elementIds: ['Timer_CaseOverdue'], pauseElementId: 'ServiceTask_PauseClock', resumeElementId: 'ServiceTask_ResumeClock' })]);
      const [item] = clock.pauses[0].items;
      expect(item).toMatchObject({ elementId: 'Timer_CaseOverdue', remainingWorkingDays: 60 });
      expect(new Date(item.dueBefore).getTime()).toBe(new Date(await due('2026-04-07')).getTime());
      expect(new Date(item.dueAfter).getTime()).toBe(new Date(await due('2026-04-14')).getTime());
      const overdue = clock.deadlines.find((d: { elementId: string }) => d.elementId === 'Timer_CaseOverdue');
      expect(overdue.dueAt).toBe(item.dueAfter);
      expect(await subjects('applicant_chen')).toContain(`【安居】您的住房保障申请已受理（${app.caseNumber}）`);
    });

    it('in the county review the departments without data on her get their tasks; she withdraws: the case closes and every open task is cancelled', async () => {
      await work(t, await as('jgy_street'), app.caseNumber, '社区入户调查及街道初审', APPROVE('street'));
      await at(t, '2026-04-24T09:00:00+08:00');
      expect((await application(t, await as('jj_county'), app.id)).status).toBe('county_review');
      const open = await request(t.http).get(`/api/tasks?businessKey=${app.caseNumber}&processKey=department_review`).set(await as('sc_modeler')).expect(200);
      expect(open.body.items.map((x: { candidateGroups: string[] }) => x.candidateGroups[0]).sort()).toEqual([
        'department_checker:人社:510104', 'department_checker:公积金:510104', 'department_checker:税务:510104',
      ]);
      const withdrawn = await request(t.http).post(`/api/applications/${app.id}/withdraw`).set(await as('applicant_chen')).send({ reason: '已租到合适的房屋' }).expect(200);
      expect(withdrawn.body.status).toBe('withdrawn');
      await settle(t);
      expect((await application(t, await as('jj_county'), app.id)).statusHistory.at(-1)).toMatchObject({ to: 'withdrawn', changedBy: 'applicant_chen', reason: '申请人撤回申请：已租到合适的房屋' });
      const all = await request(t.http).get(`/api/tasks?businessKey=${app.caseNumber}&status=all`).set(await as('sc_modeler')).expect(200);
      expect(all.body.items.filter((x: { status: string }) => x.status === 'open')).toEqual([]);
      expect(all.body.items.filter((x: { status: string }) => x.status === 'cancelled')).toHaveLength(3);
      const [inst] = await processOf(t, app.caseNumber);
      expect(inst.status).toBe('completed');
      expect((await events(inst.id)).some((e) => e.elementId === 'EndEvent_Withdrawn')).toBe(true);
      // withdrawing twice is refused
      const again = await request(t.http).post(`/api/applications/${app.id}/withdraw`).set(await as('applicant_chen')).send({ reason: '再次撤回' }).expect(409);
      expect(again.body.code).toBe('APPLICATION_NOT_WITHDRAWABLE');
    });
  });

  describe('an objection upheld during 公示 #1: refusal with reasons, then 复核', () => {
    let app: { id: string; caseNumber: string };

    it('an objection starts its own verification, queued for the street; the notice ends while it runs and the case waits for it', async () => {
      setNow(t, '2026-05-11T10:00:00+08:00');
      await account('applicant_wang', person('wang').idNumber);
      app = await submit(t, await as('applicant_wang'), applicationBody({ members: [['wang', 0]], category: 'lower_middle_income' }));
      await settle(t);
      await work(t, await as('jgy_street'), app.caseNumber, '社区入户调查及街道初审', APPROVE('street'));
      const notices = await request(t.http).get('/api/public/notices?region=510104').set('x-test-anonymous', '1').expect(200);
      const notice = notices.body.items.find((n: { content: { name: string } }) => n.content.name === '王**');
      await request(t.http).post(`/api/public/notices/${notice.id}/objections`).set('x-test-anonymous', '1').send({ content: '该户在武侯区另有住房一套' }).expect(201);
      const [verify] = await queue(t, await as('jgy_street'), app.caseNumber);
      expect(verify).toMatchObject({ name: '异议核查', processKey: 'objection_verification', candidateGroups: ['street_reviewer:510104017'] });
      await at(t, '2026-05-21T09:00:00+08:00');
      expect((await application(t, await as('jj_county'), app.id)).status).toBe('publicity_first');
      const [inst] = await processOf(t, app.caseNumber);
      expect(inst.waiting.map((w) => w.elementId)).toEqual(expect.arrayContaining(['Event_ObjectionVerifiedFirst']));
    });

    it('the street upholds it: the case is refused with the reason and the 复核 deadline, in a letter', async () => {
      await work(t, await as('jgy_street'), app.caseNumber, '异议核查', { verificationOutcome: 'upheld', verificationReasons: '经不动产登记查询，该户在武侯区有住房一套' });
      expect((await application(t, await as('applicant_wang'), app.id)).status).toBe('rejected');
      const [decision] = await reviews(t, await as('jj_county'), app.id).then((r) => r.reviews.filter((x) => x.stage === 'decision'));
      // 复核 may be asked within the region's 15 working days from the decision
      const deadline = await workingDays(t, await as('jj_county'), '2026-05-21', 15);
      expect(decision).toMatchObject({ outcome: 'rejected', reasons: ['公示期间异议经核查成立：经不动产登记查询，该户在武侯区有住房一套'], appealDeadline: deadline.due });
      const letter = (await mailbox(t, await as('applicant_wang'))).find((m) => m.subject === `【安居】住房保障申请未予通过决定（${app.caseNumber}）`)!;
      expect(letter.text).toContain('1. 公示期间异议经核查成立：经不动产登记查询，该户在武侯区有住房一套');
      const [y, m, d] = deadline.due.split('-').map(Number);
      expect(letter.text).toContain(`${y}年${m}月${d}日`);
    });

    it('the applicant asks for 复核; the county answers within 15 working days and maintains the refusal', async () => {
      await at(t, '2026-05-25T10:00:00+08:00');
      await request(t.http).post(`/api/applications/${app.id}/appeal`).set(await as('applicant_wang')).send({ reason: '该住房已于去年出售' }).expect(200);
      await settle(t);
      expect((await application(t, await as('jj_county'), app.id)).status).toBe('appeal');
      const [task] = await queue(t, await as('jj_county'), app.caseNumber);
      // answered within 15 working days of the request (Order 11, art. 9)
      expect(task).toMatchObject({ name: '复核（15个工作日内答复）', dueAt: (await workingDays(t, await as('jj_county'), '2026-05-25', 15)).dueAt });
      const form = await request(t.http).get(`/api/tasks/${task.id}/form`).set(await as('jj_county')).expect(200);
      expect(form.body.data).toMatchObject({ appealReasonText: '该住房已于去年出售', refusalText: expect.stringContaining('武侯区有住房一套') });
      await work(t, await as('jj_county'), app.caseNumber, '复核（15个工作日内答复）', { appealOutcome: 'maintain', appealReason: '不动产登记显示该住房仍在申请人名下' });
      expect(await statuses(app.id)).toEqual(['submitted', 'accepted', 'data_comparison', 'street_review', 'publicity_first', 'rejected', 'appeal', 'rejected']);
      const last = (await reviews(t, await as('jj_county'), app.id)).reviews.at(-1)!;
      expect(last).toMatchObject({ stage: 'appeal_review', outcome: 'maintained', decidedBy: 'jj_county' });
      const letters = (await mailbox(t, await as('applicant_wang'))).filter((m) => m.subject === `【安居】住房保障申请未予通过决定（${app.caseNumber}）`);
      expect(letters).toHaveLength(2);
      expect(letters.some((m) => m.text.includes('复核维持原决定：不动产登记显示该住房仍在申请人名下'))).toBe(true);
      // one 复核 per refusal
      expect((await request(t.http).post(`/api/applications/${app.id}/appeal`).set(await as('applicant_wang')).send({ reason: '再次申请' }).expect(409)).body.code).toBe('APPEAL_NOT_OPEN');
    });
  });

  describe('a remote application (成德眉资) for a rental subsidy: a Deyang household reviewed by its target, Chengdu', () => {
    it('is numbered, queued, reviewed and published by 锦江区 and 成都市; Deyang staff see none of the work', async () => {
      setNow(t, '2026-06-01T10:00:00+08:00');
      const body = applicationBody({ type: 'prh_rental_subsidy', members: [['zhao', 0]], category: 'new_employee', channel: 'remote', regionCode: '510603', targetRegionCode: '510104017' });
      const app = await submit(t, await as('dy_window'), body);
      expect(app.caseNumber).toMatch(/^SQ-510104-2026-/);
      await settle(t);
      expect(await queue(t, await as('dy_window'), app.caseNumber)).toEqual([]);
      const eligibility = (await reviews(t, await as('jj_county'), app.id)).eligibility[0];
      // not a Chengdu hukou, but 24 months of social insurance: the residence condition is met; his income is over Chengdu's line
      expect(eligibility).toMatchObject({ eligible: false, facts: expect.objectContaining({ hukouLocal: false, insuranceMonths: 24 }) });
      expect(eligibility.findings.map((f) => f.code)).toEqual(['INCOME_OVER_LIMIT']);
      await work(t, await as('jgy_street'), app.caseNumber, '社区入户调查及街道初审', APPROVE('street'));
      const notices = await request(t.http).get('/api/public/notices?region=510104').set('x-test-anonymous', '1').expect(200);
      expect(notices.body.items.find((n: { content: { name: string } }) => n.content.name === '赵*')).toMatchObject({ regionCode: '510104017' });
      await at(t, '2026-06-11T09:00:00+08:00');
      await work(t, await as('jj_county'), app.caseNumber, '区县审核', APPROVE('county'));
      await work(t, await as('cd_city'), app.caseNumber, '市级复核', APPROVE('city'));
      await at(t, '2026-06-24T09:00:00+08:00');
      expect((await application(t, await as('cd_city'), app.id)).status).toBe('approved');
      // a rental subsidy: onto the subsidy roll, not the waiting list
      expect((await reviews(t, await as('cd_city'), app.id)).reviews.at(-1)).toMatchObject({ stage: 'decision', outcome: 'approved', guarantee: 'rental_subsidy' });
      const list = await request(t.http).get('/api/waiting-list?region=510104').set(await as('jj_county')).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(app.caseNumber);
      const tasks = await request(t.http).get(`/api/tasks?businessKey=${app.caseNumber}&status=completed`).set(await as('sc_modeler')).expect(200);
      expect(tasks.body.items.map((x: { candidateGroups: string[] }) => x.candidateGroups[0]).sort()).toEqual(['city_reviewer:510100', 'county_reviewer:510104', 'street_reviewer:510104017']);
      // the Deyang window that filed it cannot see the case's tasks at all
      const anyTask = tasks.body.items[0].id;
      await request(t.http).get(`/api/tasks/${anyTask}`).set(await as('dy_window')).expect(404);
    });
  });

  describe('standards change between two applications: each is judged by its own version of the decision', () => {
    let first: { id: string; caseNumber: string };

    it('v1 judges the first, the policy team deploys v2 with a higher income line, v2 judges the second (under the county\'s new street period); a person still reviews both', async () => {
      setNow(t, '2026-07-01T10:00:00+08:00');
      first = await submit(t, await as('jj_window'), applicationBody({ members: [['zhou', 0]], channel: 'window' }));
      await settle(t);
      const dmn = readFileSync(join(__dirname, '../../processes/eligibility.dmn'), 'utf8').replace(
        '<outputEntry id="OE_CdPrh26_Income"><text>3000</text></outputEntry>',
        '<outputEntry id="OE_CdPrh26_Income"><text>4500</text></outputEntry>',
      );
      const deployed = await deploy(t, { 'eligibility.dmn': dmn }).set(await as('sc_modeler')).expect(201);
      expect(deployed.body.decisions.find((d: { key: string }) => d.key === 'housingEligibilityStandards')).toMatchObject({ version: 2, created: true });
      // 锦江区 shortens its street review to 10 working days from today: a parameter of the region, versioned like the standards
      const periods = { regionCode: '510104', effectiveFrom: '2026-07-01', correctionDays: 15, streetReviewDays: 10, countyReviewDays: 15, cityReviewDays: 7, departmentCheckDays: 5, departmentReminderDays: 3, departmentEscalationDays: 3, appealRequestDays: 15, appealReviewDays: 15, caseDays: 60, source: '锦住建发〔2026〕7号' };
      await request(t.http).post('/api/applications/periods').set(await as('sc_modeler')).send({ ...periods, effectiveFrom: '2026-06-30' }).expect(400);
      await request(t.http).post('/api/applications/periods').set(await as('sc_modeler')).send(periods).expect(201);
      await request(t.http).post('/api/applications/periods').set(await as('jj_county')).send(periods).expect(403);
      const second = await submit(t, await as('jj_window'), applicationBody({ members: [['huang', 0]], category: 'low_income', channel: 'window' }));
      await settle(t);
      const [firstTask] = await queue(t, await as('jgy_street'), first.caseNumber);
      const [secondTask] = await queue(t, await as('jgy_street'), second.caseNumber);
      expect(firstTask.dueAt).toBe((await workingDays(t, await as('jgy_street'), '2026-07-01', 15)).dueAt);
      expect(secondTask.dueAt).toBe((await workingDays(t, await as('jgy_street'), '2026-07-01', 10)).dueAt);
      const a = (await reviews(t, await as('jj_county'), first.id)).eligibility;
      const b = (await reviews(t, await as('jj_county'), second.id)).eligibility;
      // 周敏 declares 3,200 a month: over v1's 3,000; 黄丽 4,000: under v2's 4,500
      expect(a).toEqual([expect.objectContaining({ decisionVersion: 1, eligible: false, findings: [expect.objectContaining({ code: 'INCOME_OVER_LIMIT' })] })]);
      expect(b).toEqual([expect.objectContaining({ decisionVersion: 2, eligible: true, findings: [] })]);
      // not eligible by the standards is not a refusal: the street reviewer sees it and decides
      const [task] = await queue(t, await as('jgy_street'), first.caseNumber);
      const form = await request(t.http).get(`/api/tasks/${task.id}/form`).set(await as('jgy_street')).expect(200);
      expect(form.body.data.eligibilitySummary).toContain('第1版）：不符合\n1. 家庭人均月收入超过准入标准');
      expect((await application(t, await as('jj_county'), first.id)).status).toBe('street_review');
    });

    it('a service task that runs twice (a job retried after a crash) records once', async () => {
      const [inst] = await processOf(t, first.caseNumber);
      const registry = t.app.get(ServiceHandlerRegistry);
      const ctx = (elementId: string, inputs: Record<string, unknown>) => ({
        processInstanceId: inst.id, processKey: 'housing_application', businessKey: first.caseNumber, elementId, executionId: `${elementId}_retry`,
        idempotencyKey: `${inst.id}:${elementId}_retry`, attempt: 2, variables: (inst as unknown as { variables: Record<string, unknown> }).variables, inputs,
      });
      const before = await reviews(t, await as('jj_county'), first.id);
      const judged = ctx('ServiceTask_RecordEligibility', { eligibility: { eligible: false, findings: [], standards: null }, decision: { ...before.eligibility[0], key: 'housingEligibility', version: 1, matchedRules: [] } });
      const reviewed = ctx('ServiceTask_RecordStreet', { stage: 'street_review', taskElementId: 'UserTask_StreetReview', decision: 'reject', reason: '重复运行' });
      for (let i = 0; i < 2; i++) {
        await registry.get('application.recordEligibility')!(judged);
        await registry.get('application.recordReview')!(reviewed);
      }
      const after = await reviews(t, await as('jj_county'), first.id);
      expect(after.eligibility).toHaveLength(before.eligibility.length + 1);
      expect(after.reviews).toHaveLength(before.reviews.length + 1);
      expect(after.reviews.at(-1)).toMatchObject({ stage: 'street_review', outcome: 'reject', reasons: ['重复运行'] });
    });

    it('street reviews left past their 15 working days: the street reviewers get the overdue mail, once', async () => {
      const due = await workingDays(t, await as('jgy_street'), '2026-07-01', 15);
      setNow(t, new Date(new Date(due.dueAt).getTime() + 3_600_000).toISOString());
      const scan = t.app.get(TaskDeadlineScan);
      expect(await scan.scan()).toMatchObject({ overdue: 2 });
      await settle(t);
      const overdue = (await mailbox(t, await as('jgy_street'))).filter((m) => m.subject === '【安居】任务已超期：社区入户调查及街道初审');
      expect(overdue).toHaveLength(2);
      setNow(t, new Date(new Date(due.dueAt).getTime() + 7_200_000).toISOString());
      expect(await scan.scan()).toMatchObject({ overdue: 0 });
    });
  });

  describe('personal data', () => {
    it('keeps none in clear anywhere: process variables, tasks and mail carry masked names only', async () => {
      expect(await findPlaintextPersonalData(t, ['张三', '陈秀英', '王建国', '赵磊', '周敏', '黄丽'])).toEqual([]);
    });
  });
});
