import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';

describe('HTTP edge: headers, CORS, content types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('sends security headers with every answer, errors included', async () => {
    const res = await request(t.http).get('/api/no-such-thing').expect(404);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('keeps CORS closed: no Access-Control-Allow-Origin for another origin', async () => {
    const pre = await request(t.http).options('/api/auth/login').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(t.http).post('/api/auth/login').set('Origin', 'https://evil.example').send({ username: 'x', password: 'y' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts JSON bodies only (415 for a form post or plain text)', async () => {
    const form = await request(t.http).post('/api/auth/login').type('form').send('username=jj_window&password=x').expect(415);
    expect(form.body).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/x-www-form-urlencoded') });
    const text = await request(t.http).post('/api/auth/login').set('content-type', 'text/plain').send('hello').expect(415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // a body-less POST needs no content type
    await request(t.http).post('/api/auth/logout').expect(401);
  });
});
