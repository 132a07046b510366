import { Client } from 'pg';

/** Drops every database this run created (named after its run id). */
export default async function globalTeardown(): Promise<void> {
  const admin = process.env.TEST_DATABASE_URL;
  const runId = process.env.ANJU_TEST_RUN_ID;
  if (!admin || !runId) return;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const rows = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${runId}%`]);
    for (const { datname } of rows.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
