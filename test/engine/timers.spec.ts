import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, advance, deploy, fixture, history, instance, openTasks, runDue, setNow, start } from '../support/engine';

const HOUR = 3600000;
const MINUTE = 60000;

/** The timer jobs an instance has pending: the database, not a process, holds every deadline. */
async function timerJobs(t: TestApp, instanceId: string): Promise<{ elementId: string; dueAt: string }[]> {
  const rows: { element_id: string; due_at: Date }[] = await t.ds.query(
    `SELECT element_id, due_at FROM engine_jobs WHERE instance_id = $1 AND kind = 'timer' ORDER BY due_at, element_id`,
    [instanceId],
  );
  return rows.map((r) => ({ elementId: r.element_id, dueAt: new Date(r.due_at).toISOString() }));
}

async function fired(t: TestApp, instanceId: string): Promise<string[]> {
  return (await history(t, instanceId)).filter((h) => h.type === 'timer-fired').map((h) => h.elementId as string);
}

async function waitingIn(t: TestApp, instanceId: string): Promise<string[]> {
  return (await instance(t, instanceId)).waiting.map((w: { elementId: string }) => w.elementId).sort();
}

const iso = (text: string) => new Date(text).toISOString();

describe('timers on catch events and boundaries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2027-01-01T10:00:00+08:00');
    await deploy(t, {
      'timer-catch.bpmn': fixture('timer-catch.bpmn'),
      'timer-date.bpmn': fixture('timer-date.bpmn'),
      'timer-boundaries.bpmn': fixture('timer-boundaries.bpmn'),
      'timer-cron.bpmn': fixture('timer-cron.bpmn'),
      'timer-three-years.bpmn': fixture('timer-three-years.bpmn'),
    }).expect(201);
  });
  afterAll(() => t?.close());

  /** Each test starts at its own instant, later than the last one's, with nothing left due. */
  async function startAt(text: string): Promise<number> {
    setNow(t, text);
    await runDue(t);
    return Date.parse(text);
  }

  it('counts durations from the Anju clock even when it is set before the host clock', async () => {
    const base = await startAt('2026-03-02T10:00:00+08:00');
    const inst = await start(t, 'timer_catch');
    expect(await waitingIn(t, inst.id)).toEqual(['Timer_CoolingOff']);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_CoolingOff', dueAt: new Date(base + 2 * HOUR).toISOString() }]);
    advance(t, 2 * HOUR);
    expect(await runDue(t)).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['核查']);
  });

  it('waits for an absolute timeDate, then for a timeDate computed by FEEL from a variable', async () => {
    await startAt('2027-01-10T08:00:00+08:00');
    const inst = await start(t, 'timer_date', { variables: { publishedAt: '2027-03-02T10:30:00+08:00' } });
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_PolicyEffective', dueAt: iso('2027-03-01T09:00:00+08:00') }]);

    setNow(t, '2027-03-01T08:59:59+08:00');
    expect(await runDue(t)).toBe(0);
    setNow(t, '2027-03-01T09:00:00+08:00');
    expect(await runDue(t)).toBe(1);
    // publishedAt + 15 days, read from the process variable when the event is reached
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_PublicityEnds', dueAt: iso('2027-03-17T10:30:00+08:00') }]);

    setNow(t, '2027-03-17T10:29:00+08:00');
    expect(await runDue(t)).toBe(0);
    setNow(t, '2027-03-17T10:30:00+08:00');
    expect(await runDue(t)).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['作出决定']);
    expect(await fired(t, inst.id)).toEqual(['Timer_PolicyEffective', 'Timer_PublicityEnds']);
  });

  it('fires cron cycles (6-field Quartz style with ?, and 5-field) on non-interrupting boundaries, in China time', async () => {
    await startAt('2027-06-01T10:00:00+08:00'); // a Tuesday
    const inst = await start(t, 'timer_cron');
    expect(await timerJobs(t, inst.id)).toEqual([
      { elementId: 'Timer_DailyNine', dueAt: iso('2027-06-02T09:00:00+08:00') },
      { elementId: 'Timer_FridayReport', dueAt: iso('2027-06-04T17:30:00+08:00') },
    ]);
    setNow(t, '2027-06-02T08:59:00+08:00');
    expect(await runDue(t)).toBe(0);
    setNow(t, '2027-06-02T09:00:00+08:00');
    expect(await runDue(t)).toBe(1);
    expect(await timerJobs(t, inst.id)).toEqual([
      { elementId: 'Timer_DailyNine', dueAt: iso('2027-06-03T09:00:00+08:00') },
      { elementId: 'Timer_FridayReport', dueAt: iso('2027-06-04T17:30:00+08:00') },
    ]);
    // nobody ran the jobs for three days: each overdue cycle fires once, then re-arms from now
    setNow(t, '2027-06-05T12:00:00+08:00');
    await runDue(t);
    const f = await fired(t, inst.id);
    expect(f.filter((x) => x === 'Timer_DailyNine')).toHaveLength(2);
    expect(f.filter((x) => x === 'Timer_FridayReport')).toHaveLength(1);
    expect(await timerJobs(t, inst.id)).toEqual([
      { elementId: 'Timer_DailyNine', dueAt: iso('2027-06-06T09:00:00+08:00') },
      { elementId: 'Timer_FridayReport', dueAt: iso('2027-06-11T17:30:00+08:00') },
    ]);
    const tasks = await openTasks(t, inst.id);
    expect(tasks.map((x) => x.name)).toEqual(['整改']);
    await request(t.http).post(`/api/tasks/${tasks[0].id}/complete`).send({}).expect(200);
    expect(await timerJobs(t, inst.id)).toEqual([]);
  });

  it('waits on an intermediate timeDuration catch until the clock reaches it, then goes on', async () => {
    const base = await startAt('2027-08-02T10:00:00+08:00');
    const inst = await start(t, 'timer_catch');
    expect(await waitingIn(t, inst.id)).toEqual(['Timer_CoolingOff']);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_CoolingOff', dueAt: new Date(base + 2 * HOUR).toISOString() }]);

    advance(t, 2 * HOUR - MINUTE);
    expect(await runDue(t)).toBe(0);
    expect(await openTasks(t, inst.id)).toEqual([]);

    advance(t, MINUTE);
    expect(await runDue(t)).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['核查']);
    expect(await timerJobs(t, inst.id)).toEqual([]);
    expect(await fired(t, inst.id)).toEqual(['Timer_CoolingOff']);
  });

  it('fires a non-interrupting R3/PT1H reminder three times without touching the task', async () => {
    const base = await startAt('2027-09-01T10:00:00+08:00');
    const inst = await start(t, 'timer_boundaries');
    const [task] = await openTasks(t, inst.id);
    expect(await timerJobs(t, inst.id)).toEqual([
      { elementId: 'Timer_HourlyReminder', dueAt: new Date(base + HOUR).toISOString() },
      { elementId: 'Timer_Deadline', dueAt: new Date(base + 5 * DAY).toISOString() },
    ]);
    for (let i = 1; i <= 4; i++) {
      advance(t, HOUR);
      expect(await runDue(t)).toBe(i <= 3 ? 1 : 0);
    }
    expect(await fired(t, inst.id)).toEqual(['Timer_HourlyReminder', 'Timer_HourlyReminder', 'Timer_HourlyReminder']);
    expect((await openTasks(t, inst.id)).map((x) => x.id)).toEqual([task.id]);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: new Date(base + 5 * DAY).toISOString() }]);

    // completing the task before its deadline removes the deadline job
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({}).expect(200);
    expect((await instance(t, inst.id)).status).toBe('completed');
    expect(await timerJobs(t, inst.id)).toEqual([]);
  });

  it('an interrupting boundary cancels the task when it fires, and a late completion loses with 409', async () => {
    await startAt('2027-10-01T10:00:00+08:00');
    const inst = await start(t, 'timer_boundaries');
    const [task] = await openTasks(t, inst.id);
    advance(t, 5 * DAY - MINUTE);
    await runDue(t); // a reminder, not the deadline
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['审查']);

    advance(t, MINUTE);
    expect(await runDue(t)).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['超期督办']);
    const old = await request(t.http).get(`/api/tasks/${task.id}`).expect(200);
    expect(old.body.status).toBe('cancelled');
    const late = await request(t.http).post(`/api/tasks/${task.id}/complete`).send({}).expect(409);
    expect(late.body.code).toBe('TASK_NOT_OPEN');
    expect((await fired(t, inst.id)).filter((x) => x === 'Timer_Deadline')).toHaveLength(1);
    // the cancelled task's reminder went with it
    expect(await timerJobs(t, inst.id)).toEqual([]);
  });

  it('a completion that arrives after an unfired deadline loses: the deadline fires first in that step', async () => {
    await startAt('2027-11-01T10:00:00+08:00');
    const inst = await start(t, 'timer_boundaries');
    const [task] = await openTasks(t, inst.id);
    advance(t, 6 * DAY); // nobody ran the due jobs
    const late = await request(t.http).post(`/api/tasks/${task.id}/complete`).send({}).expect(409);
    expect(late.body.code).toBe('TASK_NOT_OPEN');
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['超期督办']);
    expect(await fired(t, inst.id)).toContain('Timer_Deadline');
    expect((await history(t, inst.id)).filter((h) => h.type === 'task-completed')).toEqual([]);
  });

  it('a P3Y timer is a job row due in three years (no in-process timer), and fires when the clock gets there', async () => {
    await startAt('2028-01-10T10:00:00+08:00');
    const spy = jest.spyOn(global, 'setTimeout');
    let longTimeouts: number[];
    let inst;
    try {
      inst = await start(t, 'timer_three_years');
      longTimeouts = spy.mock.calls.map((c) => Number(c[1] ?? 0)).filter((ms) => ms > 10 * MINUTE);
    } finally {
      spy.mockRestore();
    }
    expect(longTimeouts).toEqual([]);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_TenancyEnds', dueAt: iso('2031-01-10T10:00:00+08:00') }]);

    for (const at of ['2029-01-10T10:00:00+08:00', '2030-12-31T10:00:00+08:00', '2031-01-10T09:59:59+08:00']) {
      setNow(t, at);
      expect(await runDue(t)).toBe(0);
    }
    expect(await openTasks(t, inst.id)).toEqual([]);
    setNow(t, '2031-01-10T10:00:00+08:00');
    expect(await runDue(t)).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['期满复核']);
  });
});

