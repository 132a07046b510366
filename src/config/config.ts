import { isIP } from 'node:net';
import { createHash } from 'node:crypto';

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

/** A key for personal data; the id is stored with every value it encrypts, so keys can rotate. */
export interface PersonalDataKey {
  id: string;
  /** 32 bytes of key material (the cipher keys are derived from it) */
  material: Buffer;
}

export const PII_CIPHERS = ['sm4', 'aes-256-gcm'] as const;
export type PiiCipher = (typeof PII_CIPHERS)[number];

export interface SecurityConfig {
  /** HMAC secret for access tokens (HS256); every node of one deployment shares it */
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRatePerMinute: number;
  /** creates or resets the user `admin` at boot; null = leave it alone */
  bootstrapAdminPassword: string | null;
  /** seed the demo users (embedded database by default; PostgreSQL only when asked) */
  demoUsers: boolean;
  /** every endpoint must carry @Public/@Authenticated/@Roles; undeclared ones stop the boot */
  requireAccessDeclarations: boolean;
  /** the first key encrypts new values; the others only decrypt older ones */
  piiKeys: PersonalDataKey[];
  piiCipher: PiiCipher;
  /** HMAC key of the blind indexes (exact search by ID number or phone) */
  blindIndexKey: Buffer;
  /** variables left unset and replaced by the well-known development values (never in production) */
  developmentSecrets: string[];
  /** variables left unset where development values are not allowed: identity refuses to boot */
  missingSecrets: string[];
}

/** Outgoing mail (notify/): SMTP, or the development mailbox when no SMTP_URL is set. */
export interface MailConfig {
  /** smtp:// or smtps:// URL; null = deliver into the development mailbox (GET /api/mail) */
  smtpUrl: string | null;
  /** host:port of the SMTP server, for messages (never the password) */
  smtpDisplay: string | null;
  /** the From header, e.g. `"安居" <noreply@anju.local>` */
  from: string;
  /** right-hand side of every Message-ID (`<outbox-id@domain>`): the From address's domain */
  messageIdDomain: string;
  /** attempts before a mail is failed and shown as an incident */
  maxAttempts: number;
  /** first retry delay; doubled after each failure, at most an hour */
  retryBaseMs: number;
  pollIntervalMs: number;
}

/** Which department connector set answers the joint-review data checks (src/connectors). */
export const CONNECTOR_SETS = ['simulated'] as const;
export type ConnectorSetName = (typeof CONNECTOR_SETS)[number];

