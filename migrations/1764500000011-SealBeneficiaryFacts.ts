import { MigrationInterface, QueryRunner } from 'typeorm';
import { SealedValues } from './support/sealed-values';

/** The field name the household's category and subsidy are sealed under (src/housing/households/household-facts.ts). */
const FIELD = 'facts';
/** Rows moved per statement. */
const BATCH = 500;

const CATEGORY_CHECK = `CONSTRAINT households_category_check CHECK (category IN (
  'dibao', 'extreme_poverty', 'low_income', 'lower_middle_income', 'new_employee', 'migrant_worker', 'special_care', 'arh_new_citizen'))`;

/**
 * The beneficiary list's sensitive facts stored only encrypted (DOMAIN.md data rules: 低保/特困/优抚
 * status, income): a household's category and its monthly rental subsidy move into identity's
 * envelopes under the field name `facts` (`households.category_enc`, `subsidy_enc`), the category
 * also into a blind index (`category_bidx`) so that the list's category filter stays an indexed
 * equality. Rows already stored are moved with the keys of the running configuration
 * (ANJU_PII_KEYS, ANJU_BLIND_INDEX_KEY), the clear columns dropped.
 *
 * The database can no longer check the code or the amount's range (the service does); it still
 * checks that a subsidy is held exactly when the form is rental_subsidy, and that both columns hold
 * envelopes and the index a digest (so a clear value written by mistake is refused).
 */
export class SealBeneficiaryFacts1764500000011 implements MigrationInterface {
  name = 'SealBeneficiaryFacts1764500000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE households ADD COLUMN category_enc text, ADD COLUMN category_bidx text, ADD COLUMN subsidy_enc text`);

    let s: SealedValues | null = null;
    const sealer = () => (s ??= new SealedValues(FIELD, 'beneficiary facts', { blindIndex: true }));
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows = (await q.query(`SELECT id, category, subsidy_monthly_amount FROM households WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after])) as {
        id: string;
        category: string;
        subsidy_monthly_amount: string | null;
      }[];
      if (!rows.length) break;
      await q.query(
        `UPDATE households h SET category_enc = x.ce, category_bidx = x.cb, subsidy_enc = x.se
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(id, ce, cb, se) WHERE h.id = x.id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => sealer().seal(r.category)),
          rows.map((r) => sealer().index(`category:${r.category}`)),
          rows.map((r) => (r.subsidy_monthly_amount === null ? null : sealer().seal(Number(r.subsidy_monthly_amount)))),
        ],
      );
      after = rows[rows.length - 1].id;
    }

    await q.query(`DROP INDEX households_region_idx`);
    await q.query(`
      ALTER TABLE households
        DROP CONSTRAINT households_category_check,
        DROP CONSTRAINT households_subsidy_check,
        DROP CONSTRAINT households_subsidy_amount_check,
        DROP COLUMN category,
        DROP COLUMN subsidy_monthly_amount,
        ALTER COLUMN category_enc SET NOT NULL,
        ALTER COLUMN category_bidx SET NOT NULL,
        ADD CONSTRAINT households_subsidy_check CHECK ((guarantee_form = 'rental_subsidy') = (subsidy_enc IS NOT NULL)),
        ADD CONSTRAINT households_sealed_check CHECK (category_enc ~ '^(sm4|gcm)\\.' AND (subsidy_enc IS NULL OR subsidy_enc ~ '^(sm4|gcm)\\.')),
        ADD CONSTRAINT households_category_bidx_check CHECK (category_bidx ~ '^[0-9a-f]{64}$')`);
    // households of a region subtree by category (its blind index) and form (list filters, data scope)
    await q.query(`CREATE INDEX households_region_idx ON households (region_code, category_bidx, guarantee_form)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE households ADD COLUMN category text, ADD COLUMN subsidy_monthly_amount numeric(10, 2)`);

    let s: SealedValues | null = null;
    const open = <T>(envelope: string) => (s ??= new SealedValues(FIELD, 'beneficiary facts', { blindIndex: true })).open<T>(envelope);
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows = (await q.query(`SELECT id, category_enc, subsidy_enc FROM households WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after])) as {
        id: string;
        category_enc: string;
        subsidy_enc: string | null;
      }[];
      if (!rows.length) break;
      await q.query(
        `UPDATE households h SET category = x.c, subsidy_monthly_amount = x.s FROM unnest($1::uuid[], $2::text[], $3::numeric[]) AS x(id, c, s) WHERE h.id = x.id`,
        [rows.map((r) => r.id), rows.map((r) => open<string>(r.category_enc)), rows.map((r) => (r.subsidy_enc === null ? null : open<number>(r.subsidy_enc)))],
      );
      after = rows[rows.length - 1].id;
    }

    await q.query(`DROP INDEX households_region_idx`);
    await q.query(`
      ALTER TABLE households
        DROP CONSTRAINT households_subsidy_check,
        DROP CONSTRAINT households_sealed_check,
        DROP CONSTRAINT households_category_bidx_check,
        DROP COLUMN category_enc,
        DROP COLUMN category_bidx,
        DROP COLUMN subsidy_enc,
        ALTER COLUMN category SET NOT NULL,
        ADD ${CATEGORY_CHECK},
        ADD CONSTRAINT households_subsidy_check CHECK ((guarantee_form = 'rental_subsidy') = (subsidy_monthly_amount IS NOT NULL)),
        ADD CONSTRAINT households_subsidy_amount_check CHECK (subsidy_monthly_amount > 0 AND subsidy_monthly_amount <= 10000)`);
    await q.query(`CREATE INDEX households_region_idx ON households (region_code, category, guarantee_form)`);
  }
}
