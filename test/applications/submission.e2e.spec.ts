import request from 'supertest';
import { APPLICATION_STATUSES, APPLICATION_TYPES, ApplicationsService, RELATIONSHIPS, joinSnapshot } from '../../src/applications';
import { PersonalDataService } from '../../src/identity';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs, setClock } from '../support/identity';
import { checkCharacterFor } from '../identity/fixtures';
import { CHECK_TYPES, SIMULATED_HOUSEHOLDS } from '../../src/connectors';
import { EXPIRES, MemberOptions, NOW, applicantAccount, fictitiousId, householdBody, memberBody, soloBody } from './fixtures';

const person = (name: string) => SIMULATED_HOUSEHOLDS.flatMap((h) => h.members).find((m) => m.name === name)!;

type Header = { Authorization: string };

describe('submitting an application (申请)', () => {
  let t: TestApp;
  let window: Header;
  let zhang: Header;
  let county: Header;
  let auditor: Header;

  beforeAll(async () => {
    t = await createTestApp();
    setClock(t, NOW);
    window = await loginAs(t, 'jj_window');
    zhang = await loginAs(t, 'applicant_zhang');
    county = await loginAs(t, 'jj_county');
    auditor = await loginAs(t, 'audit_admin');
  });
  afterAll(() => t?.close());

  const count = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM applications`))[0].n as number;

  it('takes an applicant’s own online application: readable case number, household frozen and masked', async () => {
    const res = await request(t.http).post('/api/applications').set(zhang).send(householdBody('zhang', { channel: 'online' })).expect(201);
    const [{ id: zhangId }] = await t.ds.query(`SELECT id FROM users WHERE username = 'applicant_zhang'`);
    expect(res.body).toMatchObject({
      caseNumber: 'SQ-510104-2026-000001',
      type: 'prh_in_kind',
      typeLabel: { 'zh-CN': '公租房实物配租' },
      channel: 'online',
      regionCode: '510104',
      targetRegionCode: null,
      status: 'submitted',
      statusLabel: { 'zh-CN': '已提交', en: 'Submitted' },
      applicantName: '张*',
      householdSize: 3,
      filedBy: { userId: zhangId, username: 'applicant_zhang', role: 'applicant' },
      applicantUserId: zhangId,
      unmasked: false,
      snapshot: { intact: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), capturedAt: new Date(NOW).toISOString() },
      missingMaterials: [{ kind: 'authorisation_letter', label: { 'zh-CN': '授权查询书', en: 'Query authorisation' } }],
      statusHistory: [{ from: null, to: 'submitted', changedBy: 'applicant_zhang', changedAt: new Date(NOW).toISOString() }],
    });
    const [self, spouse, child] = res.body.household.members;
    expect(self).toMatchObject({ position: 1, relationship: 'self', name: '张*', idNumber: '510104********1230', adult: true, ageAtSubmission: 36, gender: 'male', birthDate: '1990-01-01' });
    expect(self.commitment).toEqual({ signedAt: '2026-03-01T01:00:00.000Z', method: 'e_signature', textVersion: '2025-1' });
    expect(self.authorisations).toEqual([expect.objectContaining({ signedBy: 'self', valid: true, expiresAt: new Date(EXPIRES).toISOString() })]);
    expect(spouse).toMatchObject({ position: 2, relationship: 'spouse', relationshipLabel: { 'zh-CN': '配偶' }, name: '李*', adult: true });
    expect(child).toMatchObject({ position: 3, name: '张*宝', adult: false, ageAtSubmission: 9, commitment: null, authorisations: [expect.objectContaining({ signedBy: 'guardian' })] });
    expect(res.body.household).toMatchObject({ size: 3, adults: 2, minors: 1, totals: { monthlyIncome: 4300, perCapitaMonthlyIncome: 1433.33, ownedDwellings: 0 } });
    expect(res.body.household.phone).toBe('139****0000');
    // the frozen household holds who each member was only as a keyed hash (kept in the database, not shown)
    expect(JSON.stringify(res.body.snapshot.content)).not.toMatch(/张三|李梅|510104199001011230|idNumberBidx/);
    const [stored] = await t.ds.query(`SELECT household_snapshot AS s FROM applications WHERE id = $1`, [res.body.id]);
    expect(stored.s.members[0].idNumberBidx).toMatch(/^[A-Za-z0-9_=+/-]{20,}$/);
    expect(JSON.stringify(stored.s)).not.toMatch(/张三|李梅|510104199001011230/);
    // income, assets, 低保 status and the category are sealed beside it, never in the clear part
    expect(stored.s).not.toHaveProperty('totals');
    expect(stored.s).not.toHaveProperty('category');
    expect(Object.keys(stored.s.members[0])).not.toEqual(expect.arrayContaining(['monthlyIncome']));
    expect(stored.s.members.some((m: object) => 'assets' in m || 'assistanceStatus' in m || 'socialInsuranceMonths' in m)).toBe(false);
  });

  it('lets window staff file for an applicant, recorded as filed-by, and links the applicant’s own account', async () => {
    const chen = await applicantAccount(t, 'applicant_chen', '510104196203042023');
    const res = await request(t.http).post('/api/applications').set(window).send(householdBody('chen', { type: 'prh_rental_subsidy' })).expect(201);
    expect(res.body).toMatchObject({ caseNumber: 'SQ-510104-2026-000002', channel: 'window', filedBy: { username: 'jj_window', role: 'window_caseworker' }, applicantUserId: chen.id });
    const own = await request(t.http).get(`/api/applications/${res.body.id}`).set(chen.header).expect(200);
    expect(own.body.caseNumber).toBe('SQ-510104-2026-000002');
    // an applicant files online; a window is for staff
    const atWindow = await request(t.http).post('/api/applications').set(chen.header).send(householdBody('chen')).expect(400);
    expect(atWindow.body).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED', details: { fields: [{ field: 'channel' }] } });
  });

  it('refuses an applicant filing in someone else’s name, and staff filing outside their region', async () => {
    const other = await request(t.http).post('/api/applications').set(zhang).send(householdBody('zhou', { channel: 'online' })).expect(403);
    expect(other.body).toMatchObject({ code: 'NOT_OWN_APPLICATION', details: { fields: [{ field: 'household.members.0.idNumber' }] } });
    const outside = await request(t.http).post('/api/applications').set(window).send(householdBody('wang')).expect(403);
    expect(outside.body).toMatchObject({ code: 'REGION_OUT_OF_SCOPE', details: { fields: [{ field: 'regionCode' }] } });
    await request(t.http).post('/api/applications').set(county).send(householdBody('zhou')).expect(403);
  });

  it('refuses a second open application of the same applicant (409)', async () => {
    const res = await request(t.http).post('/api/applications').set(zhang).send(householdBody('zhang', { channel: 'online' })).expect(409);
    expect(res.body.code).toBe('APPLICATION_ALREADY_OPEN');
  });

  describe('422: every adult’s commitment (承诺) and query authorisation (授权查询)', () => {
    it.each([
      ['no commitment', { 1: { commitment: false } }, [{ field: 'household.members.1.commitment', problems: ['missing'] }], 'member 2 (spouse, 李*, aged 33) has no signed commitment'],
      ['no authorisation', { 1: { authorisation: false } }, [{ field: 'household.members.1.authorisation', problems: ['missing'] }], 'has no signed authorisation'],
      ['an authorisation already expired', { 0: { authorisation: { expiresAt: '2026-03-10T09:59:59+08:00' } } }, [{ field: 'household.members.0.authorisation', problems: ['expired'] }], 'member 1 (applicant, 周*'],
      [
        'neither, for two adults',
        { 0: { commitment: false, authorisation: false }, 1: { authorisation: false } },
        [
          { field: 'household.members.0.commitment', problems: ['missing'] },
          { field: 'household.members.0.authorisation', problems: ['missing'] },
          { field: 'household.members.1.authorisation', problems: ['missing'] },
        ],
        'and 1 more member',
      ],
    ])('%s: names the member and what is missing', async (_what, members: Record<number, MemberOptions>, fields, message) => {
      const body = householdBody('zhou', { members });
      body.household.members.push(memberBody({ ...person('李梅'), relationship: 'spouse' }, members[1]));
      const before = await count();
      const res = await request(t.http).post('/api/applications').set(window).send(body).expect(422);
      expect(res.body.code).toBe('SIGNATURES_MISSING');
      expect(res.body.details.fields).toEqual(fields);
      expect(res.body.message).toContain(message);
      expect(res.body.details.members[0]).toMatchObject({ member: expect.stringMatching(/^成员\d（.+，.\*.?，\d+岁）$/) });
      expect(await count()).toBe(before);
    });

    it('decides adulthood from the ID number’s birth date on the submission day (the injected clock)', async () => {
      const turning18 = checkCharacterFor('51010420080310002');
      const body = householdBody('zhou');
      body.household.members.push({ ...householdBody('zhang').household.members[2], idNumber: turning18, name: '周小雨', relationship: 'child' });
      delete (body.household.members[1] as { authorisation?: unknown }).authorisation;
      const res = await request(t.http).post('/api/applications').set(window).send(body).expect(422);
      expect(res.body.details.fields).toEqual([
        { field: 'household.members.1.commitment', problems: ['missing'] },
        { field: 'household.members.1.authorisation', problems: ['missing'] },
      ]);
      setClock(t, '2026-03-09T23:59:00+08:00');
      try {
        const accepted = await request(t.http).post('/api/applications').set(await loginAs(t, 'jj_window')).send(body).expect(201);
        expect(accepted.body.household.members[1]).toMatchObject({ adult: false, ageAtSubmission: 17 });
      } finally {
        setClock(t, NOW);
      }
    });

    it('refuses an applicant under 18 (422) and a signature dated after the submission (400)', async () => {
      const young = soloBody(checkCharacterFor('51010420100101003'));
      const res = await request(t.http).post('/api/applications').set(window).send(young).expect(422);
      expect(res.body).toMatchObject({ code: 'APPLICANT_NOT_ADULT', details: { fields: [{ field: 'household.members.0.idNumber' }] } });
      const future = soloBody(fictitiousId(900));
      future.household.members[0].commitment!.signedAt = '2026-03-11T09:00:00+08:00';
      const f = await request(t.http).post('/api/applications').set(window).send(future).expect(400);
      expect(f.body).toMatchObject({ code: 'SIGNATURE_DATE_INVALID', details: { fields: [{ field: 'household.members.0.commitment.signedAt' }] } });
    });
  });

  describe('400: bad input, naming the field', () => {
    const solo = () => soloBody(fictitiousId(901));
    it.each([
      ['a wrong check digit', (b: ReturnType<typeof solo>) => (b.household.members[0].idNumber = fictitiousId(901).slice(0, 17) + (fictitiousId(901).endsWith('1') ? '2' : '1')), 'VALIDATION_FAILED', 'household.members.0.idNumber'],
      ['a birth date in the future', (b: ReturnType<typeof solo>) => (b.household.members[0].idNumber = checkCharacterFor('51010420300101001')), 'ID_NUMBER_INVALID', 'household.members.0.idNumber'],
      ['no monthly income', (b: ReturnType<typeof solo>) => delete (b.household.members[0] as { monthlyIncome?: number }).monthlyIncome, 'VALIDATION_FAILED', 'household.members.0.monthlyIncome'],
      ['an unknown check in the authorisation', (b: ReturnType<typeof solo>) => (b.household.members[0].authorisation!.checks = ['hukou', 'horoscope' as never]), 'VALIDATION_FAILED', 'household.members.0.authorisation.checks'],
      ['two applicants', (b: ReturnType<typeof solo>) => b.household.members.push({ ...b.household.members[0], idNumber: fictitiousId(902) }), 'APPLICANT_MEMBER', 'household.members'],
      ['the same person twice', (b: ReturnType<typeof solo>) => b.household.members.push({ ...b.household.members[0], relationship: 'spouse' }), 'DUPLICATE_MEMBER', 'household.members.1.idNumber'],
      ['an unknown region', (b: ReturnType<typeof solo>) => (b.regionCode = '519999'), 'REGION_UNKNOWN', 'regionCode'],
      ['a whole city as region', (b: ReturnType<typeof solo>) => (b.regionCode = '510100'), 'REGION_LEVEL', 'regionCode'],
      ['a target region on a window application', (b: ReturnType<typeof solo>) => Object.assign(b, { targetRegionCode: '510603' }), 'TARGET_REGION_NOT_ALLOWED', 'targetRegionCode'],
      ['a material hash that is not SHA-256', (b: ReturnType<typeof solo>) => Object.assign(b, { materials: [{ kind: 'id_documents', reference: 'doc:x', sha256: 'abc' }] }), 'VALIDATION_FAILED', 'materials.0.sha256'],
      ['a material about a member that is not there', (b: ReturnType<typeof solo>) => Object.assign(b, { materials: [{ kind: 'id_documents', reference: 'doc:x', sha256: 'a'.repeat(64), memberIndex: 3 }] }), 'MATERIAL_MEMBER_UNKNOWN', 'materials.0.memberIndex'],
    ])('%s', async (_what, spoil, code, field) => {
      const body = solo();
      spoil(body);
      const before = await count();
      const res = await request(t.http).post('/api/applications').set(window).send(body).expect(400);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await count()).toBe(before);
    });
  });

  it('keeps the frozen household unchanged whatever happens later, and refuses to edit it', async () => {
    const [app] = await t.ds.query(`SELECT id FROM applications WHERE case_number = 'SQ-510104-2026-000001'`);
    const before = (await request(t.http).get(`/api/applications/${app.id}`).set(county).expect(200)).body;
    const service = t.app.get(ApplicationsService);
    await service.changeStatus(app.id, 'accepted', '材料齐全，予以受理', { kind: 'process', reference: 'process:test/ServiceTask_Accept' });
    setClock(t, '2027-06-01T10:00:00+08:00'); // past every authorisation's expiry, the child a year older
    try {
      const after = (await request(t.http).get(`/api/applications/${app.id}`).set(await loginAs(t, 'jj_county')).expect(200)).body;
      expect(after.snapshot).toEqual(before.snapshot);
      expect(after.household).toEqual({ ...before.household, members: before.household.members.map((m: { authorisations: object[] }) => ({ ...m, authorisations: m.authorisations.map((a) => ({ ...a, valid: false })) })) });
      expect(after.status).toBe('accepted');
      expect(after.statusHistory.at(-1)).toMatchObject({ from: 'submitted', to: 'accepted', reason: '材料齐全，予以受理', changedBy: 'process:test/ServiceTask_Accept' });
    } finally {
      setClock(t, NOW);
    }
    await expect(t.ds.query(`UPDATE applications SET household_snapshot = household_snapshot || '{"size": 2}' WHERE id = $1`, [app.id])).rejects.toThrow(/frozen at submission/);
    await expect(t.ds.query(`UPDATE applications SET case_number = 'SQ-510104-2026-999999' WHERE id = $1`, [app.id])).rejects.toThrow(/frozen/);
    await expect(t.ds.query(`UPDATE application_status_history SET reason = 'x' WHERE application_id = $1`, [app.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`UPDATE applications SET household_facts_enc = household_facts_enc || 'x' WHERE id = $1`, [app.id])).rejects.toThrow(/frozen at submission/);
    // the hash is PostgreSQL's SHA-256 of the whole snapshot (clear part and opened facts joined), as at submission
    const [row] = await t.ds.query(`SELECT household_snapshot, household_facts_enc, snapshot_sha256 FROM applications WHERE id = $1`, [app.id]);
    const whole = joinSnapshot(row.household_snapshot, JSON.parse(t.app.get(PersonalDataService).decryptForUse('facts', row.household_facts_enc)));
    const [{ intact, partOnly }] = await t.ds.query(
      `SELECT encode(sha256(convert_to($1::jsonb::text, 'UTF8')), 'hex') = $3 AS intact, encode(sha256(convert_to($2::jsonb::text, 'UTF8')), 'hex') = $3 AS "partOnly"`,
      [JSON.stringify(whole), JSON.stringify(row.household_snapshot), row.snapshot_sha256],
    );
    expect({ intact, partOnly }).toEqual({ intact: true, partOnly: false });
  });

  it('moves status only along the allowed paths, with a reason, recording who', async () => {
    const [app] = await t.ds.query(`SELECT id FROM applications WHERE case_number = 'SQ-510104-2026-000002'`);
    const service = t.app.get(ApplicationsService);
    await expect(service.changeStatus(app.id, 'county_review', '跳级', { kind: 'process', reference: 'p' })).rejects.toMatchObject({ code: 'STATUS_TRANSITION_NOT_ALLOWED', kind: 'CONFLICT' });
    await expect(service.changeStatus(app.id, 'accepted', '  ', { kind: 'process', reference: 'p' })).rejects.toMatchObject({ code: 'REASON_REQUIRED', kind: 'BAD_INPUT' });
    const [{ id: userId }] = await t.ds.query(`SELECT id FROM users WHERE username = 'jj_window'`);
    expect(await service.changeStatus(app.id, 'correction_requested', '缺少授权查询书', { kind: 'user', userId, username: 'jj_window' })).toMatchObject({ from: 'submitted', to: 'correction_requested' });
    expect(await service.missingMaterials(app.id)).toEqual([{ kind: 'authorisation_letter', label: expect.objectContaining({ 'zh-CN': '授权查询书' }) }]);
    const rows = await t.ds.query(`SELECT to_status, changed_by, changed_by_user_id FROM application_status_history WHERE application_id = $1 ORDER BY id`, [app.id]);
    expect(rows).toEqual([
      { to_status: 'submitted', changed_by: 'jj_window', changed_by_user_id: userId },
      { to_status: 'correction_requested', changed_by: 'jj_window', changed_by_user_id: userId },
    ]);
  });

  it('numbers concurrent submissions uniquely and without gaps', async () => {
    const n = 12;
    const bodies = Array.from({ length: n }, (_, i) => soloBody(fictitiousId(100 + i, '19750505', '510104')));
    const [{ last }] = await t.ds.query(`SELECT last_value AS last FROM application_case_counters WHERE region_code = '510104' AND year = 2026`);
    const responses = await Promise.all(bodies.map((b) => request(t.http).post('/api/applications').set(window).send(b)));
    expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 201));
    const numbers = responses.map((r) => r.body.caseNumber as string).sort();
    expect(new Set(numbers).size).toBe(n);
    expect(numbers).toEqual(Array.from({ length: n }, (_, i) => `SQ-510104-2026-${String(last + 1 + i).padStart(6, '0')}`));
  });

  it('unmasks only with the permission and a purpose, one audit row per member and one for the contact', async () => {
    const [app] = await t.ds.query(`SELECT id FROM applications WHERE case_number = 'SQ-510104-2026-000001'`);
    const none = await request(t.http).get(`/api/applications/${app.id}`).query({ unmask: true }).set(county).expect(400);
    expect(none.body.code).toBe('PURPOSE_REQUIRED');
    await request(t.http).get(`/api/applications/${app.id}`).query({ unmask: true, purpose: '本人查看' }).set(zhang).expect(403);
    const res = await request(t.http).get(`/api/applications/${app.id}`).query({ unmask: true, purpose: '入户调查核对身份' }).set(county).expect(200);
    expect(res.body.unmasked).toBe(true);
    expect(res.body.household.members.map((m: { name: string }) => m.name)).toEqual(['张三', '李梅', '张小宝']);
    expect(res.body.household.members[0].idNumber).toBe('510104199001011230');
    expect(res.body.household.phone).toBe('13912340000');
    const log = await request(t.http).get('/api/audit').query({ action: 'personal_data.reveal' }).set(auditor).expect(200);
    expect(log.body.items.map((r: { objectType: string; username: string; purpose: string }) => [r.objectType, r.username, r.purpose])).toEqual(
      expect.arrayContaining([
        ['applications', 'jj_county', '入户调查核对身份'],
        ['application_members', 'jj_county', '入户调查核对身份'],
      ]),
    );
    expect(log.body.items.filter((r: { objectType: string }) => r.objectType === 'application_members')).toHaveLength(3);
  });

  it('keeps the database’s lists of types, relationships, statuses and checks in step with the code', async () => {
    const listed = async (constraint: string) => {
      const [{ def }] = await t.ds.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [constraint]);
      return [...new Set([...(def as string).matchAll(/'([a-z_]+)'/g)].map((m) => m[1]))].sort();
    };
    expect(await listed('applications_type_check')).toEqual([...APPLICATION_TYPES].sort());
    expect(await listed('applications_status_check')).toEqual([...APPLICATION_STATUSES].sort());
    expect(await listed('application_status_history_to_status_check')).toEqual([...APPLICATION_STATUSES].sort());
    expect(await listed('application_members_relationship_check')).toEqual([...RELATIONSHIPS].sort());
    expect(await listed('connector_calls_check_type_check')).toEqual([...CHECK_TYPES].sort());
    expect(await listed('application_authorisations_checks_check')).toEqual([...CHECK_TYPES].sort());
  });

  it('stores no name, ID number or phone in clear', async () => {
    expect(await findPlaintextPersonalData(t, ['张三', '李梅', '张小宝', '陈秀英', '周敏', '测试甲', '测试路'])).toEqual([]);
  });
});
