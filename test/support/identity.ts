import { AdjustableClock, Clock } from '../../src/common';
import { AuthService, DEMO_PASSWORD, IdentitySeeder, idNumberProblems } from '../../src/identity';
import { TestApp } from './app';

/**
 * Logs in as one of the demo users (README, "Identity"; src/identity/seed/demo-users.ts) and
 * returns the header to send: `request(t.http).get(...).set(await loginAs(t, 'jj_window'))`.
 * The user is created first when missing (runs on PostgreSQL seed no demo users), so it works on
 * both databases. It opens a real session through AuthService.login, without the HTTP round trip
 * and so without the per-address login rate limit; test/identity/auth.e2e.spec.ts covers the
 * endpoint itself.
 */
export async function loginAs(t: TestApp, username: string): Promise<{ Authorization: string }> {
  const { accessToken } = await loginSession(t, username);
  return bearer(accessToken);
}

/** The whole login answer (access and refresh token), for tests of sessions. */
export async function loginSession(t: TestApp, username: string) {
  await t.app.get(IdentitySeeder).ensureDemoUser(username);
  return t.app.get(AuthService).login(username, DEMO_PASSWORD, { ip: '127.0.0.1', userAgent: 'test/support loginAs' });
}

/** The Authorization header for an access token. */
export function bearer(accessToken: string): { Authorization: string } {
  return { Authorization: `Bearer ${accessToken}` };
}

/** Moves the clock every component reads (lockouts, idle expiry, token expiry); nobody sleeps. */
export function advanceClock(t: TestApp, ms: number): void {
  (t.app.get(Clock) as AdjustableClock).advance(ms);
}

/** Pins the clock at an instant (it stays there until moved). */
export function setClock(t: TestApp, iso: string): void {
  (t.app.get(Clock) as AdjustableClock).set(new Date(iso));
}

export function now(t: TestApp): Date {
  return t.app.get(Clock).now();
}

export const MINUTE = 60000;

const ID_NUMBER = /(?<![0-9A-Za-z_-])\d{17}[\dXx](?![0-9A-Za-z_-])/g;
const MOBILE = /(?<![0-9A-Za-z_-])1[3-9]\d{9}(?![0-9A-Za-z_-])/g;

/**
 * Scans every row of every table in the test database for personal data in clear: anything shaped
 * like a valid ID number (GB 11643 check digit and all) or a mobile number, and the given values
 * (names, addresses used by the test). Returns where each was found; [] is the expected answer.
 */
export async function findPlaintextPersonalData(t: TestApp, values: string[] = []): Promise<string[]> {
  const tables = (await t.ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  )) as { table_name: string }[];
  const found: string[] = [];
  for (const { table_name } of tables) {
    const rows = (await t.ds.query(`SELECT x::text AS row FROM "${table_name}" x`)) as { row: string }[];
    for (const { row } of rows) {
      for (const m of row.match(ID_NUMBER) ?? []) if (!idNumberProblems(m).length) found.push(`${table_name}: ID number ${m}`);
      for (const m of row.match(MOBILE) ?? []) found.push(`${table_name}: phone ${m}`);
      for (const v of values) if (row.includes(v)) found.push(`${table_name}: ${v}`);
    }
  }
  return found;
}