export interface AppConfig {
  port: number;
  host: string;
  /**
   * Which proxies in front of this server are believed about the client's address
   * (X-Forwarded-For): false (none, the default), a number of hops, or addresses, subnets and
   * express's names (loopback, linklocal, uniquelocal). The address goes into sessions, the audit
   * log and the login rate limit, so trusting a proxy that is not there lets a client choose it.
   */
  trustProxy: false | number | string[];
  logLevel: LogLevel;
  database: DatabaseConfig;
  /** ANJU_TEST_CLOCK=1 exposes the test clock and job endpoints; never in production. */
  testClock: boolean;
  jobs: { pollIntervalMs: number; batchSize: number; concurrency: number; maxAttempts: number; leaseMs: number; affinityMs: number; enabled: boolean };
  /** instances whose engine stays in memory between steps (0: recover every step from the stored state) */
  engine: { warmInstances: number };
  shutdownTimeoutMs: number;
  security: SecurityConfig;
  mail: MailConfig;
  /** the department connector set; only the simulated one exists yet */
  connectors: { set: ConnectorSetName };
  /** seed the demo housing lists and the demo applications (embedded database by default; PostgreSQL only when asked) */
  demoData: boolean;
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
  JOB_CONCURRENCY: 'jobs one node runs at the same time, to overlap database round trips (default 1; the embedded database always 1)',
  JOB_MAX_ATTEMPTS: 'attempts before a job becomes an incident (default 3)',
  TRUST_PROXY: 'proxies believed about the client address (X-Forwarded-For): unset = none; hops (1), or addresses/subnets/loopback, comma-separated',
  JOB_LEASE_MS: 'how long a claimed job stays locked to its node (default 300000)',
  JOB_AFFINITY_MS: 'how long other nodes leave a service job to the node that keeps its instance\'s engine warm (default 2000; 0 = off)',
  JOB_EXECUTOR_ENABLED: 'run the job executor on this node: true|false (default true)',
  ENGINE_WARM_INSTANCES: 'instances whose running engine this node keeps between steps, skipping the recover from the stored state (default 200; 0 = off)',
  SHUTDOWN_TIMEOUT_MS: 'how long SIGTERM waits for in-flight work before exiting anyway (default 10000; 0 = no limit)',
  ANJU_JWT_SECRET: 'secret (at least 32 characters) signing access tokens; required with DATABASE_URL unless ANJU_TEST_CLOCK=1',
  ANJU_ACCESS_TOKEN_TTL_SECONDS: 'lifetime of an access token (default 600)',
  ANJU_SESSION_IDLE_MINUTES: 'a session unused this long expires (default 30, at most 30)',
  ANJU_SESSION_MAX_HOURS: 'a session expires this long after login whatever happens (default 12)',
  ANJU_LOGIN_MAX_FAILURES: 'failed logins in a row that lock an account (default 5)',
  ANJU_LOGIN_LOCK_MINUTES: 'how long a locked account stays locked (default 15, at least 15)',
  ANJU_LOGIN_RATE_PER_MINUTE: 'login and refresh attempts allowed per client address per minute (default 30)',
  ANJU_BOOTSTRAP_ADMIN_PASSWORD: 'creates or resets the user admin (system administrator) at boot (default unset)',
  ANJU_DEMO_USERS: 'seed the demo users: true|false (default true on the embedded database, false on PostgreSQL)',
  ANJU_DEMO_DATA: 'seed the demo housing lists and 20 demo applications at different stages on an empty database: true|false (default true on the embedded database, false on PostgreSQL)',
  ANJU_REQUIRE_ACCESS_DECLARATIONS: 'every endpoint must declare who may call it; undeclared ones stop the boot (default true)',
  ANJU_PII_KEYS: 'personal-data keys, id:base64 of 32 bytes, comma-separated, newest first; required with DATABASE_URL unless ANJU_TEST_CLOCK=1',
  ANJU_PII_CIPHER: 'sm4 (SM4-CBC + HMAC-SM3) or aes-256-gcm for new values (default sm4)',
  ANJU_BLIND_INDEX_KEY: 'base64 of 32 bytes keying the blind indexes; required with DATABASE_URL unless ANJU_TEST_CLOCK=1',
  SMTP_URL: 'smtp://user:pass@host:587 or smtps://…:465 for outgoing mail; unset = the development mailbox (GET /api/mail)',
  MAIL_FROM: 'From of every mail, an address or "Name <address>" (default "安居住房保障" <noreply@anju.local>); its domain ends each Message-ID',
  MAIL_MAX_ATTEMPTS: 'send attempts before a mail fails and becomes an incident (default 3)',
  MAIL_RETRY_BASE_MS: 'delay before the first retry of a mail, doubled after each failure, at most an hour (default 60000)',
  MAIL_POLL_INTERVAL_MS: 'how often each node looks for mail to send (default 2000)',
  ANJU_CONNECTORS: 'department connector set for the data checks: simulated (default; the only one yet, a real set plugs in at src/connectors/connectors.module.ts)',
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

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: Env): false | number | string[] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || ['false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  const expected = 'a number of proxy hops (0-10), or a comma list of addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal';
  if (/^\d+$/.test(raw)) {
    if (Number(raw) > 10) throw new ConfigError('TRUST_PROXY', expected, raw);
    return Number(raw) === 0 ? false : Number(raw);
  }
  const items = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const item of items) {
    const [address, bits, ...rest] = item.split('/');
    const family = isIP(address);
    const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(PROXY_NAMES.includes(item) || (family && prefixOk && !rest.length))) throw new ConfigError('TRUST_PROXY', expected, raw);
  }
  return items;
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
  const database = databaseConfig(env);
  const testClock = bool(env, 'ANJU_TEST_CLOCK', false);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    trustProxy: trustProxy(env),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    database,
    testClock,
    jobs: {
      pollIntervalMs,
      batchSize: int(env, 'JOB_BATCH_SIZE', 20, 1, 1000),
      concurrency: database.kind === 'pglite' ? 1 : int(env, 'JOB_CONCURRENCY', 1, 1, 32),
      maxAttempts: int(env, 'JOB_MAX_ATTEMPTS', 3, 1, 100),
      leaseMs: int(env, 'JOB_LEASE_MS', 300000, 1000, 86400000),
      affinityMs: int(env, 'JOB_AFFINITY_MS', 2000, 0, 3600000),
      enabled: bool(env, 'JOB_EXECUTOR_ENABLED', true),
    },
    engine: { warmInstances: int(env, 'ENGINE_WARM_INSTANCES', 200, 0, 100000) },
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    security: securityConfig(env, database.kind === 'pglite' || testClock, database.kind),
    mail: mailConfig(env),
    connectors: { set: oneOf(env, 'ANJU_CONNECTORS', CONNECTOR_SETS, 'simulated') },
    demoData: bool(env, 'ANJU_DEMO_DATA', database.kind === 'pglite'),
    version: env.npm_package_version || readVersion(),
  };
}

/**
 * Secrets may be left unset only where no real data lives: the embedded (demo) database, or a
 * process running with the test clock. There the well-known development values below stand in,
 * and the boot log says so. Elsewhere the unset names land in `missingSecrets` and identity stops
 * the boot with them (the migration CLI, which needs no secret, still runs).
 */
