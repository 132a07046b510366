import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { MIGRATIONS_TABLE, connect, createDataSource } from '../../src/database';
import { categoryIndexValue } from '../../src/housing/households/household-facts';
import { PersonalDataCipher } from '../../src/identity/personal-data/personal-data.cipher';
import { TestDatabase, freshDatabase } from '../support/database';

const MIGRATION = 'SealBeneficiaryFacts1764500000011';
const ON_SUBSIDY = '00000000-0000-4000-8000-0000000000e1';
const IN_KIND = '00000000-0000-4000-8000-0000000000e2';

/**
 * Migration 1764500000011 on a database that already holds beneficiary households: each one's
 * category (低保/优抚 …) and subsidy move into envelopes and the category into a blind index the
 * list finds it by; the clear columns go; down() puts everything back.
 */
describe('migration 1764500000011: sealing the beneficiary list’s category and subsidy', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const s = loadConfig().security;
  const cipher = new PersonalDataCipher(s.piiKeys, s.piiCipher, s.blindIndexKey);
  const open = (envelope: string) => JSON.parse(cipher.decrypt('facts', envelope));
  const applied = async () => ((await ds.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)) as { name: string }[]).map((r) => r.name);
  const columns = async () =>
    ((await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'households' ORDER BY 1`)) as { column_name: string }[]).map((r) => r.column_name);

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadConfig({ ...db.env, DB_MIGRATIONS_RUN: 'false' }).database;
    ds = await connect(createDataSource(config), config);
    await ds.runMigrations({ transaction: 'each' });
    // back to the schema before it, on an empty database (down() works without rows and without keys)
    while ((await applied()).includes(MIGRATION)) await ds.undoLastMigration({ transaction: 'each' });
    await ds.query(
      `INSERT INTO households (id, household_no, region_code, category, guarantee_form, subsidy_monthly_amount, applicant_name_masked, created_at, updated_at)
       VALUES ($1, '510107-2025-000001', '510107', 'special_care', 'rental_subsidy', 1234.56, '欧**明', now(), now()),
              ($2, '510107-2025-000002', '510107', 'dibao', 'in_kind', NULL, '张*', now(), now())`,
      [ON_SUBSIDY, IN_KIND],
    );
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('moves each household’s category and subsidy into envelopes, findable by the category’s blind index', async () => {
    await ds.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);

    expect(await columns()).not.toEqual(expect.arrayContaining(['category']));
    expect(await columns()).not.toContain('subsidy_monthly_amount');
    const rows = await ds.query(`SELECT id, x::text AS whole, category_enc, category_bidx, subsidy_enc FROM households x ORDER BY household_no`);
    for (const r of rows) expect(r.whole).not.toMatch(/special_care|dibao|1234\.56/);
    expect(rows.map((r: { category_enc: string; subsidy_enc: string | null }) => [open(r.category_enc), r.subsidy_enc && open(r.subsidy_enc)])).toEqual([
      ['special_care', 1234.56],
      ['dibao', null],
    ]);
    // the list's category filter: the index the application computes finds the household
    const bidx = cipher.blindIndex('facts', categoryIndexValue('special_care'));
    expect(await ds.query(`SELECT id FROM households WHERE category_bidx = $1`, [bidx])).toEqual([{ id: ON_SUBSIDY }]);
    const [{ def }] = await ds.query(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'households_region_idx'`);
    expect(def).toMatch(/\(region_code, category_bidx, guarantee_form\)/);

    // what the database can still check: a subsidy exactly with the subsidy form, envelopes not clear values
    await expect(ds.query(`UPDATE households SET subsidy_enc = NULL WHERE id = $1`, [ON_SUBSIDY])).rejects.toThrow(/households_subsidy_check/);
    await expect(ds.query(`UPDATE households SET subsidy_enc = $2 WHERE id = $1`, [IN_KIND, rows[0].subsidy_enc])).rejects.toThrow(/households_subsidy_check/);
    await expect(ds.query(`UPDATE households SET category_enc = 'special_care' WHERE id = $1`, [IN_KIND])).rejects.toThrow(/households_sealed_check/);
    await expect(ds.query(`UPDATE households SET category_bidx = 'dibao' WHERE id = $1`, [IN_KIND])).rejects.toThrow(/households_category_bidx_check/);
  });

  it('puts the clear values back on the way down', async () => {
    while ((await applied()).includes(MIGRATION)) await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`SELECT id, category, subsidy_monthly_amount::text AS amount FROM households ORDER BY household_no`)).toEqual([
      { id: ON_SUBSIDY, category: 'special_care', amount: '1234.56' },
      { id: IN_KIND, category: 'dibao', amount: null },
    ]);
    expect(await columns()).not.toContain('category_enc');
    await expect(ds.query(`UPDATE households SET subsidy_monthly_amount = 0 WHERE id = $1`, [ON_SUBSIDY])).rejects.toThrow(/households_subsidy_amount_check/);
    await ds.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);
  });
});
