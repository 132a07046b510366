import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * With TEST_DATABASE_URL (an admin URL), checks that the server answers (a missing server fails the
 * run instead of skipping it) and picks a random run id; each suite then creates its own empty
 * database named after it (test/support/database.ts), and global-teardown drops them all.
 * Without it, suites use an in-memory embedded PGlite each.
 */
export default async function globalSetup(): Promise<void> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return;
  const runId = `anju_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new Client({ connectionString: admin, connectionTimeoutMillis: 10000 });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL does not answer: ${(e as Error).message}`, { cause: e });
  }
  await client.end();
  process.env.ANJU_TEST_RUN_ID = runId;
}
