import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy } from '../support/engine';
import { loginAs } from '../support/identity';
import { Problem, changedForm, formFixture } from './support';

describe('deploying task forms (.form files) with the diagrams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
  });
  afterAll(() => t?.close());

  async function refusal(files: Record<string, string>): Promise<{ file: string; errors: Problem[] }[]> {
    const res = await deploy(t, files).expect(422);
    expect(res.body.code).toBe('DEPLOYMENT_INVALID');
    return res.body.details.files;
  }

  it('deploys forms beside a diagram, keyed by the schema id, and serves them', async () => {
    const res = await deploy(t, {
      'street-review.bpmn': formFixture('street-review.bpmn'),
      'street-review.form': formFixture('street-review.form'),
      'supplement-materials.form': formFixture('supplement-materials.form'),
    }).expect(201);
    expect(res.body.definitions).toEqual([expect.objectContaining({ key: 'form_street_review', version: 1, created: true })]);
    expect(res.body.forms).toEqual([
      expect.objectContaining({ formId: 'street-review', version: 1, created: true, resourceName: 'street-review.form', deploymentId: res.body.deploymentId }),
      expect.objectContaining({ formId: 'supplement-materials', version: 1, created: true, resourceName: 'supplement-materials.form' }),
    ]);

    // the repository's processes/forms are deployed at boot as well: look at this test's forms
    const mine = (body: { formId: string; version: number }[]) => body.filter((f) => ['street-review', 'supplement-materials'].includes(f.formId));
    const list = await request(t.http).get('/api/forms').expect(200);
    expect(mine(list.body).map((f) => `${f.formId} v${f.version}`)).toEqual(['street-review v1', 'supplement-materials v1']);
    expect(list.body[0]).not.toHaveProperty('schema');
    const one = await request(t.http).get('/api/forms/street-review').expect(200);
    expect(one.body).toMatchObject({ formId: 'street-review', version: 1, variables: ['applicantName', 'days', 'decision', 'opinion', 'rejectReason'] });
    const decision = one.body.schema.components.find((c: { key?: string }) => c.key === 'decision');
    expect(decision.values.map((v: { label: string }) => v.label)).toEqual(['通过', '不通过']);
  });

  it('stores identical content once, and a changed form as version n+1', async () => {
    const again = await deploy(t, { 'street-review.form': formFixture('street-review.form') }).expect(201);
    expect(again.body.forms).toEqual([expect.objectContaining({ formId: 'street-review', version: 1, created: false })]);
    // reformatting the JSON is not a change
    const reformatted = JSON.stringify(JSON.parse(formFixture('street-review.form')));
    expect((await deploy(t, { 'street-review.form': reformatted }).expect(201)).body.forms[0]).toMatchObject({ version: 1, created: false });

    const v2 = changedForm('street-review.form', (s) => {
      (s.components as { key?: string; validate?: { max?: number } }[]).find((c) => c.key === 'days')!.validate!.max = 20;
    });
    const res = await deploy(t, { 'street-review-v2.form': v2 }).expect(201);
    expect(res.body.forms).toEqual([expect.objectContaining({ formId: 'street-review', version: 2, created: true, resourceName: 'street-review-v2.form' })]);

    const latest = await request(t.http).get('/api/forms/street-review').expect(200);
    expect(latest.body.version).toBe(2);
    const first = await request(t.http).get('/api/forms/street-review?version=1').expect(200);
    expect(first.body.schema.components.find((c: { key?: string }) => c.key === 'days').validate.max).toBe(15);
    const versions = await request(t.http).get('/api/forms?formId=street-review').expect(200);
    expect(versions.body.map((f: { version: number }) => f.version)).toEqual([2, 1]);
    const latestOnly = await request(t.http).get('/api/forms?latestOnly=true').expect(200);
    expect(latestOnly.body.filter((f: { formId: string }) => ['street-review', 'supplement-materials'].includes(f.formId)).map((f: { formId: string; version: number }) => `${f.formId} v${f.version}`)).toEqual(['street-review v2', 'supplement-materials v1']);
  });

  it('answers 404 for an unknown form or version and 400 for a version that is not a number', async () => {
    expect((await request(t.http).get('/api/forms/no-such-form').expect(404)).body.code).toBe('FORM_NOT_FOUND');
    expect((await request(t.http).get('/api/forms/street-review?version=9').expect(404)).body.code).toBe('FORM_NOT_FOUND');
    await request(t.http).get('/api/forms/street-review?version=abc').expect(400);
    await request(t.http).get('/api/forms').set('x-test-anonymous', '1').expect(401);
  });

  it('refuses bad form files with a problem list naming the component, and stores nothing of that deployment', async () => {
    const bad = (components: unknown[], id = 'bad-form') => JSON.stringify({ id, type: 'default', components });
    const files = await refusal({
      'harmless.bpmn': formFixture('street-review.bpmn').replace(/form_street_review/g, 'harmless_with_forms'),
      'good.form': bad([{ type: 'textfield', key: 'x', label: '正常' }], 'good-form'),
      'notes.form': '这不是 JSON',
      'no-id.form': JSON.stringify({ type: 'default', components: [] }),
      'unknown.form': bad([{ type: 'signature', id: 'Field_Sign', key: 'sign', label: '签名' }]),
      'duplicate.form': bad([
        { type: 'textfield', id: 'Field_A', key: 'opinion', label: '意见' },
        { type: 'textarea', id: 'Field_B', key: 'opinion', label: '审核意见' },
      ]),
      'validate.form': bad([{ type: 'number', id: 'Field_Days', key: 'days', label: '办理时限', validate: { min: 10, max: 1, required: 'yes' } }]),
      'pattern.form': bad([{ type: 'textfield', id: 'Field_IdNumber', key: 'idNumber', label: '身份证号码', validate: { pattern: '^(\\d{17}' } }]),
    });
    const byFile = Object.fromEntries(files.map((f) => [f.file, f.errors.map((e) => `${e.elementId ?? ''}:${e.code}`)]));
    expect(byFile).toEqual({
      'notes.form': [':FORM_NOT_JSON'],
      'no-id.form': [':FORM_ID_MISSING'],
      'unknown.form': ['Field_Sign:FORM_COMPONENT_TYPE_UNKNOWN'],
      'duplicate.form': ['Field_B:FORM_KEY_DUPLICATE'],
      'validate.form': ['Field_Days:FORM_VALIDATE_INVALID', 'Field_Days:FORM_VALIDATE_INVALID'],
      'pattern.form': ['Field_IdNumber:FORM_PATTERN_INVALID'],
    });
    const duplicate = files.find((f) => f.file === 'duplicate.form')!.errors[0];
    expect(duplicate.message).toBe('"审核意见" (opinion): "opinion" is also bound by "意见" (opinion)');
    expect((await request(t.http).get('/api/forms?formId=good-form').expect(200)).body).toEqual([]);
    expect((await request(t.http).get('/api/process-definitions?key=harmless_with_forms').expect(200)).body).toEqual([]);
  });

  it('refuses two files of one deployment that carry the same form id, and a broken DMN file', async () => {
    const files = await refusal({ 'a.form': formFixture('street-review.form'), 'b.form': formFixture('street-review.form') });
    expect(files).toEqual([{ file: 'b.form', errors: [expect.objectContaining({ code: 'FORM_ID_DUPLICATE' })], warnings: [] }]);
    const dmn = await refusal({ 'eligibility.dmn': '<definitions />' });
    expect(dmn[0].errors).toEqual([expect.objectContaining({ code: expect.stringMatching(/^DMN_/) })]);
  });

  it('makes one version of concurrent identical deployments and consecutive versions of different ones', async () => {
    const form = (label: string) => JSON.stringify({ id: 'concurrent-form', type: 'default', components: [{ type: 'textfield', key: 'x', label }] });
    const same = await Promise.all(Array.from({ length: 4 }, () => deploy(t, { 'c.form': form('一') })));
    expect(same.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(same.map((r) => r.body.forms[0].created).filter(Boolean)).toHaveLength(1);
    const different = await Promise.all(['二', '三', '四'].map((label) => deploy(t, { 'c.form': form(label) })));
    expect(different.map((r) => r.status)).toEqual([201, 201, 201]);
    const versions = await request(t.http).get('/api/forms?formId=concurrent-form').expect(200);
    expect(versions.body.map((f: { version: number }) => f.version)).toEqual([4, 3, 2, 1]);
  });

  it('lets only a policy modeler deploy forms', async () => {
    const res = await request(t.http)
      .post('/api/deployments')
      .set(await loginAs(t, 'jj_window'))
      .attach('files', Buffer.from(formFixture('supplement-materials.form')), 'supplement-materials.form');
    expect(res.status).toBe(403);
  });
});
