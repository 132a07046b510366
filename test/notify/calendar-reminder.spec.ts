import request from 'supertest';
import { CalendarYearReminder } from '../../src/calendar/calendar-year-reminder';
import { IdentitySeeder } from '../../src/identity';
import { TestApp, createTestApp } from '../support/app';
import { setNow } from '../support/engine';
import { loginAs } from '../support/identity';
import { outboxRows, sendDue } from './support';

/** EXAMPLE data for 2027 (not the State Council's notice): enough to make the year known. */
const EXAMPLE_2027 = {
  sourceDocument: 'EXAMPLE-2027 (test data)',
  title: '示例：2027年部分节假日安排（测试数据）',
  days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
};

/**
 * Issue 4, item 3: from 1 November, while next year's calendar is missing, the calendar
 * administrators (policy modeler and approver) get one mail a week until it is entered.
 */
describe('weekly reminder of a missing calendar year', () => {
  let t: TestApp;
  const reminder = () => t.app.get(CalendarYearReminder).run();
  const reminders = () => outboxRows(t, `template = 'calendar.year-missing'`);

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['sc_modeler', 'sc_approver', 'jj_window']) await t.app.get(IdentitySeeder).ensureDemoUser(u);
  });
  afterAll(() => t?.close());

  it('says nothing in October, when next year is not due yet', async () => {
    setNow(t, '2026-10-31T20:00:00+08:00');
    expect(await reminder()).toBeNull();
    expect(await reminders()).toHaveLength(0);
  });

  it('from 1 November mails the calendar administrators once a week until 2027 is entered', async () => {
    setNow(t, '2026-11-02T09:00:00+08:00'); // a Monday
    expect(await reminder()).toEqual({ years: [2027], week: '2026-11-02', queued: 2 });
    expect(await reminder()).toBeNull(); // this week's slot is taken
    setNow(t, '2026-11-08T23:00:00+08:00'); // the Sunday of the same week
    expect(await reminder()).toBeNull();
    let rows = await reminders();
    expect(rows.map((r) => r.to_address).sort()).toEqual(['sc_approver@example.cn', 'sc_modeler@example.cn']);
    expect(rows[0].subject).toBe('【安居】请录入2027年工作日安排');
    expect(rows[0].text_body).toContain('PUT /api/calendar/years/{年份}');
    expect(await sendDue(t)).toBe(2);
    const inbox = (await request(t.http).get('/api/mail').set(await loginAs(t, 'sc_modeler')).expect(200)).body as { subject: string }[];
    expect(inbox.map((m) => m.subject)).toEqual(['【安居】请录入2027年工作日安排']);

    setNow(t, '2026-11-09T00:30:00+08:00'); // the next Monday
    expect(await reminder()).toMatchObject({ week: '2026-11-09', queued: 2 });
    rows = await reminders();
    expect(rows).toHaveLength(4);

    // entered by one administrator, confirmed by another: the reminders stop
    const entered = await request(t.http).put('/api/calendar/years/2027').set(await loginAs(t, 'sc_modeler')).send(EXAMPLE_2027).expect(200);
    await request(t.http).post(`/api/calendar/notices/${entered.body.id}/confirm`).set(await loginAs(t, 'sc_approver')).expect(200);
    setNow(t, '2026-11-16T09:00:00+08:00');
    expect(await reminder()).toBeNull();
    setNow(t, '2026-12-28T09:00:00+08:00');
    expect(await reminder()).toBeNull();
    expect(await reminders()).toHaveLength(4);
  });
});
