import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs } from '../support/identity';
import { Header, binary, createHousehold, idNumber, rowsOf, workbookOf } from './support';

describe('beneficiaries (保障对象清单): households with protected members', () => {
  let t: TestApp;
  let cd: Header; // city reviewer 510100: keeps the list, may unmask
  let dy: Header; // 德阳旌阳 window caseworker 510603
  let assessor: Header; // provincial assessor: reads, may not unmask
  let householdId: string;

  const applicantId = idNumber('51010719850312421');
  const spouseId = idNumber('51010719870101222');
  const childId = idNumber('51010720150601123');
  const names = ['欧阳明明', '李静', '欧阳小雨'];

  beforeAll(async () => {
    t = await createTestApp({ ANJU_DEMO_USERS: 'false' });
    cd = await loginAs(t, 'cd_city');
    dy = await loginAs(t, 'dy_window');
    assessor = await loginAs(t, 'sc_assessor');
    const created = await createHousehold(t, cd, {
      regionCode: '510107011',
      category: 'low_income',
      guaranteeForm: 'rental_subsidy',
      subsidyMonthlyAmount: 380,
      members: [
        { relation: 'applicant', name: names[0], idNumber: applicantId.toLowerCase(), phone: '139 1234 5678' },
        { relation: 'spouse', name: names[1], idNumber: spouseId },
        { relation: 'child', name: names[2], idNumber: childId },
      ],
    });
    householdId = created.id;
    await createHousehold(t, dy, {
      regionCode: '510603010',
      category: 'dibao',
      guaranteeForm: 'in_kind',
      members: [{ relation: 'applicant', name: '张三', idNumber: idNumber('51060319700101123') }],
    });
  });
  afterAll(() => t?.close());

  it('shows every member masked, and stores nothing in clear', async () => {
    const res = await request(t.http).get(`/api/housing/households/${householdId}`).set(cd).expect(200);
    expect(res.body).toMatchObject({
      householdNo: expect.stringMatching(/^510107-\d{4}-\d{6}$/),
      regionCode: '510107011',
      regionName: '簇桥街道',
      category: 'low_income',
      guaranteeForm: 'rental_subsidy',
      subsidyMonthlyAmount: 380,
      applicantName: '欧**明',
      memberCount: 3,
      labels: { category: { zh: '低收入住房困难家庭' }, guaranteeForm: { zh: '租赁补贴', en: 'Rental subsidy' } },
      currentTenancies: [],
      tenancies: [],
    });
    expect(res.body.members).toEqual([
      { id: expect.any(String), relation: 'applicant', relationLabel: { zh: '申请人', en: 'Applicant' }, name: '欧**明', idNumber: `510107********${applicantId.slice(-4)}`, phone: '139****5678' },
      { id: expect.any(String), relation: 'spouse', relationLabel: { zh: '配偶', en: 'Spouse' }, name: '李*', idNumber: `510107********${spouseId.slice(-4)}`, phone: null },
      { id: expect.any(String), relation: 'child', relationLabel: { zh: '子女', en: 'Child' }, name: '欧**雨', idNumber: `510107********${childId.slice(-4)}`, phone: null },
    ]);
    expect(await findPlaintextPersonalData(t, [...names, '13912345678', applicantId, spouseId, childId])).toEqual([]);
  });

  it('lists by region subtree, category, form and masked name; never across the data scope', async () => {
    const ids = async (as: Header, query: string) => (await request(t.http).get(`/api/housing/households${query}`).set(as).expect(200)).body.items.map((h: { id: string }) => h.id);
    expect(await ids(cd, '?region=510107&category=low_income&guaranteeForm=rental_subsidy')).toEqual([householdId]);
    expect(await ids(cd, '?category=dibao')).toEqual([]);
    expect(await ids(cd, `?name=${encodeURIComponent('欧阳明明')}`)).toEqual([householdId]);
    expect(await ids(cd, `?name=${encodeURIComponent('欧**雨')}`)).toEqual([householdId]);
    expect(await ids(cd, `?name=${encodeURIComponent('欧')}`)).toEqual([householdId]);
    expect(await ids(cd, `?name=${encodeURIComponent('张三')}`)).toEqual([]);
    expect(await ids(cd, '?housed=false')).toEqual([householdId]);
    expect(await ids(dy, '')).toHaveLength(1);
    expect(await ids(dy, '')).not.toContain(householdId);
    expect(await ids(assessor, '')).toHaveLength(2);
    const res = await request(t.http).get(`/api/housing/households/${householdId}`).set(dy).expect(404);
    expect(res.body.code).toBe('HOUSEHOLD_NOT_FOUND');
  });

  it('finds a household by a member exact ID number or phone through the blind index, in a POST body', async () => {
    const byId = await request(t.http).post('/api/housing/households/search').set(cd).send({ idNumber: spouseId }).expect(200);
    expect(byId.body.items.map((h: { id: string }) => h.id)).toEqual([householdId]);
    const byPhone = await request(t.http).post('/api/housing/households/search').set(cd).send({ phone: '+86 13912345678' }).expect(200);
    expect(byPhone.body.total).toBe(1);
    const outOfScope = await request(t.http).post('/api/housing/households/search').set(dy).send({ idNumber: spouseId }).expect(200);
    expect(outOfScope.body).toMatchObject({ total: 0, items: [] });
    await request(t.http).post('/api/housing/households/search').set(cd).send({}).expect(400);
  });

  it('unmasks only for a caller with the permission and a purpose, one audit row per member first', async () => {
    const denied = await request(t.http).post(`/api/housing/households/${householdId}/reveal`).set(assessor).send({ fields: ['name'], purpose: '核实身份信息' }).expect(403);
    expect(denied.body.code).toBe('PERMISSION_DENIED');
    const noPurpose = await request(t.http).post(`/api/housing/households/${householdId}/reveal`).set(cd).send({ fields: ['name'], purpose: '' }).expect(400);
    expect(noPurpose.body.code).toBe('PURPOSE_REQUIRED');
    const res = await request(t.http).post(`/api/housing/households/${householdId}/reveal`).set(cd).send({ fields: ['name', 'idNumber'], purpose: '核实家庭成员身份' }).expect(200);
    expect(res.body.map((m: { name: string; idNumber: string }) => [m.name, m.idNumber])).toEqual([
      [names[0], applicantId],
      [names[1], spouseId],
      [names[2], childId],
    ]);
    const rows = await t.ds.query(`SELECT object_type, fields, purpose, username FROM audit_log WHERE action = 'personal_data.reveal' ORDER BY seq`);
    expect(rows).toEqual(Array(3).fill({ object_type: 'household_member', fields: ['name', 'idNumber'], purpose: '核实家庭成员身份', username: 'cd_city' }));
  });

  it('exports the list as XLSX: masked by default, in clear only with the permission and a purpose', async () => {
    const masked = await request(t.http).get('/api/housing/households/export?region=510107').set(assessor).buffer(true).parse(binary).expect(200);
    const wb = await workbookOf(masked.body);
    const households = rowsOf(wb.getWorksheet('保障对象')!);
    expect(households[0]).toEqual(['保障对象编号', '区划代码', '区划名称', '保障类别', '保障方式', '月租赁补贴(元)', '当前房源资产编号', '家庭人数', '申请人']);
    expect(households.slice(1)).toEqual([[expect.stringMatching(/^510107-/), '510107011', '簇桥街道', '低收入住房困难家庭', '租赁补贴', 380, '', 3, '欧**明']]);
    const members = rowsOf(wb.getWorksheet('家庭成员')!);
    expect(members.slice(1).map((r) => r.slice(1))).toEqual([
      ['申请人', '欧**明', `510107********${applicantId.slice(-4)}`, '139****5678'],
      ['配偶', '李*', `510107********${spouseId.slice(-4)}`, ''],
      ['子女', '欧**雨', `510107********${childId.slice(-4)}`, ''],
    ]);

    const refused = await request(t.http).get('/api/housing/households/export?unmask=true&purpose=%E5%A4%8D%E6%A0%B8%E6%A0%B8%E5%AF%B9').set(assessor).expect(403);
    expect(refused.body.code).toBe('PERMISSION_DENIED');
    expect(refused.headers['content-disposition']).toBeUndefined();
    await request(t.http).get('/api/housing/households/export?unmask=true').set(cd).expect(400);

    const before = (await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.reveal'`))[0].n;
    const clear = await request(t.http).get(`/api/housing/households/export?unmask=true&purpose=${encodeURIComponent('年度复核核对')}&region=510107`).set(cd).buffer(true).parse(binary).expect(200);
    const clearMembers = rowsOf((await workbookOf(clear.body)).getWorksheet('家庭成员')!);
    expect(clearMembers.slice(1).map((r) => [r[2], r[3]])).toEqual([
      [names[0], applicantId],
      [names[1], spouseId],
      [names[2], childId],
    ]);
    const after = (await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.reveal'`))[0].n;
    expect(after - before).toBe(3);
  });

  it('refuses households that break the rules, naming the field', async () => {
    const base = { regionCode: '510107', category: 'dibao', guaranteeForm: 'in_kind' };
    const none = await request(t.http)
      .post('/api/housing/households')
      .set(cd)
      .send({ ...base, members: [{ relation: 'spouse', name: '王五', idNumber: idNumber('51010719800101123') }] })
      .expect(400);
    expect(none.body).toMatchObject({ code: 'HOUSEHOLD_MEMBERS_INVALID', details: { fields: [{ field: 'members', problems: ['must hold exactly one applicant (holds 0)'] }] } });
    const badId = applicantId.slice(0, 17) + (applicantId[17] === '1' ? '2' : '1');
    const checksum = await request(t.http).post('/api/housing/households').set(cd).send({ ...base, members: [{ relation: 'applicant', name: '王五', idNumber: badId }] }).expect(400);
    expect(checksum.body.details.fields).toEqual([{ field: 'members.0.idNumber', problems: [expect.stringContaining('check digit')] }]);
    const subsidy = await request(t.http)
      .post('/api/housing/households')
      .set(cd)
      .send({ ...base, guaranteeForm: 'rental_subsidy', members: [{ relation: 'applicant', name: '王五', idNumber: idNumber('51010719800101123') }] })
      .expect(400);
    expect(subsidy.body).toMatchObject({ code: 'SUBSIDY_INVALID', details: { fields: [{ field: 'subsidyMonthlyAmount' }] } });
    const twice = await request(t.http)
      .post('/api/housing/households')
      .set(cd)
      .send({ ...base, members: [{ relation: 'applicant', name: '王五', idNumber: idNumber('51010719800101123') }, { relation: 'child', name: '欧阳小雨', idNumber: childId }] })
      .expect(409);
    expect(twice.body).toMatchObject({ code: 'PERSON_IN_ANOTHER_HOUSEHOLD', details: { fields: [{ field: 'members.1.idNumber' }] } });
    const scope = await request(t.http)
      .post('/api/housing/households')
      .set(cd)
      .send({ ...base, regionCode: '510603', members: [{ relation: 'applicant', name: '王五', idNumber: idNumber('51010719800101123') }] })
      .expect(403);
    expect(scope.body.code).toBe('REGION_OUT_OF_SCOPE');
    // nothing of the refused households was stored
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM households`))[0].n).toBe(2);
  });

  it('moves a household off the subsidy roll with a reason', async () => {
    const res = await request(t.http).put(`/api/housing/households/${householdId}/guarantee`).set(cd).send({ guaranteeForm: 'in_kind', reason: '改为实物配租，停发租赁补贴' }).expect(200);
    expect(res.body).toMatchObject({ guaranteeForm: 'in_kind', subsidyMonthlyAmount: null });
    await request(t.http).put(`/api/housing/households/${householdId}/guarantee`).set(cd).send({ guaranteeForm: 'rental_subsidy', reason: '恢复补贴' }).expect(400);
    await request(t.http).put(`/api/housing/households/${householdId}/guarantee`).set(dy).send({ guaranteeForm: 'arh', reason: '越权' }).expect(404);
  });

  it('checks the category code and the subsidy amount itself (they are stored sealed), naming the field', async () => {
    const member = { relation: 'applicant', name: '王五', idNumber: idNumber('51010719800101123') };
    const field = async (body: Record<string, unknown>) =>
      (await request(t.http).post('/api/housing/households').set(cd).send({ regionCode: '510107', members: [member], ...body }).expect(400)).body.details.fields.map((f: { field: string }) => f.field);
    expect(await field({ category: 'tekun', guaranteeForm: 'in_kind' })).toEqual(['category']);
    for (const amount of [0, -5, 10000.01, 380.125]) expect(await field({ category: 'dibao', guaranteeForm: 'rental_subsidy', subsidyMonthlyAmount: amount })).toEqual(['subsidyMonthlyAmount']);
    const filter = await request(t.http).get('/api/housing/households?category=tekun').set(cd).expect(400);
    expect(filter.body.details.fields).toEqual([expect.objectContaining({ field: 'category' })]);
    expect((await request(t.http).get('/api/housing/households').set(assessor).expect(200)).body.total).toBe(2);

    // back on the subsidy roll with a new amount: shown and filtered as before
    const res = await request(t.http).put(`/api/housing/households/${householdId}/guarantee`).set(cd).send({ guaranteeForm: 'rental_subsidy', subsidyMonthlyAmount: 456.78, reason: '未能配租，恢复租赁补贴' }).expect(200);
    expect(res.body).toMatchObject({ category: 'low_income', guaranteeForm: 'rental_subsidy', subsidyMonthlyAmount: 456.78 });
    const listed = await request(t.http).get('/api/housing/households?category=low_income&guaranteeForm=rental_subsidy').set(cd).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: householdId, subsidyMonthlyAmount: 456.78, labels: expect.objectContaining({ category: expect.objectContaining({ zh: '低收入住房困难家庭' }) }) })]);
  });
});
