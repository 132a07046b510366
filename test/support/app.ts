import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config';
import { setupApp } from '../../src/setup-app';
import { AuthService, DEMO_PASSWORD, IdentitySeeder } from '../../src/identity';
import { Clock } from '../../src/common';
import { TestDatabase, freshDatabase } from './database';

export interface TestApp {
  app: INestApplication<App>;
  http: App;
  ds: DataSource;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * Boots the whole application on a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
 * `imports` adds test-only modules (e.g. a controller that throws) beside the application.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  imports: ModuleMetadata['imports'] = [],
  options: { actingAs?: string } = {},
): Promise<TestApp> {
  const db = await freshDatabase();
  // no demo housing or applications unless a test asks (ANJU_DEMO_DATA: 'true'): boots stay fast
  const config = loadConfig({ LOG_LEVEL: 'silent', JOB_EXECUTOR_ENABLED: 'false', ANJU_TEST_CLOCK: '1', ANJU_DEMO_DATA: 'false', ...db.env, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...imports] }).compile();
  const app = setupApp(moduleRef.createNestApplication(), config) as INestApplication<App>;
  if (options.actingAs) actAs(app, options.actingAs);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    ds: app.get(DataSource),
    config,
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * Requests without an Authorization header are sent as this demo user (a real login, a real
 * token), so scenario tests about process behaviour read like a user's session. A request that
 * sets its own header (or `x-test-anonymous: 1`) is left alone, so access rules stay testable.
 */
function actAs(app: INestApplication, username: string): void {
  // one session per clock position: tests move the clock by days, past token and idle expiry
  let session: { at: number; header: Promise<string> } | undefined;
  const login = async () => {
    await app.get(IdentitySeeder).ensureDemoUser(username);
    const { accessToken } = await app.get(AuthService).login(username, DEMO_PASSWORD, { ip: '127.0.0.1', userAgent: 'test/support actAs' });
    return `Bearer ${accessToken}`;
  };
  app.use((req: { headers: Record<string, string | undefined> }, _res: unknown, next: (e?: unknown) => void) => {
    if (req.headers.authorization || req.headers['x-test-anonymous']) return next();
    const now = app.get(Clock).now().getTime();
    if (!session || now < session.at || now - session.at > 5 * 60000) session = { at: now, header: login() };
    session.header.then((h) => {
      req.headers.authorization = h;
      next();
    }, next);
  });
}

/** An application for engine scenarios, acting as the policy modeler 赵建模 (sc_modeler) by default. */
export function createEngineTestApp(env: Record<string, string> = {}, imports: ModuleMetadata['imports'] = []): Promise<TestApp> {
  return createTestApp(env, imports, { actingAs: 'sc_modeler' });
}
