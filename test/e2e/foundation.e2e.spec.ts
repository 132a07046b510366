import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Public } from '../../src/api';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';

/** Test-only routes: one that fails unexpectedly, one that takes a JSON body. */
@Controller('test-only')
@Public()
class ProbeController {
  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail at db.query (/srv/app/dist/x.js:1:1)');
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('foundation: error envelope, request ids, health, OpenAPI', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp({}, [ProbeModule]);
    auth = await loginAs(t, 'jj_window');
  });
  afterAll(() => t?.close());

  describe('errors', () => {
    it('answers an unknown route with a JSON 404 ROUTE_NOT_FOUND', async () => {
      const res = await request(t.http).get('/api/no-such-thing').expect(404).expect('content-type', /json/);
      expect(res.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No route GET /api/no-such-thing' });
    });

    it('answers a malformed JSON body with 400 MALFORMED_JSON', async () => {
      const res = await request(t.http).post('/test-only/echo').set('content-type', 'application/json').send('{"name": ').expect(400);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.code).toBe('MALFORMED_JSON');
      expect(typeof res.body.message).toBe('string');
      // the same for a path that has no route at all: the body is refused before routing
      const anywhere = await request(t.http).post('/api/regions').set('content-type', 'application/json').send('{oops').expect(400);
      expect(anywhere.body.code).toBe('MALFORMED_JSON');
    });

    it('answers other malformed requests with a 4xx envelope, never a 500', async () => {
      const tooLarge = await request(t.http).post('/test-only/echo').send({ text: 'x'.repeat(1_100_000) }).expect(413); // over the 1 MB JSON limit
      expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
      const badEncoding = await request(t.http).get('/api/regions/%FF').set(auth).expect(400);
      expect(badEncoding.body).toMatchObject({ code: 'BAD_REQUEST', message: expect.any(String) });
    });

    it('still accepts a well-formed JSON body', async () => {
      const res = await request(t.http).post('/test-only/echo').send({ name: '张三' }).expect(201);
      expect(res.body).toEqual({ name: '张三' });
    });

    it('answers a validation failure with 400 naming each bad field', async () => {
      const res = await request(t.http).get('/api/regions?parent=51&group=cdmz&colour=red').set(auth).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.details.fields.map((f: { field: string }) => f.field).sort();
      expect(fields).toEqual(['colour', 'group', 'parent']);
      for (const field of fields) expect(res.body.message).toContain(field);
      for (const f of res.body.details.fields) expect(f.problems.length).toBeGreaterThan(0);
    });

    it('answers an unexpected exception with a 500 that carries only the request id', async () => {
      const res = await request(t.http).get('/test-only/boom').expect(500);
      expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal error', details: { requestId: res.headers['x-request-id'] } });
      expect(res.body.details.requestId).toMatch(UUID);
      expect(res.text).not.toMatch(/secret|stack|\/srv\/|at /);
    });
  });

  describe('request ids', () => {
    it('echoes a caller-supplied x-request-id', async () => {
      const res = await request(t.http).get('/api/regions/510100').set(auth).set('x-request-id', 'caller-42.a_b').expect(200);
      expect(res.headers['x-request-id']).toBe('caller-42.a_b');
    });

    it('generates one when none (or an unusable one) is given', async () => {
      const none = await request(t.http).get('/api/regions/510100').set(auth).expect(200);
      expect(none.headers['x-request-id']).toMatch(UUID);
      const bad = await request(t.http).get('/api/regions/510100').set(auth).set('x-request-id', 'has spaces; and <html>').expect(200);
      expect(bad.headers['x-request-id']).toMatch(UUID);
    });
  });

  describe('operations', () => {
    it('reports health: database up, migrations applied, the version', async () => {
      const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
      const res = await request(t.http).get('/health').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.database).toEqual({ status: 'up' });
      expect(res.body.info.migrations).toMatchObject({ status: 'up', applied: expect.any(Number) });
      expect(res.body.info.migrations.applied).toBeGreaterThan(0);
      expect(res.body.info.app).toEqual({ status: 'up', version, database: t.db.kind });
    });

    it('serves an OpenAPI 3 document with the regions and health paths', async () => {
      const res = await request(t.http).get('/api/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/regions', '/api/regions/{code}', '/health']));
      const params = res.body.paths['/api/regions'].get.parameters.map((p: { name: string }) => p.name);
      expect(params).toEqual(expect.arrayContaining(['parent', 'group', 'includeHistory']));
    });

    it('serves the API documentation page', async () => {
      const res = await request(t.http).get('/api/docs').redirects(1).expect(200);
      expect(res.text).toContain('swagger');
    });
  });
});

describe('foundation: health with migrations pending', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DB_MIGRATIONS_RUN: 'false' });
  });
  afterAll(() => t?.close());

  it('answers 503 naming the pending migrations', async () => {
    const res = await request(t.http).get('/health').expect(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.details.error.migrations).toEqual({ status: 'down', pending: expect.arrayContaining(['CreateRegions1764100000000']) });
    expect(res.body.details.info.database).toEqual({ status: 'up' });
  });
});
