import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * With TEST_DATABASE_URL (an admin URL), the run gets a fresh database with a random name; each
 * suite then clones its own copy from it (CREATE DATABASE ... TEMPLATE), and global-teardown drops
 * them all. Without it, suites use an in-memory embedded PGlite each.
 */
export default async function globalSetup(): Promise<void> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return;
  const runId = `anju_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new Client({ connectionString: admin, connectionTimeoutMillis: 10000 });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL does not answer: ${(e as Error).message}`);
  }
  await client.end();
  process.env.ANJU_TEST_RUN_ID = runId;
}
