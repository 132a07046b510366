/**
 * The only place that reads process.env. Every variable is validated once at boot; a bad value
 * stops the boot with one line naming the variable and what it expected.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(got)} — expected ${expected}`);
    this.name = 'ConfigError';
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DatabaseConfig {
  /** 'postgres' when DATABASE_URL is set, otherwise the embedded PGlite. */
  kind: 'postgres' | 'pglite';
  url?: string;
  /** host:port/database of the server, for messages (never the password). */
  display: string;
  /** PGlite data directory, or memory:// for a throw-away database. */
  dataDir: string;
  poolSize: number;
  connectTimeoutMs: number;
  runMigrations: boolean;
}

export interface AppConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  database: DatabaseConfig;
  /** ANJU_TEST_CLOCK=1 exposes the test clock and job endpoints; never in production. */
  testClock: boolean;
  jobs: { pollIntervalMs: number; batchSize: number; maxAttempts: number; leaseMs: number; enabled: boolean };
  shutdownTimeoutMs: number;
  version: string;
}

/** Every variable Anju reads, with its default and meaning; `.env.example` mirrors this list. */
export const VARIABLES = {
  PORT: 'HTTP port (default 3000)',
  HOST: 'interface to listen on (default 0.0.0.0)',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')} (default info)`,
  DATABASE_URL: 'postgres://user:pass@host:5432/db; unset = embedded PGlite',
  ANJU_DATA_DIR: 'embedded database directory (default ./.data/pglite; memory:// = throw-away)',
  DB_POOL_SIZE: 'PostgreSQL connections per process (default 10; embedded is always 1)',
  DB_CONNECT_TIMEOUT_MS: 'give up connecting after this long (default 10000)',
  DB_MIGRATIONS_RUN: 'run pending migrations at boot: true|false (default true)',
  ANJU_TEST_CLOCK: '1 enables POST /api/test/clock and /api/test/jobs/run-due (default 0)',
  JOB_POLL_INTERVAL_MS: 'job executor poll interval (default 1000, at most 1000 recommended)',
  JOB_BATCH_SIZE: 'jobs claimed per poll (default 20)',
  JOB_MAX_ATTEMPTS: 'attempts before a job becomes an incident (default 3)',
  JOB_LEASE_MS: 'how long a claimed job stays locked to its node (default 300000)',
  JOB_EXECUTOR_ENABLED: 'run the job executor on this node: true|false (default true)',
  SHUTDOWN_TIMEOUT_MS: 'how long SIGTERM waits for in-flight work before exiting anyway (default 10000; 0 = no limit)',
} as const;

type Env = Record<string, string | undefined>;

function int(env: Env, name: keyof typeof VARIABLES, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

function bool(env: Env, name: keyof typeof VARIABLES, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, 'true or false (1/0)', raw);
}

function oneOf<T extends string>(env: Env, name: keyof typeof VARIABLES, values: readonly T[], def: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!values.includes(raw as T)) throw new ConfigError(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
}

function databaseConfig(env: Env): DatabaseConfig {
  const poolSize = int(env, 'DB_POOL_SIZE', 10, 1, 200);
  const connectTimeoutMs = int(env, 'DB_CONNECT_TIMEOUT_MS', 10000, 100, 120000);
  const runMigrations = bool(env, 'DB_MIGRATIONS_RUN', true);
  const dataDir = env.ANJU_DATA_DIR?.trim() || '.data/pglite';
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    return { kind: 'pglite', dataDir, display: `embedded database ${dataDir}`, poolSize: 1, connectTimeoutMs, runMigrations };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', 'a URL like postgres://user:password@host:5432/database', '<unparsable>');
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol) || !parsed.hostname || parsed.pathname.length < 2) {
    throw new ConfigError(
      'DATABASE_URL',
      'a URL like postgres://user:password@host:5432/database (scheme postgres, a host and a database name)',
      `${parsed.protocol}//${parsed.hostname}${parsed.pathname}`,
    );
  }
  const display = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  return { kind: 'postgres', url, dataDir, display, poolSize, connectTimeoutMs, runMigrations };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const pollIntervalMs = int(env, 'JOB_POLL_INTERVAL_MS', 1000, 50, 60000);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    database: databaseConfig(env),
    testClock: bool(env, 'ANJU_TEST_CLOCK', false),
    jobs: {
      pollIntervalMs,
      batchSize: int(env, 'JOB_BATCH_SIZE', 20, 1, 1000),
      maxAttempts: int(env, 'JOB_MAX_ATTEMPTS', 3, 1, 100),
      leaseMs: int(env, 'JOB_LEASE_MS', 300000, 1000, 86400000),
      enabled: bool(env, 'JOB_EXECUTOR_ENABLED', true),
    },
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    version: env.npm_package_version || readVersion(),
  };
}

function readVersion(): string {
  // package.json sits two levels above both src/config and dist/src/config
  for (const p of ['../../package.json', '../../../package.json']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === 'anju' && pkg.version) return pkg.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}
