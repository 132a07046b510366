import request from 'supertest';
import { Actor } from '../../src/api';
import { CalendarDeadlinesService, CalendarNoticesService } from '../../src/calendar';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, history, instance, openTasks, runDue, setNow, start } from '../support/engine';
import { loginAs } from '../support/identity';
import { EXAMPLE_2027, PAUSABLE, timerJobs } from './clock-diagrams';

/**
 * A deadline computed into a year without calendar data (2027 here: chinese-days has none) counts
 * weekends only, is shown provisional, and moves — timer job, engine timer and task due date, in the
 * transaction that confirms the year's notice — when the year is entered.
 */
const types = async (t: TestApp, id: string, type: string) => (await history(t, id)).filter((h) => h.type === type);
const deadlineRows = (t: TestApp) =>
  t.ds.query(`SELECT owner_kind, to_char(due_date, 'YYYY-MM-DD') AS due, provisional, status FROM calendar_deadlines ORDER BY owner_kind, id`) as Promise<
    { owner_kind: string; due: string; provisional: boolean; status: string }[]
  >;

// weekends only: 2027-09-29 (Wed), 09-30 (Thu), 10-01 (Fri) — on the example notice 10-01..07 are National Day
const PROVISIONAL_DUE = '2027-10-01T15:59:59.999Z';
const CONFIRMED_DUE = '2027-10-08T15:59:59.999Z';

describe('provisional deadlines move when their year is entered', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'clock-pause.bpmn': PAUSABLE }).expect(201);
  });
  afterAll(() => t?.close());

  it('tracks the timer and the due date, moves both with the confirmation (all or nothing), and fires on the corrected day', async () => {
    setNow(t, '2026-12-01T10:00:00+08:00');
    const inst = await start(t, 'clock_pause', { businessKey: 'APP-2027-1', variables: { receivedOn: '2027-09-28', days: 3 } });
    const review = (await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_Review')!;
    expect(review.dueAt).toBe(PROVISIONAL_DUE);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: PROVISIONAL_DUE }]);
    expect((await instance(t, inst.id)).clock.deadlines.map((d: { kind: string; dueAt: string; provisional: boolean }) => [d.kind, d.dueAt, d.provisional])).toEqual([
      ['timer', PROVISIONAL_DUE, true],
      ['task', PROVISIONAL_DUE, true],
    ]);
    expect(await deadlineRows(t)).toEqual([
      { owner_kind: 'engine-timer', due: '2027-10-01', provisional: true, status: 'open' },
      { owner_kind: 'user-task', due: '2027-10-01', provisional: true, status: 'open' },
    ]);

    // a calendar administrator enters the notice; a second one confirms it
    const entered = await request(t.http).put('/api/calendar/years/2027').send(EXAMPLE_2027).expect(200);
    // a confirmation that fails after the engine moved its deadlines moves nothing
    const deadlines = t.app.get(CalendarDeadlinesService);
    let failOnce = true;
    deadlines.onMoved(async () => {
      if (failOnce) {
        failOnce = false;
        throw new Error('simulated failure after the deadlines moved');
      }
    });
    const approver: Actor = { id: '22222222-2222-2222-2222-222222222222', username: 'approver', roles: ['policy_approver'], organizationId: null, regionScopes: [], groups: [] };
    await expect(t.app.get(CalendarNoticesService).confirm(approver, entered.body.id)).rejects.toThrow('simulated failure');
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: PROVISIONAL_DUE }]);
    expect((await openTasks(t, inst.id)).find((x) => x.id === review.id)!.dueAt).toBe(PROVISIONAL_DUE);
    expect(await types(t, inst.id, 'deadline-recomputed')).toEqual([]);

    const confirmed = await request(t.http).post(`/api/calendar/notices/${entered.body.id}/confirm`).set(await loginAs(t, 'sc_approver')).expect(200);
    expect(confirmed.body.recomputed.map((m: { owner: { kind: string }; after: { due: string; provisional: boolean } }) => [m.owner.kind, m.after.due, m.after.provisional])).toEqual([
      ['engine-timer', '2027-10-08', false],
      ['user-task', '2027-10-08', false],
    ]);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: CONFIRMED_DUE }]);
    expect((await openTasks(t, inst.id)).find((x) => x.id === review.id)!.dueAt).toBe(CONFIRMED_DUE);
    expect((await instance(t, inst.id)).clock.deadlines.map((d: { kind: string; dueAt: string; provisional: boolean }) => [d.kind, d.dueAt, d.provisional])).toEqual([
      ['timer', CONFIRMED_DUE, false],
      ['task', CONFIRMED_DUE, false],
    ]);
    expect((await types(t, inst.id, 'deadline-recomputed')).map((h) => h.elementId).sort()).toEqual(['Timer_Deadline', 'UserTask_Review']);

    // the old (provisional) day has passed; a later step recovers the engine state, which still says 10-01
    setNow(t, '2027-10-02T09:00:00+08:00');
    await runDue(t);
    const materials = (await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_Materials')!;
    await request(t.http).post(`/api/tasks/${materials.id}/complete`).send({ variables: {} }).expect(200);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: CONFIRMED_DUE }]);

    // the corrected last day, then the day after it
    setNow(t, '2027-10-08T23:59:00+08:00');
    await runDue(t);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    setNow(t, '2027-10-09T00:00:01+08:00');
    await runDue(t);
    expect((await types(t, inst.id, 'timer-fired')).map((h) => h.elementId)).toEqual(['Timer_Deadline']);
    expect((await instance(t, inst.id)).status).toBe('completed');
    // the timer fired and the task was cancelled: both tracked deadlines are closed
    expect((await deadlineRows(t)).map((r) => [r.owner_kind, r.status])).toEqual([
      ['engine-timer', 'closed'],
      ['user-task', 'closed'],
    ]);
  });
});

