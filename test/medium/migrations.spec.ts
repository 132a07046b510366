import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { loadConfig } from '../../src/config';
import { EmbeddedDatabaseLockedError, MIGRATIONS_TABLE, connect, createDataSource } from '../../src/database';
import { TestDatabase, freshDatabase } from '../support/database';

/** Every object the migrations own in the public schema, for comparing before and after. */
async function schemaOf(ds: DataSource): Promise<string[]> {
  const rows: { item: string }[] = await ds.query(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS item
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    ORDER BY 1`);
  return rows.map((r) => r.item);
}

async function appliedMigrations(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
  return rows.map((r) => r.name);
}

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadConfig({ ...db.env, DB_MIGRATIONS_RUN: 'false' }).database;
    ds = await connect(createDataSource(config), config);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it(`run up, all the way down, and up again on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, async () => {
    const names = MIGRATIONS.map((m) => m.name);

    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(names);
    expect(await ds.showMigrations()).toBe(false); // nothing pending
    const schema = await schemaOf(ds);
    const [{ regions }] = await ds.query(`SELECT count(*)::int AS regions FROM regions`);
    expect(regions).toBeGreaterThan(3000);

    for (let left = names.length - 1; left >= 0; left--) {
      await ds.undoLastMigration({ transaction: 'each' });
      expect(await appliedMigrations(ds)).toEqual(names.slice(0, left));
    }
    // every down() removed exactly what its up() created: only the bookkeeping table remains
    expect((await schemaOf(ds)).filter((item) => !item.includes(MIGRATIONS_TABLE))).toEqual([]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await appliedMigrations(ds)).toEqual(names);
    expect(await schemaOf(ds)).toEqual(schema);
    const [again] = await ds.query(`SELECT count(*)::int AS regions FROM regions`);
    expect(again.regions).toBe(regions);
  });
});

describe('embedded database on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anju-embedded-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across a restart, holds the lock while open and frees it on close', async () => {
    const config = loadConfig({ ANJU_DATA_DIR: join(dir, 'pglite') }).database;
    const first = await connect(createDataSource(config), config);
    await first.runMigrations({ transaction: 'each' });
    await first.query(`UPDATE regions SET note = 'restart check' WHERE code = '510100' AND valid_to IS NULL`);
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(true);
    expect(() => createDataSource(config)).toThrow(EmbeddedDatabaseLockedError);
    await first.destroy();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);

    const second = await connect(createDataSource(config), config);
    try {
      expect(await second.showMigrations()).toBe(false);
      const [row] = await second.query(`SELECT note FROM regions WHERE code = '510100' AND valid_to IS NULL`);
      expect(row.note).toBe('restart check');
    } finally {
      await second.destroy();
    }
  });
});
