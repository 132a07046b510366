import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** env additions that point the app at this database */
  env: Record<string, string>;
  kind: 'postgres' | 'pglite';
  /** drops the database (PostgreSQL) — PGlite memory databases vanish with their process */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one suite: a new PostgreSQL database named after the run when
 * TEST_DATABASE_URL is set, an in-memory PGlite otherwise. Migrations run when the app boots.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return { env: { ANJU_DATA_DIR: 'memory://' }, kind: 'pglite', drop: async () => undefined };
  const runId = process.env.ANJU_TEST_RUN_ID ?? `anju_test_${Date.now().toString(36)}`;
  const name = `${runId}_${randomBytes(4).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    kind: 'postgres',
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(admin: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