describe('a deadline resumed into a missing year', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'clock-pause.bpmn': PAUSABLE }).expect(201);
  });
  afterAll(() => t?.close());

  it('is provisional, tracked, and moved when the year is entered', async () => {
    setNow(t, '2026-12-01T10:00:00+08:00');
    // 20 working days from 2026-12-01: 12-29, all in 2026 (known)
    const inst = await start(t, 'clock_pause', { variables: { receivedOn: '2026-12-01', days: 20 } });
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: '2026-12-29T15:59:59.999Z' }]);
    setNow(t, '2026-12-02T10:00:00+08:00');
    const paused = await request(t.http).post(`/api/process-instances/${inst.id}/clock/pause`).send({ reason: '等待专家意见' }).expect(200);
    expect(paused.body.clock.currentPause.items.map((i: { remainingWorkingDays: number }) => i.remainingWorkingDays)).toEqual([19, 19]);
    // resumed on 12-10: 19 working days from 12-11 reach into 2027, whose 元旦 is unknown (weekends only: 2027-01-06)
    setNow(t, '2026-12-10T10:00:00+08:00');
    const resumed = await request(t.http).post(`/api/process-instances/${inst.id}/clock/resume`).send({ reason: '专家意见已到' }).expect(200);
    expect(resumed.body.clock.deadlines.map((d: { kind: string; dueAt: string; provisional: boolean }) => [d.kind, d.dueAt, d.provisional])).toEqual([
      ['timer', '2027-01-06T15:59:59.999Z', true],
      ['task', '2027-01-06T15:59:59.999Z', true],
    ]);
    const entered = await request(t.http).put('/api/calendar/years/2027').send(EXAMPLE_2027).expect(200);
    await request(t.http).post(`/api/calendar/notices/${entered.body.id}/confirm`).set(await loginAs(t, 'sc_approver')).expect(200);
    // 2027-01-01 is a holiday on the notice: one day later
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: '2027-01-07T15:59:59.999Z' }]);
    expect((await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_Review')!.dueAt).toBe('2027-01-07T15:59:59.999Z');
    setNow(t, '2027-01-07T12:00:00+08:00');
    await runDue(t);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    setNow(t, '2027-01-08T08:00:00+08:00');
    await runDue(t);
    expect((await types(t, inst.id, 'timer-fired')).map((h) => h.elementId)).toEqual(['Timer_Deadline']);
  });
});
