import request from 'supertest';
import { Actor } from '../../src/api';
import { CalendarNoticesService } from '../../src/calendar';
import type { Caller } from '../../src/api';
import { CONTENT_FIELDS, ObjectionRaised, PublicityService } from '../../src/publicity';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs, setClock } from '../support/identity';
import { fictitiousId, householdBody, soloBody } from '../applications/fixtures';

type Header = { Authorization: string };

const PROCESS: Caller = { kind: 'process', reference: 'process:test/ServiceTask_Publish' };
/** 周敏 (simulated household 'zhou'), filed in 锦官驿街道 */
const ZHOU = { name: '周敏', idNumber: '510104198808088883' };

/**
 * 公示 end to end on a moved clock: published on Wednesday 2026-09-30, just before the National Day
 * week (1–7 October rest, Saturday 10 October a make-up working day), so 7 working days end on
 * Thursday 15 October instead of Friday 9 October.
 */
describe('公示: masked public notices with a working-day period, objections, verification', () => {
  let t: TestApp;
  let publicity: PublicityService;
  const ids: Record<string, string> = {};
  const cases: Record<string, string> = {};
  const notices: Record<string, string> = {};
  const raised: ObjectionRaised[] = [];

  const as = (user: string): Promise<Header> => loginAs(t, user);
  const submit = async (key: string, user: string, regionCode?: string) => {
    const res = await request(t.http).post('/api/applications').set(await as(user)).send(householdBody(key, regionCode ? { regionCode } : {})).expect(201);
    ids[key] = res.body.id;
    cases[key] = res.body.caseNumber;
  };
  const anonymous = () => request(t.http);
  const object = (id: string, body: object = { content: '该户在本市另有住房，请核实。' }) => anonymous().post(`/api/public/notices/${id}/objections`).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    publicity = t.app.get(PublicityService);
    publicity.onObjection(async (_em, e) => {
      raised.push(e);
    });
    setClock(t, '2026-09-30T10:00:00+08:00');
    await submit('zhou', 'jj_window', '510104017');
    await submit('chen', 'jj_window');
    await submit('zhao', 'dy_window');
    await submit('zhang', 'jj_window');
    const solo = await request(t.http).post('/api/applications').set(await as('dy_window')).send(soloBody(fictitiousId(7, '19800101', '510603'), '510603')).expect(201);
    ids.solo = solo.body.id;
  });
  afterAll(() => t?.close());

  describe('published on a working day before the National Day week', () => {
    it('starts the same day and ends 7 working days later, past the holiday and counting the make-up Saturday', async () => {
      const p = await publicity.publish(undefined, ids.zhou, 1, PROCESS);
      notices.zhou = p.id;
      expect(p).toMatchObject({
        created: true,
        caseNumber: cases.zhou,
        round: 1,
        roundLabel: { 'zh-CN': '第一次公示（街道初审后）' },
        regionCode: '510104017',
        regionName: '锦官驿街道',
        status: 'running',
        statusLabel: { 'zh-CN': '公示中', en: 'Running' },
        startsOn: '2026-09-30',
        startsAt: '2026-09-30T02:00:00.000Z',
        endsOn: '2026-10-15',
        endsAt: '2026-10-15T15:59:59.999Z',
        provisional: false,
        period: { rule: 'working-days', days: 7, objectionCheckDays: 10 },
        publishedBy: PROCESS.reference,
        withdrawal: null,
        objections: [],
      });
    });

    it('freezes masked content only: surname, masked ID, household size, guarantee type, street', async () => {
      const [row] = await t.ds.query(`SELECT content FROM publicities WHERE id = $1`, [notices.zhou]);
      expect(Object.keys(row.content).sort()).toEqual([...CONTENT_FIELDS].sort());
      expect(row.content).toEqual({
        name: '周*',
        idNumber: '510104********8883',
        householdSize: 1,
        guaranteeType: 'prh_in_kind',
        guaranteeTypeLabel: { 'zh-CN': '公租房实物配租', en: 'Public rental housing, in kind' },
        street: '锦官驿街道',
      });
      await expect(t.ds.query(`UPDATE publicities SET content = '{}'::jsonb WHERE id = $1`, [notices.zhou])).rejects.toThrow(/refused/);
    });

    it('publishes a round once: asking again returns the same notice', async () => {
      const again = await publicity.publish(undefined, ids.zhou, 1, PROCESS);
      expect(again).toMatchObject({ id: notices.zhou, created: false });
      await expect(publicity.publish(undefined, ids.zhou, 3 as never, PROCESS)).rejects.toMatchObject({ code: 'PUBLICITY_ROUND_INVALID', kind: 'BAD_INPUT' });
      await expect(publicity.publish(undefined, '00000000-0000-4000-8000-000000000000', 1, PROCESS)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
      notices.zhao = (await publicity.publish(undefined, ids.zhao, 1, PROCESS)).id;
      notices.zhang = (await publicity.publish(undefined, ids.zhang, 1, PROCESS)).id;
    });
  });

  describe('the public endpoints, without logging in', () => {
    it('list a region’s running notices (and its streets’) with the masked content and nothing else', async () => {
      const county = await anonymous().get('/api/public/notices').query({ region: '510104' }).expect(200);
      expect(county.body.items.map((n: { id: string }) => n.id).sort()).toEqual([notices.zhou, notices.zhang].sort());
      const street = await anonymous().get('/api/public/notices').query({ region: '510104017' }).expect(200);
      expect(street.body).toMatchObject({ total: 1, items: [{ id: notices.zhou }] });
      const item = street.body.items[0];
      expect(Object.keys(item).sort()).toEqual(['content', 'endsAt', 'endsOn', 'id', 'regionCode', 'regionName', 'round', 'roundLabel', 'startsOn']);
      expect(Object.keys(item.content).sort()).toEqual([...CONTENT_FIELDS].sort());
      const text = JSON.stringify([county.body, street.body]);
      for (const secret of [ZHOU.name, ZHOU.idNumber, cases.zhou, ids.zhou, '张三', '510104199001011230']) expect(text).not.toContain(secret);
      const deyang = await anonymous().get('/api/public/notices').query({ region: '510600' }).expect(200);
      expect(deyang.body.items.map((n: { id: string }) => n.id)).toEqual([notices.zhao]);
    });

    it('show one running notice, 404 for an unknown or malformed id, 400 for a bad region', async () => {
      const one = await anonymous().get(`/api/public/notices/${notices.zhou}`).expect(200);
      expect(one.body).toMatchObject({ id: notices.zhou, content: { name: '周*', street: '锦官驿街道' }, endsOn: '2026-10-15' });
      await anonymous().get('/api/public/notices/00000000-0000-4000-8000-000000000000').expect(404);
      expect((await anonymous().get('/api/public/notices/not-an-id').expect(404)).body.code).toBe('NOTICE_NOT_FOUND');
      expect((await anonymous().get('/api/public/notices').query({ region: 'chengdu' }).expect(400)).body.details.fields[0].field).toBe('region');
      expect((await anonymous().get('/api/public/notices').query({ region: '519998' }).expect(400)).body.code).toBe('REGION_UNKNOWN');
      await anonymous().get('/api/public/notices').expect(400);
    });

    it('take an objection with its contact encrypted, and tell the process listener (case number as business key)', async () => {
      const res = await object(notices.zhou, { content: '  该户在本市另有住房，请核实。 ', contact: '13955556666' }).expect(201);
      expect(res.body).toMatchObject({ id: expect.any(String), message: { 'zh-CN': expect.stringContaining('已收到') } });
      expect(res.body).not.toHaveProperty('contact');
      expect(raised).toEqual([
        expect.objectContaining({ objectionId: res.body.id, publicityId: notices.zhou, caseNumber: cases.zhou, applicationId: ids.zhou, round: 1, verificationDueOn: '2026-10-20' }),
      ]);
      const [row] = await t.ds.query(`SELECT content, contact_enc, client_key FROM publicity_objections WHERE id = $1`, [res.body.id]);
      expect(row.content).toBe('该户在本市另有住房，请核实。');
      expect(row.contact_enc).not.toContain('13955556666');
      expect(row.client_key).toMatch(/^[0-9a-f]{64}$/);
      expect(await findPlaintextPersonalData(t, [ZHOU.name, '13955556666'])).toEqual([]);
      // the sender's address is kept only as a keyed hash (the audit log has the request's address, as for every request)
      const stored = (await t.ds.query(`SELECT x::text AS row FROM publicity_objections x`)) as { row: string }[];
      expect(stored.map((r) => r.row).join()).not.toMatch(/127\.0\.0\.1/);
    });

    it('store nothing when the process listener refuses the objection', async () => {
      const before = (await t.ds.query(`SELECT count(*)::int AS n FROM publicity_objections`))[0].n;
      const failing = t.app.get(PublicityService);
      let fail = true;
      failing.onObjection(async () => {
        if (fail) throw new Error('no process is waiting');
      });
      await object(notices.zhang).expect(500);
      fail = false;
      expect((await t.ds.query(`SELECT count(*)::int AS n FROM publicity_objections`))[0].n).toBe(before);
    });

    it.each([
      ['no content', {}, 'content'],
      ['blank content', { content: '   ' }, 'content'],
      ['content over 2000 characters', { content: '异'.repeat(2001) }, 'content'],
      ['a contact over 100 characters', { content: '有异议', contact: '1'.repeat(101) }, 'contact'],
      ['an unknown field', { content: '有异议', name: '匿名' }, 'name'],
    ])('refuse an objection with %s (400 naming the field)', async (_what, body, field) => {
      const res = await object(notices.zhou, body).expect(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('limit one address to 5 objections an hour per notice (429), other notices unaffected, free again after the hour', async () => {
      for (let i = 0; i < 5; i++) await object(notices.zhao, { content: `第 ${i + 1} 条异议` }).expect(201);
      const refused = await object(notices.zhao).expect(429);
      expect(refused.body).toMatchObject({ code: 'OBJECTION_RATE_LIMITED', details: { limit: 5, retryAfterSeconds: expect.any(Number) } });
      expect(refused.body.details.retryAfterSeconds).toBeLessThanOrEqual(3600);
      await object(notices.zhang).expect(201);
      expect((await t.ds.query(`SELECT count(*)::int AS n FROM publicity_objections WHERE publicity_id = $1`, [notices.zhao]))[0].n).toBe(5);
      setClock(t, '2026-09-30T11:00:01+08:00');
      await object(notices.zhao).expect(201);
    });
  });

  describe('staff', () => {
    it('see a case’s notices with objections (contact masked), within their region scope only', async () => {
      const res = await request(t.http).get(`/api/publicity/cases/${cases.zhou}`).set(await as('jgy_street')).expect(200);
      expect(res.body).toMatchObject({ caseNumber: cases.zhou, notices: [{ id: notices.zhou, status: 'running', objections: [{ status: 'pending', contact: '139****6666' }] }] });
      await request(t.http).get(`/api/publicity/cases/${cases.zhao}`).set(await as('jj_county')).expect(404);
      await request(t.http).get(`/api/publicity/notices/${notices.zhao}`).set(await as('jj_county')).expect(404);
      await request(t.http).get(`/api/publicity/notices/${notices.zhao}`).set(await as('cdmz_allocation')).expect(403);
      await request(t.http).get(`/api/publicity/cases/${cases.zhou}`).set(await as('applicant_zhang')).expect(403);
      await request(t.http).get(`/api/publicity/cases/${cases.zhou}`).expect(401);
      const pending = await request(t.http).get('/api/publicity/objections').query({ status: 'pending' }).set(await as('jj_county')).expect(200);
      expect(pending.body.items.map((o: { publicityId: string }) => o.publicityId)).not.toContain(notices.zhao);
      expect(pending.body.total).toBe(2);
    });

    it('reveal the objector’s contact with a purpose, audited', async () => {
      const [objection] = (await request(t.http).get(`/api/publicity/cases/${cases.zhou}`).set(await as('jgy_street')).expect(200)).body.notices[0].objections;
      const res = await request(t.http).post(`/api/publicity/objections/${objection.id}/reveal`).set(await as('jgy_street')).send({ purpose: '联系异议人核实情况' }).expect(200);
      expect(res.body).toEqual({ id: objection.id, contact: '13955556666' });
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.reveal' AND object_id = $1`, [objection.id]);
      expect(n).toBe(1);
    });

    it('record the verification outcome once, with reasons and by whom; only street and county reviewers', async () => {
      const [objection] = (await publicity.objectionsOf(ids.zhou)).filter((o) => o.status === 'pending');
      await request(t.http).post(`/api/publicity/objections/${objection.id}/verification`).set(await as('cd_city')).send({ outcome: 'upheld', reasons: '核实' }).expect(403);
      await request(t.http).post(`/api/publicity/objections/${objection.id}/verification`).set(await as('jgy_street')).send({ outcome: 'maybe', reasons: '核实' }).expect(400);
      await request(t.http).post(`/api/publicity/objections/${objection.id}/verification`).set(await as('jgy_street')).send({ outcome: 'upheld', reasons: ' ' }).expect(400);
      const res = await request(t.http)
        .post(`/api/publicity/objections/${objection.id}/verification`)
        .set(await as('jgy_street'))
        .send({ outcome: 'not_upheld', reasons: '经入户核实，该户在本市无其他住房' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'not_upheld',
        statusLabel: { 'zh-CN': '异议不成立' },
        verification: { outcome: 'not_upheld', reasons: '经入户核实，该户在本市无其他住房', verifiedBy: 'jgy_street', verifiedAt: expect.any(String) },
      });
      const again = await request(t.http).post(`/api/publicity/objections/${objection.id}/verification`).set(await as('jj_county')).send({ outcome: 'upheld', reasons: '复查' }).expect(409);
      expect(again.body.code).toBe('OBJECTION_ALREADY_VERIFIED');
      const rows = await t.ds.query(`SELECT action, username FROM audit_log WHERE object_id = $1 AND result = 'success' AND method = 'POST' AND path LIKE '%verification'`, [objection.id]);
      expect(rows).toEqual([{ action: 'publicity.objection.verify', username: 'jgy_street' }]);
    });

    it('withdraw a notice: gone from the public side at once, objections refused, and it may be published again', async () => {
      const withdrawn = await publicity.withdraw(undefined, notices.zhao, '申请人撤回申请', PROCESS);
      expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawal: { by: PROCESS.reference, reason: '申请人撤回申请' } });
      await anonymous().get(`/api/public/notices/${notices.zhao}`).expect(404);
      expect((await anonymous().get('/api/public/notices').query({ region: '510603' }).expect(200)).body.total).toBe(0);
      expect((await object(notices.zhao).expect(409)).body).toMatchObject({ code: 'NOTICE_NOT_RUNNING', details: { status: 'withdrawn' } });
      await expect(publicity.withdraw(undefined, notices.zhao, '再次撤回', PROCESS)).rejects.toMatchObject({ code: 'PUBLICITY_NOT_WITHDRAWABLE' });
      const again = await publicity.publish(undefined, ids.zhao, 1, PROCESS);
      expect(again).toMatchObject({ created: true, status: 'running' });
      expect(again.id).not.toBe(notices.zhao);
      const res = await request(t.http).post(`/api/publicity/notices/${again.id}/withdraw`).set(await as('jj_county')).send({ reason: '错误发布' }).expect(404);
      expect(res.body.code).toBe('PUBLICITY_NOT_FOUND');
    });
  });

  describe('published on a holiday', () => {
    it('is scheduled until the next working day: not public, no objections, then running', async () => {
      setClock(t, '2026-10-03T10:00:00+08:00');
      const p = await publicity.publish(undefined, ids.chen, 1, PROCESS);
      notices.chen = p.id;
      expect(p).toMatchObject({ status: 'scheduled', startsOn: '2026-10-08', startsAt: '2026-10-07T16:00:00.000Z', endsOn: '2026-10-16' });
      await anonymous().get(`/api/public/notices/${p.id}`).expect(404);
      expect((await object(p.id).expect(409)).body.details.status).toBe('scheduled');
      setClock(t, '2026-10-08T00:00:00+08:00');
      await anonymous().get(`/api/public/notices/${p.id}`).expect(200);
    });
  });

  describe('after the last day', () => {
    it('runs until 24:00 of the last day', async () => {
      setClock(t, '2026-10-15T23:59:59+08:00');
      await anonymous().get(`/api/public/notices/${notices.zhou}`).expect(200);
      await object(notices.zhou).expect(201);
    });

    it('then shows nothing: 404, gone from the list, objections 409; staff see it ended and cannot withdraw it', async () => {
      setClock(t, '2026-10-16T00:00:00+08:00');
      expect((await anonymous().get(`/api/public/notices/${notices.zhou}`).expect(404)).body.code).toBe('NOTICE_NOT_FOUND');
      const list = await anonymous().get('/api/public/notices').query({ region: '510104' }).expect(200);
      expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([notices.chen]);
      const late = await object(notices.zhou).expect(409);
      expect(late.body).toMatchObject({ code: 'NOTICE_NOT_RUNNING', details: { status: 'ended' } });
      const staff = await request(t.http).get(`/api/publicity/notices/${notices.zhou}`).set(await as('jj_county')).expect(200);
      expect(staff.body).toMatchObject({ status: 'ended', statusLabel: { 'zh-CN': '公示期满' } });
      await request(t.http).post(`/api/publicity/notices/${notices.zhou}/withdraw`).set(await as('jj_county')).send({ reason: '过期' }).expect(409);
    });
  });

  describe('the per-region rule', () => {
    it('takes a new version from its effective day, never in the past, and the region’s own version wins', async () => {
      setClock(t, '2026-11-02T09:00:00+08:00');
      const modeler = await as('sc_modeler');
      const rule = { regionCode: '510104', round: 2, rule: 'calendar-rolling', days: 10, objectionCheckDays: 5, effectiveFrom: '2026-11-02', source: '锦住建〔2026〕8号（测试）' };
      await request(t.http).post('/api/publicity/rules').set(modeler).send({ ...rule, effectiveFrom: '2026-11-01' }).expect(400);
      await request(t.http).post('/api/publicity/rules').set(modeler).send({ ...rule, effectiveFrom: '2026-02-30' }).expect(400);
      await request(t.http).post('/api/publicity/rules').set(await as('jj_county')).send(rule).expect(403);
      await request(t.http).post('/api/publicity/rules').set(modeler).send(rule).expect(201);
      await request(t.http).post('/api/publicity/rules').set(modeler).send(rule).expect(409);
      const described = await request(t.http).get('/api/publicity/rules').query({ region: '510104017' }).set(await as('jgy_street')).expect(200);
      expect(described.body.inForce).toMatchObject([
        { regionCode: '510000', round: 1, rule: 'working-days', days: 7 },
        { regionCode: '510104', round: 2, rule: 'calendar-rolling', days: 10, objectionCheckDays: 5 },
      ]);
      // Monday 2 November + 10 calendar days = Thursday 12 November
      const p = await publicity.publish(undefined, ids.zhou, 2, PROCESS);
      expect(p).toMatchObject({ round: 2, startsOn: '2026-11-02', endsOn: '2026-11-12', period: { rule: 'calendar-rolling', days: 10, objectionCheckDays: 5 } });
      // Deyang still follows the province's default
      expect((await publicity.publish(undefined, ids.zhao, 2, PROCESS)).endsOn).toBe('2026-11-11');
    });
  });

  describe('an end in a year without a confirmed calendar', () => {
    it('is provisional, and moves when the year is entered and confirmed', async () => {
      setClock(t, '2026-12-28T09:00:00+08:00');
      const p = await publicity.publish(undefined, ids.solo, 1, PROCESS);
      expect(p).toMatchObject({ startsOn: '2026-12-28', endsOn: '2027-01-06', provisional: true });
      const calendarAdmin = (id: string, role: string): Actor => ({ id, username: id, roles: [role], organizationId: null, regionScopes: [], groups: [] });
      const notices2027 = t.app.get(CalendarNoticesService);
      const notice = await notices2027.record(calendarAdmin('11111111-1111-4111-8111-111111111111', 'policy_modeler'), 2027, {
        sourceDocument: 'EXAMPLE-2027 (test data)',
        days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
      });
      await notices2027.confirm(calendarAdmin('22222222-2222-4222-8222-222222222222', 'policy_approver'), notice.id);
      const moved = (await publicity.publicationsOf(ids.solo)).find((n) => n.id === p.id)!;
      expect(moved).toMatchObject({ endsOn: '2027-01-07', endsAt: '2027-01-07T15:59:59.999Z', provisional: false });
    });
  });
});
