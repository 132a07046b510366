import request from 'supertest';
import type { Caller } from '../../src/api';
import { WaitingListService } from '../../src/waiting-list';
import { TestApp, createTestApp } from '../support/app';
import { loginAs, setClock } from '../support/identity';
import { NOW, fictitiousId, householdBody, soloBody } from '../applications/fixtures';

type Header = { Authorization: string };

const PROCESS: Caller = { kind: 'process', reference: 'process:test/ServiceTask_Enqueue' };

/**
 * The waiting list (轮候) of 锦江区 510104 on a clock that starts on 2026-03-10 and moves to the
 * 3-year alarm (33 months by the default rule). Six households wait there, one in Deyang:
 *
 *   soloA   优抚对象 (given)                  qualified 2026-02-01   band 1
 *   chen    低保 + 60+ (derived: 陈秀英 1962)  qualified 2025-12-01   band 2
 *   zhou    残疾 (given)                      qualified 2026-01-05   band 3 (earlier case number)
 *   soloB   残疾 (given)                      qualified 2026-01-05   band 3
 *   soloC   none                             qualified 2025-06-01   no priority
 *   zhang   none (applicant_zhang's own)     qualified 2026-03-10   no priority
 */
describe('waiting list: priority order, positions, region scope, the 3-year alarm', () => {
  let t: TestApp;
  let service: WaitingListService;
  const app: Record<string, string> = {};
  const cases: Record<string, string> = {};
  const entry: Record<string, string> = {};

  const as = (user: string): Promise<Header> => loginAs(t, user);
  const file = async (key: string, user: string, body: object) => {
    const res = await request(t.http).post('/api/applications').set(await as(user)).send(body).expect(201);
    app[key] = res.body.id;
    cases[key] = res.body.caseNumber;
  };
  const solo = (n: number) => ({ ...soloBody(fictitiousId(n, '19850101', '510104'), '510104'), type: 'prh_in_kind' });
  const list = async (who: string, query: Record<string, string> = { region: '510104' }) =>
    (await request(t.http).get('/api/waiting-list').query(query).set(await as(who)).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    service = t.app.get(WaitingListService);
    setClock(t, NOW);
    await file('zhang', 'applicant_zhang', householdBody('zhang', { channel: 'online' }));
    await file('zhou', 'jj_window', householdBody('zhou'));
    await file('chen', 'jj_window', householdBody('chen'));
    await file('soloA', 'jj_window', solo(11));
    await file('soloB', 'jj_window', solo(12));
    await file('soloC', 'jj_window', solo(13));
    await file('zhao', 'dy_window', householdBody('zhao'));
    await file('subsidy', 'jj_window', soloBody(fictitiousId(14, '19850101', '510104'), '510104'));
  });
  afterAll(() => t?.close());

  describe('putting households on the list', () => {
    it('enqueues with the given groups, derives 低保/特困 and 60+ from the frozen household, and fixes the 3-year dates', async () => {
      const chen = await service.enqueue(undefined, app.chen, { qualifiedOn: '2025-12-01' }, PROCESS);
      expect(chen).toMatchObject({
        created: true,
        caseNumber: cases.chen,
        regionCode: '510104',
        regionName: '锦江区',
        status: 'waiting',
        statusLabel: { 'zh-CN': '轮候中' },
        priorityGroups: [
          { code: 'dibao_tekun', label: { 'zh-CN': '低保、特困供养家庭' } },
          { code: 'elderly', label: { en: 'Applicant aged 60 or over' } },
        ],
        qualifiedOn: '2025-12-01',
        maxWaitUntil: '2028-12-01',
        alarmOn: '2028-09-01',
        alarmRaisedAt: null,
        applicantName: '陈*英',
        householdSize: 1,
        statusChangedBy: PROCESS.reference,
      });
      entry.chen = chen.id;
      entry.zhang = (await service.enqueue(undefined, app.zhang, {}, PROCESS)).id;
      entry.zhou = (await service.enqueue(undefined, app.zhou, { priorityGroups: ['disability'], qualifiedOn: '2026-01-05' }, PROCESS)).id;
      entry.soloA = (await service.enqueue(undefined, app.soloA, { priorityGroups: ['special_care'], qualifiedOn: '2026-02-01' }, PROCESS)).id;
      entry.soloB = (await service.enqueue(undefined, app.soloB, { priorityGroups: ['disability'], qualifiedOn: '2026-01-05' }, PROCESS)).id;
      entry.zhao = (await service.enqueue(undefined, app.zhao, {}, PROCESS)).id;
    });

    it('puts an application on the list once: enqueueing again returns the entry', async () => {
      const again = await service.enqueue(undefined, app.chen, { priorityGroups: ['special_care'] }, PROCESS);
      expect(again).toMatchObject({ id: entry.chen, created: false, priorityGroups: [{ code: 'dibao_tekun' }, { code: 'elderly' }] });
    });

    it('refuses bad input and applications that do not wait for a unit', async () => {
      await expect(service.enqueue(undefined, app.soloC, { priorityGroups: ['rich' as never] }, PROCESS)).rejects.toMatchObject({ kind: 'BAD_INPUT', code: 'PRIORITY_GROUP_UNKNOWN' });
      await expect(service.enqueue(undefined, app.soloC, { qualifiedOn: '2026-03-11' }, PROCESS)).rejects.toMatchObject({ kind: 'BAD_INPUT', code: 'DATE_INVALID' });
      await expect(service.enqueue(undefined, app.soloC, { qualifiedOn: '2026-02-30' }, PROCESS)).rejects.toMatchObject({ kind: 'BAD_INPUT', code: 'DATE_INVALID' });
      await expect(service.enqueue(undefined, app.subsidy, {}, PROCESS)).rejects.toMatchObject({ kind: 'UNPROCESSABLE', code: 'NOT_FOR_WAITING_LIST' });
      await expect(service.enqueue(undefined, '00000000-0000-4000-8000-000000000000', {}, PROCESS)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    });

    it('lets county staff enqueue a case of their scope over HTTP', async () => {
      const body = { caseNumber: cases.soloC, qualifiedOn: '2025-06-01' };
      await request(t.http).post('/api/waiting-list').set(await as('dy_window')).send(body).expect(403);
      await request(t.http).post('/api/waiting-list').set(await as('jj_county')).send({ ...body, priorityGroups: ['vip'] }).expect(400);
      const res = await request(t.http).post('/api/waiting-list').set(await as('jj_county')).send(body).expect(201);
      expect(res.body).toMatchObject({ created: true, caseNumber: cases.soloC, priorityGroups: [], qualifiedOn: '2025-06-01', statusChangedBy: 'jj_county' });
      entry.soloC = res.body.id;
    });
  });

  describe('the order', () => {
    it('ranks by priority band, then qualification date, then case number', async () => {
      const body = await list('jj_county');
      expect(body).toMatchObject({ region: '510104', regionName: '锦江区', status: 'waiting', total: 6, rule: { regionCode: '510000', maxWaitMonths: 36, alarmMonthsBefore: 3 } });
      expect(body.items.map((e: { id: string; position: number }) => [e.position, e.id])).toEqual([
        [1, entry.soloA],
        [2, entry.chen],
        [3, entry.zhou],
        [4, entry.soloB],
        [5, entry.soloC],
        [6, entry.zhang],
      ]);
      expect(cases.zhou < cases.soloB).toBe(true);
      expect(body.items[0].band).toEqual({ rank: 1, group: 'special_care', label: { 'zh-CN': '优抚对象', en: 'Entitled to special care (优抚)' } });
      expect(body.items[5].band).toMatchObject({ rank: 12, group: null, label: { 'zh-CN': '一般轮候家庭' } });
      expect(body.items.map((e: { applicantName: string }) => e.applicantName)).toContain('周*');
      const page = (await request(t.http).get('/api/waiting-list').query({ region: '510104', limit: 2, offset: 2 }).set(await as('jj_county')).expect(200)).body;
      expect(page.items.map((e: { position: number }) => e.position)).toEqual([3, 4]);
    });

    it('shows applicants their own place and how many are ahead in their band, nothing about the others', async () => {
      const res = await request(t.http).get('/api/waiting-list/me').set(await as('applicant_zhang')).expect(200);
      expect(res.body).toEqual({
        entries: [
          expect.objectContaining({
            id: entry.zhang,
            caseNumber: cases.zhang,
            status: 'waiting',
            regionCode: '510104',
            position: 6,
            ahead: 5,
            aheadInBand: 1,
            waitingInCounty: 6,
            band: { rank: 12, group: null, label: { 'zh-CN': '一般轮候家庭', en: 'No priority group' } },
            qualifiedOn: '2026-03-10',
            maxWaitUntil: '2029-03-10',
          }),
        ],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/陈|周|applicantName/);
      await request(t.http).get('/api/waiting-list/me').set(await as('jj_county')).expect(403);
      await request(t.http).get('/api/waiting-list').query({ region: '510104' }).set(await as('applicant_zhang')).expect(403);
      await request(t.http).get('/api/waiting-list/me').expect(401);
    });

    it('keeps each county’s list to staff whose scope covers it', async () => {
      expect((await list('cd_city')).total).toBe(6);
      const refused = await request(t.http).get('/api/waiting-list').query({ region: '510603' }).set(await as('jj_county')).expect(403);
      expect(refused.body.code).toBe('REGION_OUT_OF_SCOPE');
      expect((await list('cdmz_allocation', { region: '510603' })).items.map((e: { id: string }) => e.id)).toEqual([entry.zhao]);
      expect((await request(t.http).get('/api/waiting-list').query({ region: '510100' }).set(await as('cd_city')).expect(400)).body.code).toBe('REGION_LEVEL');
      expect((await request(t.http).get('/api/waiting-list').query({ region: '519998' }).set(await as('cd_city')).expect(400)).body.code).toBe('REGION_UNKNOWN');
      await request(t.http).get('/api/waiting-list').query({ region: '510104' }).set(await as('jj_window')).expect(403);
      await request(t.http).get(`/api/waiting-list/${entry.zhao}`).set(await as('jj_county')).expect(404);
      expect((await request(t.http).get(`/api/waiting-list/${entry.zhou}`).set(await as('jj_county')).expect(200)).body).toMatchObject({ position: 3, band: { rank: 3 } });
    });
  });

  describe('leaving the list', () => {
    it('allocates with what was allocated and a reason, once, with one audit row', async () => {
      const county = await as('jj_county');
      await request(t.http).post(`/api/waiting-list/${entry.soloA}/allocate`).set(county).send({ reason: '第 3 批配租' }).expect(400);
      const res = await request(t.http).post(`/api/waiting-list/${entry.soloA}/allocate`).set(county).send({ reference: 'JJ-A-1-0302', reason: '第 3 批配租' }).expect(200);
      expect(res.body).toMatchObject({ status: 'allocated', statusLabel: { 'zh-CN': '已配租' }, allocationReference: 'JJ-A-1-0302', statusReason: '第 3 批配租', statusChangedBy: 'jj_county', position: null });
      const again = await request(t.http).post(`/api/waiting-list/${entry.soloA}/remove`).set(county).send({ reason: '重复' }).expect(409);
      expect(again.body.code).toBe('STATUS_TRANSITION_NOT_ALLOWED');
      const rows = await t.ds.query(`SELECT action, username FROM audit_log WHERE object_id = $1 AND result = 'success'`, [entry.soloA]);
      expect(rows).toEqual([
        { action: 'waiting_list.enqueue', username: PROCESS.reference },
        { action: 'waiting_list.allocate', username: 'jj_county' },
      ]);
      const me = (await request(t.http).get('/api/waiting-list/me').set(await as('applicant_zhang')).expect(200)).body.entries[0];
      expect(me).toMatchObject({ position: 5, ahead: 4, aheadInBand: 1, waitingInCounty: 5 });
    });

    it('switches to a subsidy or removes with a reason; the lists by status show them', async () => {
      await request(t.http).post(`/api/waiting-list/${entry.soloC}/remove`).set(await as('jj_county')).send({ reason: '' }).expect(400);
      await request(t.http).post(`/api/waiting-list/${entry.soloC}/switch-to-subsidy`).set(await as('cd_city')).send({ reason: '申请人自愿' }).expect(403);
      await request(t.http).post(`/api/waiting-list/${entry.zhao}/switch-to-subsidy`).set(await as('jj_county')).send({ reason: '申请人自愿' }).expect(404);
      const res = await request(t.http).post(`/api/waiting-list/${entry.soloC}/switch-to-subsidy`).set(await as('cdmz_allocation')).send({ reason: '申请人自愿转为租赁补贴' }).expect(200);
      expect(res.body).toMatchObject({ status: 'switched_to_subsidy', statusChangedBy: 'cdmz_allocation' });
      await expect(service.remove(undefined, entry.soloB, ' ', PROCESS)).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
      expect((await list('jj_county', { region: '510104', status: 'switched_to_subsidy' })).items.map((e: { id: string }) => e.id)).toEqual([entry.soloC]);
      expect((await list('jj_county')).total).toBe(4);
    });
  });

  describe('the 3-year limit', () => {
    it('raises each entry’s alarm once, 33 months after qualification, never for entries that left the list', async () => {
      setClock(t, '2028-08-31T23:59:59+08:00');
      expect(await service.dueForAlarm()).toEqual([]);
      setClock(t, '2028-09-01T00:00:00+08:00');
      const first = await service.dueForAlarm();
      expect(first).toEqual([
        expect.objectContaining({ entryId: entry.chen, caseNumber: cases.chen, applicationId: app.chen, regionCode: '510104', alarmOn: '2028-09-01', maxWaitUntil: '2028-12-01' }),
      ]);
      expect(await service.dueForAlarm()).toEqual([]);
      setClock(t, '2028-12-09T12:00:00+08:00');
      expect((await service.dueForAlarm()).map((a) => a.entryId).sort()).toEqual([entry.zhou, entry.soloB].sort());
      setClock(t, '2028-12-10T00:00:00+08:00');
      // 33 months after 2026-03-10; soloA (allocated) and soloC (on subsidy) never alarm
      expect((await service.dueForAlarm()).map((a) => a.entryId).sort()).toEqual([entry.zhang, entry.zhao].sort());
      expect(await service.dueForAlarm(new Date('2029-06-01T00:00:00+08:00'))).toEqual([]);
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM waiting_list_entries WHERE alarm_raised_at IS NOT NULL`);
      expect(n).toBe(5);
      const shown = (await request(t.http).get(`/api/waiting-list/${entry.chen}`).set(await as('jj_county')).expect(200)).body;
      expect(shown.alarmRaisedAt).toBe('2028-08-31T16:00:00.000Z');
    });
  });

  describe('the per-region rule', () => {
    it('reorders a county’s list from the day a new priority order takes effect', async () => {
      const modeler = await as('sc_modeler');
      const rule = { regionCode: '510104', priorityOrder: ['elderly', 'disability'], maxWaitMonths: 36, alarmMonthsBefore: 6, effectiveFrom: '2028-12-11', source: '锦住建〔2028〕1号（测试）' };
      await request(t.http).post('/api/waiting-list/rules').set(modeler).send({ ...rule, effectiveFrom: '2028-12-09' }).expect(400);
      await request(t.http).post('/api/waiting-list/rules').set(modeler).send({ ...rule, priorityOrder: ['elderly', 'elderly'] }).expect(400);
      await request(t.http).post('/api/waiting-list/rules').set(modeler).send({ ...rule, alarmMonthsBefore: 36 }).expect(400);
      await request(t.http).post('/api/waiting-list/rules').set(await as('jj_county')).send(rule).expect(403);
      await request(t.http).post('/api/waiting-list/rules').set(modeler).send(rule).expect(201);
      expect((await list('jj_county')).items.map((e: { id: string }) => e.id)).toEqual([entry.chen, entry.zhou, entry.soloB, entry.zhang]);
      setClock(t, '2028-12-11T08:00:00+08:00');
      const body = await list('jj_county');
      expect(body.rule).toMatchObject({ regionCode: '510104', priorityOrder: [{ code: 'elderly' }, { code: 'disability' }], alarmMonthsBefore: 6 });
      // chen is elderly (band 1); 低保 no longer ranks here, so zhou and soloB (残疾, band 2) follow
      expect(body.items.map((e: { id: string; band: { rank: number } }) => [e.id, e.band.rank])).toEqual([
        [entry.chen, 1],
        [entry.zhou, 2],
        [entry.soloB, 2],
        [entry.zhang, 3],
      ]);
      const described = (await request(t.http).get('/api/waiting-list/rules').query({ region: '510104' }).set(await as('sc_approver')).expect(200)).body;
      expect(described.versions.map((v: { regionCode: string }) => v.regionCode)).toEqual(['510000', '510104']);
    });
  });
});
