import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The field name the household's category and subsidy are sealed under (src/housing/households/household-facts.ts). */
const FIELD = 'facts';
/** Rows moved per statement. */
const BATCH = 500;

const dev = (label: string) => createHash('sha256').update(`anju development only, never production: ${label}`).digest();

/**
 * Identity's personal-data envelope and blind index (src/identity/personal-data/personal-data.cipher.ts)
 * as they are today, frozen here because a migration never imports application code:
 *   sm4.<key id>.<iv>.<ciphertext>.<HMAC-SM3>   or   gcm.<key id>.<iv>.<ciphertext>.<tag>
 * with the field name bound in and keys derived by HKDF from ANJU_PII_KEYS (newest first); the blind
 * index is HMAC-SM3 under ANJU_BLIND_INDEX_KEY over `<field>:<value>`. The keys are read only when
 * there are rows to move; the development keys stand in exactly where the application allows them
 * (no DATABASE_URL, or ANJU_TEST_CLOCK on).
 */
class Sealer {
  private readonly keys = new Map<string, { sm4: Buffer; mac: Buffer; aes: Buffer }>();
  private readonly activeId: string;
  private readonly gcm: boolean;
  private readonly indexKey: Buffer;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const raw = env.ANJU_PII_KEYS?.trim();
    const rawIndex = env.ANJU_BLIND_INDEX_KEY?.trim();
    const devAllowed = !env.DATABASE_URL?.trim() || ['1', 'true', 'yes', 'on'].includes((env.ANJU_TEST_CLOCK ?? '').trim().toLowerCase());
    if ((!raw || !rawIndex) && !devAllowed) throw new Error('ANJU_PII_KEYS and ANJU_BLIND_INDEX_KEY must be set to seal the beneficiary facts already stored');
    const material = raw
      ? raw.split(',').map((part) => {
          const m = /^\s*([A-Za-z0-9_-]{1,16}):(\S+)\s*$/.exec(part);
          const key = m ? Buffer.from(m[2], 'base64') : Buffer.alloc(0);
          if (!m || key.length !== 32) throw new Error('ANJU_PII_KEYS: id:base64 pairs of 32 bytes, comma-separated');
          return { id: m[1], key };
        })
      : [{ id: 'dev', key: dev('pii') }];
    for (const { id, key } of material) {
      const derive = (digest: string, info: string, len: number) => Buffer.from(hkdfSync(digest, key, Buffer.alloc(0), info, len));
      this.keys.set(id, { sm4: derive('sm3', 'anju/personal-data/sm4-cbc', 16), mac: derive('sm3', 'anju/personal-data/hmac-sm3', 32), aes: derive('sha256', 'anju/personal-data/aes-256-gcm', 32) });
    }
    this.activeId = material[0].id;
    this.gcm = (env.ANJU_PII_CIPHER ?? 'sm4').trim() === 'aes-256-gcm';
    const index = rawIndex && /^[A-Za-z0-9+/_-]+={0,2}$/.test(rawIndex) ? Buffer.from(rawIndex, 'base64') : rawIndex ? Buffer.alloc(0) : dev('blind-index');
    if (index.length !== 32) throw new Error('ANJU_BLIND_INDEX_KEY: base64 of exactly 32 bytes');
    this.indexKey = index;
  }

  seal(value: unknown): string {
    const k = this.keys.get(this.activeId)!;
    const data = Buffer.from(JSON.stringify(value), 'utf8');
    if (this.gcm) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k.aes, iv);
      c.setAAD(Buffer.from(FIELD));
      const ct = Buffer.concat([c.update(data), c.final()]);
      return ['gcm', this.activeId, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
    }
    const iv = randomBytes(16);
    const c = createCipheriv('sm4-cbc', k.sm4, iv);
    const head = ['sm4', this.activeId, iv.toString('base64url'), Buffer.concat([c.update(data), c.final()]).toString('base64url')].join('.');
    return `${head}.${createHmac('sm3', k.mac).update(`${FIELD}|${head}`, 'utf8').digest().toString('base64url')}`;
  }

  open<T>(envelope: string): T {
    const [alg, kid, iv, ct, tag] = envelope.split('.');
    const k = this.keys.get(kid);
    if (!k || !tag) throw new Error(`cannot open a sealed value: ${k ? 'malformed' : `unknown key id ${kid}`}`);
    const b = (s: string) => Buffer.from(s, 'base64url');
    let clear: Buffer;
    if (alg === 'gcm') {
      const d = createDecipheriv('aes-256-gcm', k.aes, b(iv));
      d.setAAD(Buffer.from(FIELD));
      d.setAuthTag(b(tag));
      clear = Buffer.concat([d.update(b(ct)), d.final()]);
    } else {
      const expected = createHmac('sm3', k.mac).update(`${FIELD}|${[alg, kid, iv, ct].join('.')}`, 'utf8').digest();
      if (b(tag).length !== expected.length || !timingSafeEqual(b(tag), expected)) throw new Error('cannot open a sealed value: authentication failed');
      const d = createDecipheriv('sm4-cbc', k.sm4, b(iv));
      clear = Buffer.concat([d.update(b(ct)), d.final()]);
    }
    return JSON.parse(clear.toString('utf8')) as T;
  }

  /** The blind index of a category code: `facts:category:<code>`, as the application looks it up. */
  categoryIndex(code: string): string {
    return createHmac('sm3', this.indexKey).update(`${FIELD}:${`category:${code}`.trim().normalize('NFC')}`, 'utf8').digest('hex');
  }
}

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

    let s: Sealer | null = null;
    const sealer = () => (s ??= new Sealer());
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
          rows.map((r) => sealer().categoryIndex(r.category)),
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

    let s: Sealer | null = null;
    const open = <T>(envelope: string) => (s ??= new Sealer()).open<T>(envelope);
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
