import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config';
import { setupApp } from '../../src/setup-app';
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
export async function createTestApp(env: Record<string, string> = {}, imports: ModuleMetadata['imports'] = []): Promise<TestApp> {
  const db = await freshDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', JOB_EXECUTOR_ENABLED: 'false', ANJU_TEST_CLOCK: '1', ...db.env, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...imports] }).compile();
  const app = setupApp(moduleRef.createNestApplication(), config) as INestApplication<App>;
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
