import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, VARIABLES, loadConfig } from './config';

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('believes X-Forwarded-For only through the proxies TRUST_PROXY names', () => {
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['true', '11', '10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/1']) {
      const e = refusal({ TRUST_PROXY: bad });
      expect(e.variable).toBe('TRUST_PROXY');
      expect(e.message).toContain('proxy hops');
    }
  });

  it('boots on the embedded database with the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', logLevel: 'info', testClock: false, shutdownTimeoutMs: 10000 });
    expect(config.database).toMatchObject({ kind: 'pglite', dataDir: '.data/pglite', poolSize: 1, connectTimeoutMs: 10000, runMigrations: true });
    expect(config.jobs).toEqual({ pollIntervalMs: 1000, batchSize: 20, concurrency: 1, maxAttempts: 3, leaseMs: 300000, affinityMs: 2000, enabled: true });
    expect(config.trustProxy).toBe(false);
    expect(config.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('uses PostgreSQL when DATABASE_URL is set and never shows the password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://anju:s3cret@db.internal:6543/anju', DB_POOL_SIZE: '4' });
    expect(config.database).toMatchObject({ kind: 'postgres', display: 'db.internal:6543/anju', poolSize: 4 });
    expect(config.database.display).not.toContain('s3cret');
  });

  it.each([
    ['PORT', 'abc', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['PORT', '-1', 'an integer'],
    ['LOG_LEVEL', 'verbose', 'one of fatal, error, warn, info, debug, trace, silent'],
    ['DB_MIGRATIONS_RUN', 'maybe', 'true or false'],
    ['JOB_EXECUTOR_ENABLED', 'yes please', 'true or false'],
    ['ANJU_TEST_CLOCK', '2', 'true or false'],
    ['DB_CONNECT_TIMEOUT_MS', '10s', 'an integer'],
  ])('refuses %s=%s naming the variable and what it expected', (variable, value, expected) => {
    const e = refusal({ [variable]: value });
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(variable);
    expect(e.message).toContain(expected);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it.each([
    ['not a url', 'not a URL at all'],
    ['mysql://root@localhost/anju', 'another scheme'],
    ['postgres://localhost', 'no database name'],
    ['postgres:///anju', 'no host'],
  ])('refuses a malformed DATABASE_URL (%s: %s) without echoing credentials', (url) => {
    const e = refusal({ DATABASE_URL: url });
    expect(e.variable).toBe('DATABASE_URL');
    expect(e.message).toContain('postgres://user:password@host:5432/database');
    const withPassword = refusal({ DATABASE_URL: url.replace('root@', 'root:hunter2@') });
    expect(withPassword.message).not.toContain('hunter2');
  });

  describe('security', () => {
    const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

    it('uses public development secrets on the embedded database, and says which', () => {
      const { security } = loadConfig({});
      expect(security.developmentSecrets).toEqual(['ANJU_JWT_SECRET', 'ANJU_PII_KEYS', 'ANJU_BLIND_INDEX_KEY']);
      expect(security.missingSecrets).toEqual([]);
      expect(security).toMatchObject({ demoUsers: true, sessionIdleMinutes: 30, loginMaxFailures: 5, loginLockMinutes: 15, piiCipher: 'sm4', requireAccessDeclarations: true });
    });

    it('leaves them missing on PostgreSQL (identity then stops the boot), unless the test clock is on', () => {
      const pg = { DATABASE_URL: 'postgres://anju@db.internal/anju' };
      expect(loadConfig(pg).security).toMatchObject({ missingSecrets: ['ANJU_JWT_SECRET', 'ANJU_PII_KEYS', 'ANJU_BLIND_INDEX_KEY'], demoUsers: false });
      expect(loadConfig({ ...pg, ANJU_TEST_CLOCK: '1' }).security.missingSecrets).toEqual([]);
      const set = loadConfig({ ...pg, ANJU_JWT_SECRET: 'x'.repeat(40), ANJU_PII_KEYS: `k2:${key(2)}, k1:${key(1)}`, ANJU_BLIND_INDEX_KEY: key(3), ANJU_DEMO_USERS: 'true' });
      expect(set.security).toMatchObject({ missingSecrets: [], developmentSecrets: [], demoUsers: true });
      expect(set.security.piiKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    });

    it.each([
      ['ANJU_PII_KEYS', 'k1:tooshort', 'exactly 32 random bytes'],
      ['ANJU_PII_KEYS', 'no-colon-here', 'id:base64 pairs'],
      ['ANJU_PII_KEYS', `k1:${Buffer.alloc(32, 1).toString('base64')},k1:${Buffer.alloc(32, 2).toString('base64')}`, 'distinct key ids'],
      ['ANJU_BLIND_INDEX_KEY', Buffer.alloc(16, 1).toString('base64'), 'exactly 32 random bytes'],
      ['ANJU_JWT_SECRET', 'short', 'at least 32 characters'],
      ['ANJU_SESSION_IDLE_MINUTES', '45', 'an integer from 1 to 30'],
      ['ANJU_LOGIN_LOCK_MINUTES', '5', 'an integer from 15 to 1440'],
      ['ANJU_PII_CIPHER', 'des', 'one of sm4, aes-256-gcm'],
    ])('refuses %s=%s without echoing a secret', (variable, value, expected) => {
      const e = refusal({ [variable]: value });
      expect(e.variable).toBe(variable);
      expect(e.message).toContain(expected);
      if (variable !== 'ANJU_SESSION_IDLE_MINUTES' && variable !== 'ANJU_LOGIN_LOCK_MINUTES' && variable !== 'ANJU_PII_CIPHER') expect(e.message).not.toContain(value);
    });
  });

  it('mail: the development mailbox by default; SMTP when SMTP_URL is set, shown without its password; the Message-ID domain from MAIL_FROM', () => {
    expect(loadConfig({}).mail).toEqual({
      smtpUrl: null,
      smtpDisplay: null,
      from: '"安居住房保障" <noreply@anju.local>',
      messageIdDomain: 'anju.local',
      maxAttempts: 3,
      retryBaseMs: 60000,
      pollIntervalMs: 2000,
    });
    const smtp = loadConfig({ SMTP_URL: 'smtps://anju:s3cret@mail.example.cn', MAIL_FROM: '"成都住建" <Notice@Mail.Example.CN>', MAIL_MAX_ATTEMPTS: '5' }).mail;
    expect(smtp).toMatchObject({ smtpUrl: 'smtps://anju:s3cret@mail.example.cn', smtpDisplay: 'mail.example.cn:465', messageIdDomain: 'mail.example.cn', maxAttempts: 5 });
    expect(refusal({ SMTP_URL: 'http://mail.example.cn' }).variable).toBe('SMTP_URL');
    expect(refusal({ SMTP_URL: 'smtp://user:hunter2@' }).message).not.toContain('hunter2');
    expect(refusal({ MAIL_FROM: 'nobody' }).variable).toBe('MAIL_FROM');
    expect(refusal({ MAIL_MAX_ATTEMPTS: '0' }).variable).toBe('MAIL_MAX_ATTEMPTS');
  });

  it('reads no variable that is not documented in VARIABLES', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    loadConfig(env);
    // npm_package_version is set by npm itself (npm start) and only supplies the version
    const undocumented = [...read].filter((name) => !(name in VARIABLES) && name !== 'npm_package_version');
    expect(undocumented).toEqual([]);
  });

  it('the README configuration table lists every variable', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(VARIABLES).sort());
  });

  it('.env.example lists every variable', () => {
    const example = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(VARIABLES).sort());
  });
});
