import request from 'supertest';
import { Actor } from '../../src/api';
import { CalendarDeadlinesService, CalendarNoticesService, CalendarService, MovedDeadline } from '../../src/calendar';
import { inTransaction } from '../../src/database';
import { TestApp, createTestApp } from '../support/app';
import { setNow } from '../support/engine';

const actor = (id: string, roles: string[] = ['policy_modeler']): Actor => ({ id, username: id, roles, organizationId: null, regionScopes: [], groups: [] });
const ALICE = actor('11111111-1111-1111-1111-111111111111');
const BOB = actor('22222222-2222-2222-2222-222222222222', ['policy_approver']);
const CAROL = actor('33333333-3333-3333-3333-333333333333');
const CASEWORKER = actor('44444444-4444-4444-4444-444444444444', ['window_caseworker']);

/**
 * EXAMPLE data for 2027, not the State Council's notice (unpublished when this was written): a
 * plausible National Day week with one make-up Saturday, enough to prove recomputation.
 */
const EXAMPLE_2027 = {
  sourceDocument: 'EXAMPLE-2027 (test data)',
  title: '示例：2027年部分节假日安排（测试数据）',
  days: [
    { date: '2027-01-01', kind: 'holiday' as const, name: '元旦' },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2027-10-${d}`, kind: 'holiday' as const, name: '国庆节' })),
    { date: '2027-10-09', kind: 'workday' as const, name: '国庆节' },
  ],
};

describe('calendar API: the year, the missing year, notices with four eyes, recomputation', () => {
  let t: TestApp;
  let calendar: CalendarService;
  let notices: CalendarNoticesService;
  let deadlines: CalendarDeadlinesService;
  const moves: MovedDeadline[][] = [];

  beforeAll(async () => {
    t = await createTestApp();
    calendar = t.app.get(CalendarService);
    notices = t.app.get(CalendarNoticesService);
    deadlines = t.app.get(CalendarDeadlinesService);
    deadlines.onMoved(async (_em, moved) => {
      moves.push(moved);
    });
  });
  afterAll(() => t?.close());

  const workingDays = (query: Record<string, string | number>) => request(t.http).get('/api/calendar/working-days').query(query);

  it('answers the issue’s example: 7 working days from 2026-09-24 in Chengdu', async () => {
    const res = await workingDays({ from: '2026-09-24', n: 7, region: '510100' }).expect(200);
    expect(res.body).toEqual({ due: '2026-10-12', dueAt: '2026-10-12T23:59:59.999+08:00', provisional: false, missingYears: [], rule: 'working-days', from: '2026-09-24', n: 7, region: '510100' });
    const rolling = await workingDays({ from: '2026-09-24', n: 7, region: '510100', rule: 'calendar-rolling' }).expect(200);
    expect(rolling.body).toMatchObject({ due: '2026-10-08', dueAt: '2026-10-08T23:59:59.999+08:00', provisional: false, rule: 'calendar-rolling' });
  });

  it('lists a year’s rest days and make-up working days, nationally and with a region’s overlay', async () => {
    const y2026 = (await request(t.http).get('/api/calendar/2026').expect(200)).body;
    expect(y2026).toMatchObject({ year: 2026, provisional: false, workingDays: 248 });
    expect(y2026.makeUpWorkingDays.map((d: { date: string }) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(y2026.restDays.filter((d: { name: string }) => d.name === '国庆节').map((d: { date: string }) => d.date)).toEqual(
      ['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d}`),
    );
    expect(y2026.restDays.find((d: { date: string }) => d.date === '2026-04-05')).toMatchObject({ name: '清明节', kind: 'holiday', regionCode: null });
    const liangshan = (await request(t.http).get('/api/calendar/2025?region=513400').expect(200)).body;
    // 248 national working days, less five weekdays of 彝历新年, plus two make-up weekend days
    expect(liangshan.workingDays).toBe(245);
    expect(liangshan.makeUpWorkingDays.filter((d: { regionCode: string }) => d.regionCode === '513400').map((d: { date: string }) => d.date)).toEqual(['2025-11-16', '2025-11-29']);
  });

  it('flags a deadline that reaches a year without data as provisional, counted on weekends only', async () => {
    const res = await workingDays({ from: '2026-12-28', n: 5 }).expect(200);
    expect(res.body).toMatchObject({ due: '2027-01-04', provisional: true, missingYears: [2027] });
    expect((await request(t.http).get('/api/calendar/2027').expect(200)).body).toMatchObject({ year: 2027, provisional: true, restDays: [], makeUpWorkingDays: [] });
    expect((await workingDays({ from: '2026-12-01', n: 5 }).expect(200)).body.provisional).toBe(false);
  });

  it('warns on /health from 1 November (Asia/Shanghai) while next year is missing, and not before', async () => {
    setNow(t, '2026-10-31T15:59:00Z'); // 23:59 on 31 October in Shanghai
    const before = (await request(t.http).get('/health').expect(200)).body;
    expect(before.info.calendar).toEqual({ status: 'up', lastYear: 2026, missing: [] });
    setNow(t, '2026-10-31T16:00:00Z'); // 00:00 on 1 November in Shanghai
    const after = (await request(t.http).get('/health').expect(200)).body;
    expect(after.status).toBe('ok');
    expect(after.info.calendar).toMatchObject({ status: 'up', missing: [2027], warning: expect.stringContaining('2027') });
  });

  it.each([
    [{ from: '2026-02-30', n: 3 }, 'from'],
    [{ from: '2026-13-01', n: 3 }, 'from'],
    [{ from: 'yesterday', n: 3 }, 'from'],
    [{ n: 3 }, 'from'],
    [{ from: '2026-09-24', n: 'seven' }, 'n'],
    [{ from: '2026-09-24', n: 2.5 }, 'n'],
    [{ from: '2026-09-24', n: 100000 }, 'n'],
    [{ from: '2026-09-24', n: -3, rule: 'calendar-rolling' }, 'n'],
    [{ from: '2026-09-24', n: 3, rule: 'weekly' }, 'rule'],
    [{ from: '2026-09-24', n: 3, region: 'chengdu' }, 'region'],
    [{ from: '2026-09-24', n: 3, region: '999999' }, 'region'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const res = await workingDays(query as Record<string, string | number>).expect(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses a year that is not a year', async () => {
    const res = await request(t.http).get('/api/calendar/20x7').expect(400);
    expect(res.body.details.fields[0].field).toBe('year');
  });

  it('answers 401 to a notice without a logged-in user', async () => {
    await request(t.http).put('/api/calendar/years/2027').send(EXAMPLE_2027).expect(401);
    await request(t.http).post('/api/calendar/notices/1/confirm').expect(401);
  });

  it('records a notice as pending, refuses its enterer and non-administrators as confirmers', async () => {
    await expect(notices.record(CASEWORKER, 2027, EXAMPLE_2027)).rejects.toMatchObject({ code: 'CALENDAR_ADMIN_REQUIRED', kind: 'FORBIDDEN' });
    const notice = await notices.record(ALICE, 2027, EXAMPLE_2027);
    expect(notice).toMatchObject({ year: 2027, regionCode: null, version: 1, status: 'pending', enteredBy: ALICE.id, confirmedBy: null });
    expect(notice.days).toHaveLength(9);
    await expect(notices.confirm(ALICE, notice.id)).rejects.toMatchObject({ code: 'CALENDAR_CONFIRMER_IS_ENTERER', kind: 'FORBIDDEN' });
    await expect(notices.confirm(CASEWORKER, notice.id)).rejects.toMatchObject({ code: 'CALENDAR_ADMIN_REQUIRED' });
    // pending is not in force
    expect((await workingDays({ from: '2027-09-28', n: 3 }).expect(200)).body).toMatchObject({ due: '2027-10-01', provisional: true });
  });

  it('refuses impossible, duplicate and out-of-year days, naming each', async () => {
    const bad = {
      sourceDocument: 'EXAMPLE',
      days: [
        { date: '2027-02-30', kind: 'holiday' as const, name: '春节' },
        { date: '2027-10-01', kind: 'holiday' as const, name: '国庆节' },
        { date: '2027-10-01', kind: 'holiday' as const, name: '国庆节' },
        { date: '2029-01-01', kind: 'holiday' as const, name: '元旦' },
      ],
    };
    const err = await notices.record(ALICE, 2027, bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'BAD_INPUT', code: 'CALENDAR_NOTICE_INVALID' });
    const fields = (err as { details: { fields: { field: string }[] } }).details.fields.map((f) => f.field);
    expect(fields).toEqual(['days[0].date', 'days[2].date', 'days[3].date']);
  });

  it('confirms with a second user: provisional deadlines are recomputed, their owners told, the flag cleared', async () => {
    // a deadline tracked while 2027 was missing: 3 working days after 2027-09-28 on weekends only
    const tracked = await inTransaction(t.ds, (em) => deadlines.track(em, { kind: 'test-timer', id: 'T-1' }, { start: '2027-09-28', n: 3 }));
    expect(tracked).toMatchObject({ due: '2027-10-01', provisional: true });
    // one that does not depend on 2027 is left alone
    await inTransaction(t.ds, (em) => deadlines.track(em, { kind: 'test-timer', id: 'T-2' }, { start: '2026-09-24', n: 7 }));
    const pending = (await notices.list(2027, 'national')).find((n) => n.status === 'pending')!;

    const confirmed = await notices.confirm(BOB, pending.id);
    expect(confirmed).toMatchObject({ status: 'confirmed', enteredBy: ALICE.id, confirmedBy: BOB.id, version: 1 });
    expect(confirmed.recomputed).toEqual([
      {
        owner: { kind: 'test-timer', id: 'T-1' },
        before: { due: '2027-10-01', dueAt: new Date('2027-10-01T15:59:59.999Z'), provisional: true },
        // 09-29, 09-30, then National Day 10-01..07, then 10-08 (Friday)
        after: { due: '2027-10-08', dueAt: new Date('2027-10-08T15:59:59.999Z'), provisional: false },
      },
    ]);
    expect(moves).toEqual([confirmed.recomputed]);
    expect(await deadlines.find({ kind: 'test-timer', id: 'T-1' })).toMatchObject({ due: '2027-10-08', provisional: false, status: 'open' });
    // every entry carries its source, who entered and who confirmed it
    const [row] = await t.ds.query(`SELECT source_document, entered_by, confirmed_by, version FROM calendar_days WHERE day = '2027-10-01'`);
    expect(row).toEqual({ source_document: 'EXAMPLE-2027 (test data)', entered_by: ALICE.id, confirmed_by: BOB.id, version: 1 });
    // in force on this node at once: the API, the FEEL-facing service and /health agree
    expect((await workingDays({ from: '2027-09-28', n: 3 }).expect(200)).body).toMatchObject({ due: '2027-10-08', provisional: false });
    expect(calendar.day('2027-10-09')).toMatchObject({ working: true, kind: 'workday', name: '国庆节', provisional: false });
    setNow(t, '2026-11-26T10:00:00+08:00');
    expect((await request(t.http).get('/health').expect(200)).body.info.calendar).toEqual({ status: 'up', lastYear: 2027, missing: [] });
  });

  it('keeps every version: a corrected notice supersedes the one in force once confirmed', async () => {
    const v2 = await notices.record(CAROL, 2027, { ...EXAMPLE_2027, sourceDocument: 'EXAMPLE-2027-v2 (test data)', days: EXAMPLE_2027.days.filter((d) => d.kind !== 'workday') });
    expect(v2).toMatchObject({ version: 2, status: 'pending' });
    // not in force yet: 2027-10-09 is still a make-up working day
    expect(calendar.day('2027-10-09').working).toBe(true);
    await notices.confirm(ALICE, v2.id);
    expect(calendar.day('2027-10-09').working).toBe(false);
    const versions = await notices.list(2027, 'national');
    expect(versions.map((n) => [n.version, n.status])).toEqual([
      [2, 'confirmed'],
      [1, 'superseded'],
    ]);
    await expect(notices.confirm(BOB, v2.id)).rejects.toMatchObject({ code: 'CALENDAR_NOTICE_NOT_PENDING', kind: 'CONFLICT' });
    expect((await request(t.http).get(`/api/calendar/notices/${v2.id}`).expect(200)).body).toMatchObject({ version: 2, confirmedBy: ALICE.id, enteredBy: CAROL.id });
  });

  it('records a regional closure as an overlay for the region and its subtree', async () => {
    const closure = await notices.record(ALICE, 2026, {
      region: '513300',
      sourceDocument: 'EXAMPLE-甘孜-closure (test data)',
      days: [{ date: '2026-12-02', kind: 'closure', name: '临时停止办公（示例）' }],
    });
    await notices.confirm(BOB, closure.id);
    // 甘孜 (513300) and a county under it skip the closed day; Chengdu does not
    expect((await workingDays({ from: '2026-12-01', n: 1, region: '513300' }).expect(200)).body.due).toBe('2026-12-03');
    expect((await workingDays({ from: '2026-12-01', n: 1, region: '513301' }).expect(200)).body.due).toBe('2026-12-03');
    expect((await workingDays({ from: '2026-12-01', n: 1, region: '510100' }).expect(200)).body.due).toBe('2026-12-02');
  });
});
