import request from 'supertest';
import type { Caller } from '../../src/api';
import { InstancesService } from '../../src/engine';
import { WaitingListService } from '../../src/waiting-list';
import { WaitingListTerm } from '../../src/workflows/waiting-list-term';
import { fictitiousId, soloBody } from '../applications/fixtures';
import { at, processOf, queue } from '../processes/support';
import { TestApp, createTestApp } from '../support/app';
import { setNow } from '../support/engine';
import { loginAs } from '../support/identity';

const PROCESS: Caller = { kind: 'process', reference: 'process:test/ServiceTask_Enqueue' };
const ALARM = '轮候期满预警';

/**
 * The 3-year term of a waiting-list entry as a process (processes/waiting-list-term.bpmn). Two
 * households of 锦江区 qualify on 2026-03-10; under the default rule (36 months, alarm 3 months
 * before) the alarm is due on 2028-12-10 and the longest wait ends on 2029-03-10. The clock moves;
 * nobody sleeps.
 */
describe('waiting list: the 3-year alarm is a task in the county’s queue', () => {
  let t: TestApp;
  let service: WaitingListService;
  const cases: Record<string, string> = {};
  const entries: Record<string, string> = {};

  const as = (user: string) => loginAs(t, user);
  const entry = async (key: string) => (await request(t.http).get(`/api/waiting-list/${entries[key]}`).set(await as('jj_county')).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    service = t.app.get(WaitingListService);
    setNow(t, '2026-03-10T10:00:00+08:00');
    for (const [key, n] of [['waits', 61], ['allocated', 62], ['other', 63]] as const) {
      const res = await request(t.http)
        .post('/api/applications')
        .set(await as('jj_window'))
        .send({ ...soloBody(fictitiousId(n, '19850101', '510104'), '510104'), type: 'prh_in_kind' })
        .expect(201);
      cases[key] = res.body.caseNumber;
      entries[key] = (await service.enqueue(undefined, res.body.id, { qualifiedOn: '2026-03-10' }, PROCESS)).id;
    }
  });
  afterAll(() => t?.close());

  it('starts one term process per entry, whose alarm timer is a job row at the start of the alarm day (it survives restarts)', async () => {
    for (const key of Object.keys(cases)) {
      const [inst] = await processOf(t, cases[key], 'waiting_list_term');
      expect(inst).toMatchObject({ status: 'running', waiting: expect.arrayContaining([expect.objectContaining({ elementId: 'Timer_AlarmDay' })]) });
      const jobs: { due_at: Date }[] = await t.ds.query(`SELECT due_at FROM engine_jobs WHERE instance_id = $1 AND kind = 'timer'`, [inst.id]);
      expect(jobs.map((j) => new Date(j.due_at).toISOString())).toEqual(['2028-12-09T16:00:00.000Z']);
    }
    expect(await entry('waits')).toMatchObject({ alarmOn: '2028-12-10', maxWaitUntil: '2029-03-10', alarmRaisedAt: null, alarmDecision: null, history: [{ event: 'enqueued', to: 'waiting' }] });
  });

  it('ends the pending alarm of an entry that leaves the list first: no task, ever', async () => {
    await at(t, '2027-06-01T10:00:00+08:00');
    await request(t.http).post(`/api/waiting-list/${entries.allocated}/allocate`).set(await as('jj_county')).send({ reference: 'JJ-A-1-0101', reason: '第 3 批配租' }).expect(200);
    const [inst] = await processOf(t, cases.allocated, 'waiting_list_term');
    expect(inst.status).toBe('completed');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM engine_jobs WHERE instance_id = $1`, [inst.id]);
    expect(n).toBe(0);
  });

  it('raises no task the minute before the alarm day', async () => {
    await at(t, '2028-12-09T23:59:00+08:00');
    expect(await queue(t, await as('jj_county'), cases.waits)).toEqual([]);
    expect((await entry('waits')).alarmRaisedAt).toBeNull();
  });

  it('puts 轮候期满预警 in jj_county’s queue on the alarm day, due before the longest wait ends', async () => {
    await at(t, '2028-12-10T00:30:00+08:00');
    const [task] = await queue(t, await as('jj_county'), cases.waits);
    expect(task).toMatchObject({ name: ALARM, processKey: 'waiting_list_term', candidateGroups: ['county_reviewer:510104'], dueAt: '2029-03-09T15:59:59.999Z' });
    expect(await queue(t, await as('jj_county'), cases.allocated, 'all')).toEqual([]);
    expect(await entry('waits')).toMatchObject({ alarmRaisedAt: '2028-12-09T16:30:00.000Z', status: 'waiting', history: [{ event: 'enqueued' }, { event: 'alarm_raised' }] });
    const form = await request(t.http).get(`/api/tasks/${task.id}/form`).set(await as('jj_county')).expect(200);
    expect(form.body.data).toMatchObject({ caseNumber: cases.waits, qualifiedOn: '2026-03-10', maxWaitUntil: '2029-03-10' });
    // a street reviewer of the county does not have it in their queue
    expect(await queue(t, await as('jgy_street'), cases.waits)).toEqual([]);
  });

  it('refuses an answer that names no allocation when allocating (400 naming the field)', async () => {
    const [task] = await queue(t, await as('jj_county'), cases.waits);
    const res = await request(t.http).post(`/api/tasks/${task.id}/complete`).set(await as('jj_county')).send({ variables: { alarmOutcome: 'allocate', alarmReason: '配租' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).toContain('allocationReference');
  });

  it('records the county’s switch to a rental subsidy on the entry (history and audit) and ends the process', async () => {
    const county = await as('jj_county');
    const [task] = await queue(t, county, cases.waits);
    await request(t.http).post(`/api/tasks/${task.id}/claim`).set(county).expect(200);
    await request(t.http)
      .post(`/api/tasks/${task.id}/complete`)
      .set(county)
      .send({ variables: { alarmOutcome: 'switch_to_subsidy', alarmReason: '暂无合适房源，轮候将满 3 年，转为发放租赁补贴' } })
      .expect(200);
    await at(t, '2028-12-10T09:00:00+08:00');
    const e = await entry('waits');
    expect(e).toMatchObject({
      status: 'switched_to_subsidy',
      statusLabel: { 'zh-CN': '已转租赁补贴' },
      alarmDecision: { outcome: 'switch_to_subsidy', outcomeLabel: { 'zh-CN': '转货币补贴' }, reason: '暂无合适房源，轮候将满 3 年，转为发放租赁补贴', decidedBy: 'jj_county' },
    });
    expect(e.history.map((h: { event: string; to: string }) => `${h.event}:${h.to}`)).toEqual(['enqueued:waiting', 'alarm_raised:waiting', 'status_changed:switched_to_subsidy', 'alarm_decided:switched_to_subsidy']);
    const [inst] = await processOf(t, cases.waits, 'waiting_list_term');
    expect(inst.status).toBe('completed');
    const audit: { action: string; username: string }[] = await t.ds.query(`SELECT action, username FROM audit_log WHERE object_id = $1 ORDER BY seq`, [entries.waits]);
    expect(audit.map((a) => a.action)).toEqual(['waiting_list.enqueue', 'waiting_list.alarm', 'waiting_list.switch_to_subsidy', 'waiting_list.alarm_decision']);
    expect(audit.at(-1)!.username).toBe('jj_county');
  });

  it('records another outcome with its reasons: the household keeps waiting', async () => {
    const county = await as('jj_county');
    const [task] = await queue(t, county, cases.other);
    await request(t.http).post(`/api/tasks/${task.id}/claim`).set(county).expect(200);
    await request(t.http).post(`/api/tasks/${task.id}/complete`).set(county).send({ variables: { alarmOutcome: 'other', alarmReason: '已纳入 2029 年第 1 批配租计划' } }).expect(200);
    await at(t, '2028-12-10T09:30:00+08:00');
    expect(await entry('other')).toMatchObject({ status: 'waiting', alarmDecision: { outcome: 'other', reason: '已纳入 2029 年第 1 批配租计划', decidedBy: 'jj_county' } });
    expect(await queue(t, await as('jj_county'), cases.other)).toEqual([]);
  });
});

describe('waiting list: an entry put on the list before the term process existed', () => {
  let t: TestApp;
  let caseNumber: string;
  let entryId: string;
  const running = async () => (await processOf(t, caseNumber, 'waiting_list_term')).filter((x) => x.status === 'running');

  beforeAll(async () => {
    t = await createTestApp();
    setNow(t, '2026-03-10T10:00:00+08:00');
    const res = await request(t.http)
      .post('/api/applications')
      .set(await loginAs(t, 'jj_window'))
      .send({ ...soloBody(fictitiousId(64, '19850101', '510104'), '510104'), type: 'prh_in_kind' })
      .expect(201);
    caseNumber = res.body.caseNumber;
    entryId = (await t.app.get(WaitingListService).enqueue(undefined, res.body.id, { qualifiedOn: '2026-03-10' }, PROCESS)).id;
    // as an older release left it: on the list, with no term process, its enqueue never announced
    const [own] = await processOf(t, caseNumber, 'waiting_list_term');
    await t.app.get(InstancesService).cancel(own.id, 'test: an entry from before the term process', null);
    await t.ds.query(`UPDATE waiting_list_entries SET enqueue_announced_at = NULL WHERE id = $1`, [entryId]);
  });
  afterAll(() => t?.close());

  it('gets its term process at the next boot, once, and its alarm on the alarm day', async () => {
    expect(await running()).toEqual([]);
    await t.app.get(WaitingListTerm).onApplicationBootstrap();
    await t.app.get(WaitingListTerm).onApplicationBootstrap(); // a second boot (or another node) starts nothing more
    const [term, ...more] = await running();
    expect(more).toEqual([]);
    expect(term.waiting.map((w) => w.elementId)).toContain('Timer_AlarmDay');
    const [{ announced }] = await t.ds.query(`SELECT enqueue_announced_at IS NOT NULL AS announced FROM waiting_list_entries WHERE id = $1`, [entryId]);
    expect(announced).toBe(true);
    await at(t, '2028-12-10T09:30:00+08:00');
    expect((await queue(t, await loginAs(t, 'jj_county'), caseNumber)).map((x) => x.name)).toEqual([ALARM]);
  });
});