describe('timer start events', () => {
  let t: TestApp;
  const T0 = '2027-01-04T07:30:00+08:00';
  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, T0);
    await deploy(t, { 'timer-start-hourly.bpmn': fixture('timer-start-hourly.bpmn'), 'timer-start-cron.bpmn': fixture('timer-start-cron.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  async function instancesOf(key: string): Promise<{ id: string; processVersion: number; startedAt: string }[]> {
    return (await request(t.http).get(`/api/process-instances?processKey=${key}&limit=500`).expect(200)).body.items;
  }

  async function startJobs(key: string): Promise<{ elementId: string; dueAt: string; version: number }[]> {
    const rows: { element_id: string; due_at: Date; version: number }[] = await t.ds.query(
      `SELECT j.element_id, j.due_at, d.version FROM engine_jobs j JOIN engine_process_definitions d ON d.id = j.definition_id
        WHERE j.kind = 'start-timer' AND d.key = $1`,
      [key],
    );
    return rows.map((r) => ({ elementId: r.element_id, dueAt: new Date(r.due_at).toISOString(), version: r.version }));
  }

  it('schedules each timer start event as a job row at deploy', async () => {
    expect(await startJobs('timer_start_hourly')).toEqual([{ elementId: 'Timer_EveryHour', dueAt: iso('2027-01-04T08:30:00+08:00'), version: 1 }]);
    expect(await startJobs('timer_start_cron')).toEqual([{ elementId: 'Timer_DailyEight', dueAt: iso('2027-01-04T08:00:00+08:00'), version: 1 }]);
    expect(await instancesOf('timer_start_hourly')).toEqual([]);
  });

  it('starts exactly one instance per due slot, however often and however concurrently the executor runs', async () => {
    setNow(t, '2027-01-04T08:30:00+08:00');
    const ran = await Promise.all(Array.from({ length: 6 }, () => runDue(t)));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(2); // the 08:00 cron slot and the 08:30 hourly slot
    expect(await runDue(t)).toBe(0);
    expect(await instancesOf('timer_start_hourly')).toHaveLength(1);
    expect(await instancesOf('timer_start_cron')).toHaveLength(1);
    const [hourly] = await instancesOf('timer_start_hourly');
    expect((await openTasks(t, hourly.id)).map((x) => x.name)).toEqual(['巡检']);
    expect(await startJobs('timer_start_hourly')).toEqual([{ elementId: 'Timer_EveryHour', dueAt: iso('2027-01-04T09:30:00+08:00'), version: 1 }]);
    expect(await startJobs('timer_start_cron')).toEqual([{ elementId: 'Timer_DailyEight', dueAt: iso('2027-01-05T08:00:00+08:00'), version: 1 }]);

    // three hourly slots pass before anyone runs the jobs: each gets its own instance, once
    setNow(t, '2027-01-04T11:45:00+08:00');
    await Promise.all([runDue(t), runDue(t), runDue(t)]);
    await runDue(t);
    expect(await instancesOf('timer_start_hourly')).toHaveLength(4);
    expect(await instancesOf('timer_start_cron')).toHaveLength(1);
  });

  it('a new version of the key takes over its timer start event; the old version starts nothing more', async () => {
    const v2 = fixture('timer-start-hourly.bpmn').replace('name="巡检"', 'name="巡检（新版）"');
    await deploy(t, { 'timer-start-hourly.bpmn': v2 }).expect(201);
    expect(await startJobs('timer_start_hourly')).toEqual([{ elementId: 'Timer_EveryHour', dueAt: iso('2027-01-04T12:45:00+08:00'), version: 2 }]);
    setNow(t, '2027-01-04T12:45:00+08:00');
    expect(await runDue(t)).toBe(1);
    const all = await instancesOf('timer_start_hourly');
    expect(all).toHaveLength(5);
    expect(all.filter((i) => i.processVersion === 2)).toHaveLength(1);
    const newest = all.find((i) => i.processVersion === 2)!;
    expect((await openTasks(t, newest.id)).map((x) => x.name)).toEqual(['巡检（新版）']);
  });
});

describe('timer values Anju cannot read', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
  });
  afterAll(() => t?.close());

  it.each([
    ['timeCycle', '0 0 9 * * ? 2027', 'a Quartz cron with a year (7 fields)'],
    ['timeCycle', 'every day at 9', 'prose'],
    ['timeCycle', '0 0 9 15W * ?', 'the nearest-weekday W, which cron-parser does not read'],
    ['timeDuration', 'P5 days', 'a malformed duration'],
    ['timeDate', '2027-02-29T09:00:00+08:00', 'a date that does not exist'],
  ])('refuses a %s of %s (%s) at deploy, naming the timer', async (type, value) => {
    const xml = fixture('timer-cron.bpmn').replace('<timeCycle>0 0 9 * * ?</timeCycle>', `<${type}>${value}</${type}>`);
    const res = await deploy(t, { 'bad-timer.bpmn': xml }).expect(422);
    expect(res.body.code).toBe('DEPLOYMENT_INVALID');
    expect(res.body.details.files[0].errors).toEqual([expect.objectContaining({ code: 'BPMN_TIMER_INVALID', elementId: 'Timer_DailyNine' })]);
  });

  it('accepts the cron forms cron-parser reads: 5 fields, 6 fields with seconds, ?, L, #, names, steps', async () => {
    for (const cron of ['0 9 * * 1-5', '0 0 9 ? * MON-FRI', '0 0 18 L * ?', '0 0 10 ? * 2#1', '0 */30 8-17 * * *']) {
      const xml = fixture('timer-cron.bpmn').replace('0 0 9 * * ?', cron);
      const res = await deploy(t, { 'cron.bpmn': xml });
      expect({ cron, status: res.status }).toEqual({ cron, status: 201 });
    }
  });
});