function securityConfig(env: Env, devAllowed: boolean, kind: DatabaseConfig['kind']): SecurityConfig {
  const developmentSecrets: string[] = [];
  const missingSecrets: string[] = [];
  const secret = (name: keyof typeof VARIABLES): string | null => {
    const raw = env[name]?.trim();
    if (raw) return raw;
    (devAllowed ? developmentSecrets : missingSecrets).push(name);
    return null;
  };
  const jwtSecret = secret('ANJU_JWT_SECRET') ?? devValue('jwt').toString('base64');
  if (jwtSecret.length < 32) throw new ConfigError('ANJU_JWT_SECRET', 'at least 32 characters', '<hidden>');
  const piiRaw = secret('ANJU_PII_KEYS');
  const piiKeys = piiRaw === null ? [{ id: 'dev', material: devValue('pii') }] : parsePiiKeys(piiRaw);
  const indexRaw = secret('ANJU_BLIND_INDEX_KEY');
  const blindIndexKey = indexRaw === null ? devValue('blind-index') : key32('ANJU_BLIND_INDEX_KEY', indexRaw);
  const password = env.ANJU_BOOTSTRAP_ADMIN_PASSWORD;
  return {
    jwtSecret,
    accessTokenTtlSeconds: int(env, 'ANJU_ACCESS_TOKEN_TTL_SECONDS', 600, 60, 3600),
    sessionIdleMinutes: int(env, 'ANJU_SESSION_IDLE_MINUTES', 30, 1, 30),
    sessionMaxHours: int(env, 'ANJU_SESSION_MAX_HOURS', 12, 1, 72),
    loginMaxFailures: int(env, 'ANJU_LOGIN_MAX_FAILURES', 5, 3, 10),
    loginLockMinutes: int(env, 'ANJU_LOGIN_LOCK_MINUTES', 15, 15, 1440),
    loginRatePerMinute: int(env, 'ANJU_LOGIN_RATE_PER_MINUTE', 30, 1, 10000),
    bootstrapAdminPassword: password === undefined || password === '' ? null : password,
    demoUsers: bool(env, 'ANJU_DEMO_USERS', kind === 'pglite'),
    requireAccessDeclarations: bool(env, 'ANJU_REQUIRE_ACCESS_DECLARATIONS', true),
    piiKeys,
    piiCipher: oneOf(env, 'ANJU_PII_CIPHER', PII_CIPHERS, 'sm4'),
    blindIndexKey,
    developmentSecrets,
    missingSecrets,
  };
}

const DEFAULT_MAIL_FROM = '"安居住房保障" <noreply@anju.local>';

function mailConfig(env: Env): MailConfig {
  const raw = env.SMTP_URL?.trim();
  let smtpDisplay: string | null = null;
  if (raw) {
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {
      /* refused below */
    }
    if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
      throw new ConfigError('SMTP_URL', 'a URL like smtp://user:password@host:587 or smtps://user:password@host:465', url ? `${url.protocol}//${url.hostname}` : '<unparsable>');
    }
    smtpDisplay = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? '465' : '587')}`;
  }
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  const address = /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from;
  const domain = /^[^@\s"<>]+@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)$/.exec(address)?.[1];
  if (!domain) throw new ConfigError('MAIL_FROM', 'an e-mail address, optionally with a name: "安居住房保障" <noreply@example.cn>', from);
  return {
    smtpUrl: raw || null,
    smtpDisplay,
    from,
    messageIdDomain: domain.toLowerCase(),
    maxAttempts: int(env, 'MAIL_MAX_ATTEMPTS', 3, 1, 50),
    retryBaseMs: int(env, 'MAIL_RETRY_BASE_MS', 60000, 1000, 3600000),
    pollIntervalMs: int(env, 'MAIL_POLL_INTERVAL_MS', 2000, 50, 60000),
  };
}

/** Development-only key material: public, derived from a label, identical on every machine. */
function devValue(label: string): Buffer {
  return createHash('sha256').update(`anju development only, never production: ${label}`).digest();
}

function key32(name: keyof typeof VARIABLES, b64: string): Buffer {
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new ConfigError(name, 'base64 of exactly 32 random bytes (openssl rand -base64 32)', '<hidden>');
  return key;
}

function parsePiiKeys(raw: string): PersonalDataKey[] {
  const keys = raw.split(',').map((part) => {
    const m = /^\s*([A-Za-z0-9_-]{1,16}):(\S+)\s*$/.exec(part);
    if (!m) throw new ConfigError('ANJU_PII_KEYS', 'id:base64 pairs, comma-separated (e.g. k2:<base64>,k1:<base64>)', '<hidden>');
    return { id: m[1], material: key32('ANJU_PII_KEYS', m[2]) };
  });
  const ids = keys.map((k) => k.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError('ANJU_PII_KEYS', `distinct key ids (${dup} appears twice)`, '<hidden>');
  return keys;
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
