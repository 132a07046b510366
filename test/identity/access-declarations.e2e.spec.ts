import { Controller, Get, Module, ModuleMetadata } from '@nestjs/common';
import request from 'supertest';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { AppConfig, ConfigError, loadConfig } from '../../src/config';
import { AccessDeclarations } from '../../src/identity';
import { TestApp, createTestApp } from '../support/app';
import { freshDatabase } from '../support/database';
import { loginAs } from '../support/identity';

/** An endpoint that forgot to say who may call it. */
@Controller('test-only/forgotten')
class ForgottenController {
  @Get()
  get() {
    return { ok: true };
  }
}

@Module({ controllers: [ForgottenController] })
class ForgottenModule {}

describe('every endpoint declares who may call it', () => {
  let t: TestApp;
  beforeAll(async () => {
    // enforcement is on by default; this app switches it off to show what "off" means
    t = await createTestApp({ ANJU_REQUIRE_ACCESS_DECLARATIONS: 'false' }, [ForgottenModule]);
  });
  afterAll(() => t?.close());

  it('every endpoint of the application declares who may call it', () => {
    const routes = t.app.get(AccessDeclarations).routes();
    const ours = routes.filter((r) => !r.path.startsWith('/test-only/'));
    expect(ours.length).toBeGreaterThan(40);
    expect(ours.filter((r) => !r.declared)).toEqual([]);
    expect(t.app.get(AccessDeclarations).undeclared()).toContainEqual({ method: 'GET', path: '/test-only/forgotten', handler: 'ForgottenController.get' });
  });

  it('leaves an undeclared endpoint open while enforcement is off, but checks a token sent to it', async () => {
    await request(t.http).get('/test-only/forgotten').expect(200);
    await request(t.http).get('/test-only/forgotten').set(await loginAs(t, 'jj_window')).expect(200);
    expect((await request(t.http).get('/test-only/forgotten').set('Authorization', 'Bearer nonsense').expect(401)).body.code).toBe('TOKEN_INVALID');
  });

  it('by default (ANJU_REQUIRE_ACCESS_DECLARATIONS=true), refuses to boot while an endpoint is undeclared, naming it', async () => {
    const error = await bootFailure({}, [ForgottenModule]);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('GET /test-only/forgotten (ForgottenController.get)');
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });
});

describe('boot checks of identity', () => {
  it('refuses to boot without the secrets production needs, naming them', async () => {
    const error = await bootFailure({}, [], (c) => (c.security.missingSecrets = ['ANJU_PII_KEYS', 'ANJU_BLIND_INDEX_KEY']));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('ANJU_PII_KEYS, ANJU_BLIND_INDEX_KEY must be set');
  });

  it('refuses a bootstrap administrator password that breaks the policy, without printing it', async () => {
    const error = await bootFailure({ ANJU_BOOTSTRAP_ADMIN_PASSWORD: 'admin123' });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('ANJU_BOOTSTRAP_ADMIN_PASSWORD');
    expect((error as Error).message).not.toContain('admin123');
  });
});

/** Boots the application as main.ts would and returns what stopped it (closing what was opened). */
async function bootFailure(env: Record<string, string>, imports: ModuleMetadata['imports'] = [], change: (c: AppConfig) => void = () => undefined): Promise<unknown> {
  const db = await freshDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', JOB_EXECUTOR_ENABLED: 'false', ANJU_TEST_CLOCK: '1', ...db.env, ...env });
  change(config);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...imports] }).compile();
  const app = moduleRef.createNestApplication();
  let error: unknown;
  try {
    await app.init();
  } catch (e) {
    error = e;
  } finally {
    await app.close();
    await db.drop();
  }
  return error;
}
