import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { MIGRATIONS_TABLE, connect, createDataSource } from '../../src/database';
import { PersonalDataCipher } from '../../src/identity/personal-data/personal-data.cipher';
import { TestDatabase, freshDatabase } from '../support/database';

const APP = '00000000-0000-4000-8000-0000000000a1';
const MEMBER = '00000000-0000-4000-8000-0000000000b1';
const AUTH = '00000000-0000-4000-8000-0000000000c1';
const ENTRY = '00000000-0000-4000-8000-0000000000d1';

/** A household as applications stored it before its facts were sealed (migration 1764500000009 and earlier). */
const LEGACY_SNAPSHOT = {
  schemaVersion: 1,
  capturedAt: '2026-03-10T02:00:00.000Z',
  type: 'prh_in_kind',
  channel: 'window',
  regionCode: '510104',
  targetRegionCode: null,
  category: 'dibao',
  size: 1,
  adults: 1,
  minors: 0,
  totals: { monthlyIncome: 2987.61, perCapitaMonthlyIncome: 2987.61, ownedHousingArea: 13.79, perCapitaHousingArea: 13.79, ownedDwellings: 1, vehicles: 0, enterpriseHoldings: 0, financialAssets: 98765.43 },
  members: [
    {
      memberId: MEMBER,
      position: 1,
      relationship: 'self',
      idNumberBidx: 'bidx-of-the-applicant',
      gender: 'male',
      birthDate: '1985-07-12',
      ageAtSubmission: 40,
      adult: true,
      hukouRegionCode: '510104',
      maritalStatus: null,
      monthlyIncome: 2987.61,
      assistanceStatus: 'dibao',
      socialInsuranceMonths: 60,
      assets: { ownedHousingArea: 13.79, ownedDwellings: 1, vehicles: 0, enterpriseHoldings: 0, financialAssets: 98765.43 },
      commitment: { signedAt: '2026-03-01T01:00:00.000Z', method: 'e_signature', textVersion: 'v1' },
      authorisation: null,
    },
  ],
};

const sha = (ds: DataSource, json: unknown): Promise<{ h: string }[]> => ds.query(`SELECT encode(sha256(convert_to($1::jsonb::text, 'UTF8')), 'hex') AS h`, [JSON.stringify(json)]);

/**
 * Migration 1764500000010 on a database that already holds applications, department calls,
 * eligibility judgements and waiting-list entries: the facts move into envelopes (the clear
 * columns go), the snapshot keeps its hash, entries get their history; down() puts everything
 * back as it was.
 */
const MIGRATION = 'WaitingListTermSealedFacts1764500000010';

