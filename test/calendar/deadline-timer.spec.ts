import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, history, instance, openTasks, runDue, setNow, start } from '../support/engine';

/** The timer jobs an instance has pending: the database holds every deadline. */
async function timerJobs(t: TestApp, instanceId: string): Promise<{ elementId: string; dueAt: string }[]> {
  const rows: { element_id: string; due_at: Date }[] = await t.ds.query(`SELECT element_id, due_at FROM engine_jobs WHERE instance_id = $1 AND kind = 'timer'`, [instanceId]);
  return rows.map((r) => ({ elementId: r.element_id, dueAt: new Date(r.due_at).toISOString() }));
}

const entered = async (t: TestApp, id: string) => (await history(t, id)).filter((h) => h.type === 'activity-entered').map((h) => h.elementId);

describe('a boundary timer on "add working days" fires at the end of the statutory last day', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'calendar-deadline.bpmn': fixture('calendar-deadline.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  it('counts 7 working days over 国庆 2026 (make-up Saturday included) and fires on 10-12 at 24:00, not before', async () => {
    setNow(t, '2026-09-24T10:00:00+08:00');
    const inst = await start(t, 'calendar_deadline', { businessKey: 'APP-CAL-1', variables: { receivedOn: '2026-09-24', days: 7 } });
    const [task] = await openTasks(t, inst.id);
    expect(task.dueAt).toBe('2026-10-12T15:59:59.999Z'); // 2026-10-12 24:00 Asia/Shanghai
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: '2026-10-12T15:59:59.999Z' }]);

    // through the holiday and the make-up Saturday: nothing is due
    setNow(t, '2026-10-10T18:00:00+08:00');
    expect(await runDue(t)).toBe(0);
    // on the last day itself, late in the evening: still within the period
    setNow(t, '2026-10-12T23:59:00+08:00');
    expect(await runDue(t)).toBe(0);
    expect(await openTasks(t, inst.id)).toHaveLength(1);
    // the next day has begun: the deadline has passed and the timer fires
    setNow(t, '2026-10-13T00:00:01+08:00');
    expect(await runDue(t)).toBe(1);
    expect((await instance(t, inst.id)).status).toBe('completed');
    expect(await openTasks(t, inst.id)).toHaveLength(0);
    const fired = (await history(t, inst.id)).filter((h) => h.type === 'timer-fired').map((h) => h.elementId);
    expect(fired).toEqual(['Timer_Deadline']);
  });

  it('uses the acting region’s calendar: 凉山 2025 彝历新年 moves the same period by a week', async () => {
    setNow(t, '2025-11-19T09:00:00+08:00');
    const chengdu = await start(t, 'calendar_deadline', { variables: { receivedOn: '2025-11-19', days: 3, region: '510100' } });
    const liangshan = await start(t, 'calendar_deadline', { variables: { receivedOn: '2025-11-19', days: 3, region: '513401' } });
    // Chengdu: 11-20, 11-21, 11-24; 西昌 (in 凉山): 11-20..26 rest, then 11-27, 11-28 and the make-up Saturday 11-29
    expect((await openTasks(t, chengdu.id))[0].dueAt).toBe('2025-11-24T15:59:59.999Z');
    expect(await timerJobs(t, liangshan.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: '2025-11-29T15:59:59.999Z' }]);
    setNow(t, '2025-11-25T08:00:00+08:00');
    expect(await runDue(t)).toBe(1);
    expect((await instance(t, chengdu.id)).status).toBe('completed');
    expect((await instance(t, liangshan.id)).status).toBe('running');
    setNow(t, '2025-11-30T00:00:00+08:00');
    expect(await runDue(t)).toBe(1);
    expect((await instance(t, liangshan.id)).status).toBe('completed');
  });

  it('evaluates "working days between" and "is working day" in a gateway condition', async () => {
    setNow(t, '2026-09-24T10:00:00+08:00');
    const inst = await start(t, 'calendar_deadline', { variables: { receivedOn: '2026-09-24', days: 7 } });
    // completed on the make-up Saturday 2026-10-10: 5 working days after receipt, a working day
    setNow(t, '2026-10-10T10:00:00+08:00');
    const [task] = await openTasks(t, inst.id);
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: {} }).expect(200);
    expect((await instance(t, inst.id)).status).toBe('completed');
    expect(await entered(t, inst.id)).toContain('End_Done');
  });

  it('fails the step, naming the problem, when the diagram passes an impossible date', async () => {
    setNow(t, '2026-02-01T10:00:00+08:00');
    const res = await request(t.http)
      .post('/api/process-definitions/key/calendar_deadline/start')
      .send({ variables: { receivedOn: '2026-02-30', days: 7 } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).toContain('2026-02-30');
  });
});
