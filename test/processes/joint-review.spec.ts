import request from 'supertest';
import { AuthService } from '../../src/identity';
import { TestApp, createTestApp } from '../support/app';
import { setNow } from '../support/engine';
import { bearer, loginAs } from '../support/identity';
import { APPROVE, NOW, application, applicationBody, at, mailbox, queue, reviews, settle, submit, work, workingDays } from './support';

/**
 * processes/joint-review.bpmn (joint_review) and department-review.bpmn (department_review): the
 * county review's joint review, one department review per department in parallel. A department
 * whose data matched online is done at once; a mismatch goes to that department's checkers of the
 * case's county (5 working days, a reminder at 3, escalation to the same department one level up
 * when the deadline passes). Driven through the real application process: 张三 declares a 低保
 * status that 民政 does not have on record, so only 民政 has work.
 */
describe('joint review (processes/joint-review.bpmn, department-review.bpmn)', () => {
  let t: TestApp;
  const passwords = new Map<string, string>();
  const as = async (username: string) =>
    passwords.has(username) ? bearer((await t.app.get(AuthService).login(username, passwords.get(username)!, { ip: '127.0.0.1', userAgent: 'test' })).accessToken) : loginAs(t, username);
  const subjects = async (username: string) => (await mailbox(t, await as(username))).map((m) => m.subject);

  /** Applies as 张三 declaring 低保, passes the street and 公示 #1, and returns when the county stage (and its joint review) has begun. */
  async function toCountyReview(submittedOn: string): Promise<{ id: string; caseNumber: string; countyStartedOn: string }> {
    setNow(t, `${submittedOn}T10:00:00+08:00`);
    const app = await submit(t, await as('applicant_zhang'), applicationBody({ declare: { assistanceStatus: 'dibao' } }));
    await settle(t);
    await work(t, await as('jgy_street'), app.caseNumber, '社区入户调查及街道初审', APPROVE('street'));
    const end = await workingDays(t, await as('jj_county'), submittedOn, 7);
    const countyStartedOn = (await workingDays(t, await as('jj_county'), end.due, 1)).due;
    await at(t, `${countyStartedOn}T09:00:00+08:00`);
    expect((await application(t, await as('jj_county'), app.id)).status).toBe('county_review');
    return { ...app, countyStartedOn };
  }

  beforeAll(async () => {
    t = await createTestApp();
    setNow(t, NOW);
    // the supervisors of 锦江区 民政's checkers: 成都市民政局's checkers (same department, the city's scope)
    const sys = await loginAs(t, 'sys_admin');
    const org = await request(t.http).post('/api/organizations').set(sys)
      .send({ code: 'test-510100-mz', name: '成都市民政局', kind: 'department', department: '民政', regionCode: '510100' }).expect(201);
    const user = await request(t.http).post('/api/users').set(sys)
      .send({ username: 'cd_mz_checker', password: 'Checker-pass-2026', organizationId: org.body.id, name: '刘民政', email: 'cd_mz_checker@example.cn' }).expect(201);
    await request(t.http).put(`/api/users/${user.body.id}/roles`).set(await loginAs(t, 'sec_admin')).send({ roles: ['department_checker'] }).expect(200);
    passwords.set('cd_mz_checker', 'Checker-pass-2026');
  });
  afterAll(() => t?.close());

  describe('a mismatch confirmed by 民政', () => {
    let app: { id: string; caseNumber: string; countyStartedOn: string };

    it('only the department whose data differs gets a task: 锦江区 民政, due in 5 working days; the six others are done online', async () => {
      app = await toCountyReview('2026-03-10');
      const tasks = await queue(t, await as('jj_mz_checker'), app.caseNumber);
      const due = await workingDays(t, await as('jj_mz_checker'), app.countyStartedOn, 5);
      expect(tasks).toEqual([expect.objectContaining({ name: '部门核查', processKey: 'department_review', candidateGroups: ['department_checker:民政:510104'], dueAt: due.dueAt })]);
      const form = await request(t.http).get(`/api/tasks/${tasks[0].id}/form`).set(await as('jj_mz_checker')).expect(200);
      expect(form.body).toMatchObject({ formId: 'department-review', data: { department: '民政', onlineResultLabel: '不一致' } });
      expect(form.body.data.findingsText).toContain('成员1（申请人本人，张*） 低保、特困、低收入认定：不一致');
      const done = (await reviews(t, await as('jj_county'), app.id)).reviews.filter((r) => r.stage === 'department_review');
      expect(done.map((r) => r.department)).toEqual(['公安', '自然资源', '市场监管', '人社', '税务', '公积金']);
      // the county's own review waits until every department has answered
      expect(await queue(t, await as('jj_county'), app.caseNumber)).toEqual([]);
    });

    it('民政 confirms the discrepancy with its reasons; the county then sees every answer, with who gave it, and refuses', async () => {
      await work(t, await as('jj_mz_checker'), app.caseNumber, '部门核查', { departmentDecision: 'discrepancy', departmentReason: '经核对低保台账，申请人未纳入城市低保' });
      const mz = (await reviews(t, await as('jj_county'), app.id)).reviews.find((r) => r.department === '民政');
      expect(mz).toMatchObject({ outcome: 'discrepancy', reasons: ['经核对低保台账，申请人未纳入城市低保'], decidedBy: 'jj_mz_checker', escalated: false });
      const [county] = await queue(t, await as('jj_county'), app.caseNumber);
      const form = await request(t.http).get(`/api/tasks/${county.id}/form`).set(await as('jj_county')).expect(200);
      expect(form.body.data.jointReviewText).toContain('民政：确认不符——经核对低保台账，申请人未纳入城市低保（jj_mz_checker）');
      await work(t, await as('jj_county'), app.caseNumber, '区县审核', { countyDecision: 'reject', countyOpinion: '民政核实申报不实', countyRefusalReason: '申报的低保身份经民政部门核实不属实' });
      expect((await application(t, await as('applicant_zhang'), app.id)).status).toBe('rejected');
      const letter = (await mailbox(t, await as('applicant_zhang'))).find((m) => m.subject === `【安居】住房保障申请未予通过决定（${app.caseNumber}）`)!;
      expect(letter.text).toContain('1. 申报的低保身份经民政部门核实不属实');
    });
  });

  describe('a department overdue: reminder, escalation to its supervisors, their decision', () => {
    let app: { id: string; caseNumber: string; countyStartedOn: string };
    let taskId: string;

    it('at 3 working days the 民政 checkers are reminded; the task stays theirs', async () => {
      app = await toCountyReview('2026-04-13');
      [{ id: taskId }] = await queue(t, await as('jj_mz_checker'), app.caseNumber);
      const reminder = await workingDays(t, await as('jj_county'), app.countyStartedOn, 3);
      await at(t, new Date(new Date(reminder.dueAt).getTime() + 60_000).toISOString());
      expect(await subjects('jj_mz_checker')).toContain('【安居】任务即将到期：部门核查（民政）');
      expect(await subjects('cd_mz_checker')).toEqual([]);
      expect((await queue(t, await as('jj_mz_checker'), app.caseNumber)).map((x) => x.id)).toEqual([taskId]);
    });

    it('when the 5 working days pass, the task goes to 成都市民政局 (the history keeps the first one) and they are mailed', async () => {
      const due = await workingDays(t, await as('jj_county'), app.countyStartedOn, 5);
      await at(t, new Date(new Date(due.dueAt).getTime() + 60_000).toISOString());
      expect(await queue(t, await as('jj_mz_checker'), app.caseNumber)).toEqual([]);
      const mine = await request(t.http).post(`/api/tasks/${taskId}/complete`).set(await as('jj_mz_checker')).send({ variables: { departmentDecision: 'consistent', departmentReason: '迟到的核查' } });
      expect(mine.status).toBe(409);
      expect(mine.body.code).toBe('TASK_NOT_OPEN');
      const cancelled = await request(t.http).get(`/api/tasks/${taskId}`).set(await as('sc_modeler')).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', name: '部门核查' });
      expect(await subjects('cd_mz_checker')).toEqual(['【安居】超期任务已上报：部门核查（民政）']);
      const [supervised] = await queue(t, await as('cd_mz_checker'), app.caseNumber);
      expect(supervised).toMatchObject({ name: '部门核查（超期督办）', candidateGroups: ['department_checker:民政:510100'] });
    });

    it('the supervisors decide; the answer is recorded as escalated, and the county review can begin', async () => {
      await work(t, await as('cd_mz_checker'), app.caseNumber, '部门核查（超期督办）', { departmentDecision: 'consistent', departmentReason: '经市级低保系统核实，申请人已于本月纳入低保' });
      const mz = (await reviews(t, await as('jj_county'), app.id)).reviews.find((r) => r.department === '民政');
      expect(mz).toMatchObject({ outcome: 'consistent', decidedBy: 'cd_mz_checker', escalated: true, onlineResult: 'MISMATCH' });
      const [county] = await queue(t, await as('jj_county'), app.caseNumber);
      expect(county.name).toBe('区县审核');
      const form = await request(t.http).get(`/api/tasks/${county.id}/form`).set(await as('jj_county')).expect(200);
      expect(form.body.data.jointReviewText).toContain('民政：核实一致（超期督办）——经市级低保系统核实，申请人已于本月纳入低保（cd_mz_checker）');
    });
  });
});