describe('migration 1764500000010: sealing stored household facts', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const applied = async () => ((await ds.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)) as { name: string }[]).map((r) => r.name);
  /** Reverts the migrations after it too (they come later in time), then it. */
  const undoIt = async () => {
    while ((await applied()).includes(MIGRATION)) await ds.undoLastMigration({ transaction: 'each' });
  };
  const s = loadConfig().security;
  const cipher = new PersonalDataCipher(s.piiKeys, s.piiCipher, s.blindIndexKey);
  const open = (envelope: string) => JSON.parse(cipher.decrypt('facts', envelope));

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadConfig({ ...db.env, DB_MIGRATIONS_RUN: 'false' }).database;
    ds = await connect(createDataSource(config), config);
    await ds.runMigrations({ transaction: 'each' });
    // back to the schema before it, on an empty database (down() works without rows and without keys)
    await undoIt();
    const [user] = await ds.query(`INSERT INTO users (username, password_hash, password_changed_at, created_at, updated_at) VALUES ('legacy_window', 'x', now(), now(), now()) RETURNING id`);
    await ds.query(
      `INSERT INTO applications (id, case_number, type, channel, region_code, status, household_snapshot, snapshot_sha256, address_enc, phone_enc, applicant_id_bidx,
                                 filed_by_user_id, filed_by_role, submitted_at, status_changed_at)
       VALUES ($1, 'SQ-510104-2026-000001', 'prh_in_kind', 'window', '510104', 'approved', $2::jsonb, encode(sha256(convert_to($2::jsonb::text, 'UTF8')), 'hex'),
               'enc', 'enc', 'bidx-of-the-applicant', $3, 'window_caseworker', now(), now())`,
      [APP, JSON.stringify(LEGACY_SNAPSHOT), user.id],
    );
    await ds.query(`INSERT INTO application_members (id, application_id, position, relationship, name_enc, id_number_enc, id_number_bidx, adult, commitment_signed_at, commitment_method)
                    VALUES ($1, $2, 1, 'self', 'enc', 'enc', 'bidx-of-the-applicant', true, now(), 'e_signature')`, [MEMBER, APP]);
    await ds.query(`INSERT INTO application_authorisations (id, application_id, member_id, checks, signed_by, method, signed_at, expires_at, created_at)
                    VALUES ($1, $2, $3, ARRAY['property'], 'self', 'e_signature', now(), now() + interval '1 year', now())`, [AUTH, APP, MEMBER]);
    await ds.query(
      `INSERT INTO connector_calls (id, application_id, member_id, authorisation_id, department, check_type, result, department_data, message_zh, message_en,
                                    connector_set, simulated, caller_kind, caller_ref, called_at, duration_ms)
       VALUES (gen_random_uuid(), $1, $2, $3, '自然资源', 'property', 'MISMATCH', '{"dwellings": 1, "totalArea": 88.5}', '登记住房 1 套、88.5 平方米', '1 home, 88.5 m²',
               'simulated', true, 'process', 'process:legacy', now(), 3)`,
      [APP, MEMBER, AUTH],
    );
    const [dep] = await ds.query(`INSERT INTO engine_deployments (name, origin) VALUES ('legacy', 'api') RETURNING id`);
    const [dec] = await ds.query(
      `INSERT INTO engine_decision_definitions (key, version, name, deployment_id, resource_name, sha256, xml, graph, created_at)
       VALUES ('housingEligibility', 1, 'x', $1, 'x.dmn', 'x', '<x/>', '{}', now()) RETURNING id`,
      [dep.id],
    );
    await ds.query(
      `INSERT INTO application_eligibility (application_id, decision_key, decision_version, decision_definition_id, eligible, findings, matched_rules, facts, judged_at, judged_by, idempotency_key)
       VALUES ($1, 'housingEligibility', 1, $2, true, '[]', ARRAY[]::text[], '{"perCapitaMonthlyIncome": 2987.61}', now(), 'process:legacy', 'legacy-1')`,
      [APP, dec.id],
    );
    await ds.query(
      `INSERT INTO waiting_list_entries (id, application_id, case_number, housing_type, household_snapshot_sha256, household_size, region_code, priority_groups, qualified_on,
                                         rule_id, max_wait_until, alarm_on, status, status_reason, allocation_reference, status_changed_at, status_changed_by, created_at, created_by)
       SELECT $1, $2, 'SQ-510104-2026-000001', 'prh_in_kind', snapshot_sha256, 1, '510104', ARRAY['dibao_tekun'], DATE '2026-03-10', 1, DATE '2029-03-10', DATE '2028-12-10',
              'allocated', '第 3 批配租', 'JJ-A-1-0101', TIMESTAMPTZ '2027-06-01T02:00:00Z', 'jj_county', TIMESTAMPTZ '2026-03-10T02:00:00Z', 'process:legacy'
         FROM applications WHERE id = $2`,
      [ENTRY, APP],
    );
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('moves the facts of stored rows into envelopes, keeps the snapshot’s hash, and gives entries their history', async () => {
    const [before] = await ds.query(`SELECT snapshot_sha256 FROM applications WHERE id = $1`, [APP]);
    await ds.runMigrations({ transaction: 'each' });

    const [app] = await ds.query(`SELECT household_snapshot, household_facts_enc, snapshot_sha256 FROM applications WHERE id = $1`, [APP]);
    expect(JSON.stringify(app.household_snapshot)).not.toMatch(/2987\.61|13\.79|98765|dibao|monthlyIncome|totals/);
    expect(app.household_facts_enc).toMatch(/^(sm4|gcm)\./);
    const facts = open(app.household_facts_enc);
    expect(facts).toEqual({ category: 'dibao', totals: LEGACY_SNAPSHOT.totals, members: [expect.objectContaining({ memberId: MEMBER, monthlyIncome: 2987.61, assistanceStatus: 'dibao' })] });
    expect(app.snapshot_sha256).toBe(before.snapshot_sha256);
    const whole = { ...app.household_snapshot, category: facts.category, totals: facts.totals, members: [{ ...app.household_snapshot.members[0], ...facts.members[0] }] };
    expect((await sha(ds, whole))[0].h).toBe(app.snapshot_sha256);

    const [call] = await ds.query(`SELECT * FROM connector_calls WHERE application_id = $1`, [APP]);
    expect(Object.keys(call)).not.toEqual(expect.arrayContaining(['department_data']));
    expect(Object.keys(call)).not.toContain('message_zh');
    expect(open(call.department_data_enc)).toEqual({ dwellings: 1, totalArea: 88.5 });
    expect(open(call.message_enc)).toEqual({ 'zh-CN': '登记住房 1 套、88.5 平方米', en: '1 home, 88.5 m²' });
    const [judged] = await ds.query(`SELECT * FROM application_eligibility WHERE application_id = $1`, [APP]);
    expect(Object.keys(judged)).not.toContain('facts');
    expect(open(judged.facts_enc)).toEqual({ perCapitaMonthlyIncome: 2987.61 });

    const history = await ds.query(`SELECT event, to_status, reason, reference, changed_by FROM waiting_list_entry_history WHERE entry_id = $1 ORDER BY id`, [ENTRY]);
    expect(history).toEqual([
      { event: 'enqueued', to_status: 'waiting', reason: '纳入轮候（资格确认）', reference: null, changed_by: 'process:legacy' },
      { event: 'status_changed', to_status: 'allocated', reason: '第 3 批配租', reference: 'JJ-A-1-0101', changed_by: 'jj_county' },
    ]);
    // the sealed facts are frozen like the snapshot, the calls and judgements append-only as before
    await expect(ds.query(`UPDATE applications SET household_facts_enc = 'x' WHERE id = $1`, [APP])).rejects.toThrow(/frozen at submission/);
    await expect(ds.query(`UPDATE connector_calls SET result = 'MATCH'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`UPDATE application_eligibility SET eligible = false`)).rejects.toThrow(/append-only/);
  });

  it('puts everything back on the way down', async () => {
    await undoIt();
    const [app] = await ds.query(`SELECT household_snapshot, snapshot_sha256 FROM applications WHERE id = $1`, [APP]);
    expect(app.household_snapshot).toEqual(LEGACY_SNAPSHOT);
    expect((await sha(ds, app.household_snapshot))[0].h).toBe(app.snapshot_sha256);
    const [call] = await ds.query(`SELECT department_data, message_zh FROM connector_calls WHERE application_id = $1`, [APP]);
    expect(call).toEqual({ department_data: { dwellings: 1, totalArea: 88.5 }, message_zh: '登记住房 1 套、88.5 平方米' });
    const [judged] = await ds.query(`SELECT facts FROM application_eligibility WHERE application_id = $1`, [APP]);
    expect(judged.facts).toEqual({ perCapitaMonthlyIncome: 2987.61 });
    await ds.runMigrations({ transaction: 'each' });
  });
});
