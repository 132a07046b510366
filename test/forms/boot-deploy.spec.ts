import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BootDeployer } from '../../src/engine/definitions/boot-deployer';
import { TestApp, createEngineTestApp } from '../support/app';
import { start } from '../support/engine';
import { formFixture, openTask } from './support';

describe('boot deployment of processes/*.bpmn with processes/forms/*.form', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createEngineTestApp();
    dir = mkdtempSync(join(tmpdir(), 'anju-processes-'));
    mkdirSync(join(dir, 'forms'));
    writeFileSync(join(dir, 'street-review.bpmn'), formFixture('street-review.bpmn'));
    writeFileSync(join(dir, 'forms', 'street-review.form'), formFixture('street-review.form'));
    writeFileSync(join(dir, 'forms', 'supplement-materials.form'), formFixture('supplement-materials.form'));
    writeFileSync(join(dir, 'forms', 'README.md'), '表单说明（不部署）');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('deploys diagrams and forms as one deployment, so the tasks use the forms deployed with them', async () => {
    const result = await t.app.get(BootDeployer).deployDirectory(dir);
    expect(result!.definitions).toEqual([expect.objectContaining({ key: 'form_street_review', version: 1, created: true })]);
    expect(result!.forms.map((f) => `${f.formId} v${f.version} ${f.created}`)).toEqual(['street-review v1 true', 'supplement-materials v1 true']);
    expect(result!.forms.every((f) => f.deploymentId === result!.deploymentId)).toBe(true);
    const [deployment] = await t.ds.query(`SELECT origin, name FROM engine_deployments WHERE id = $1`, [result!.deploymentId]);
    expect(deployment).toEqual({ origin: 'boot', name: 'processes/' });

    const inst = await start(t, 'form_street_review', { variables: { applicant: { name: '张三' } } });
    const task = await openTask(t, inst.id, 'UserTask_StreetReview');
    const form = await request(t.http).get(`/api/tasks/${task.id}/form`).expect(200);
    expect(form.body).toMatchObject({ formId: 'street-review', version: 1, data: { applicantName: '张三' } });
  });

  it('creates no versions on a restart with the same files', async () => {
    const again = await t.app.get(BootDeployer).deployDirectory(dir);
    expect([...again!.definitions, ...again!.forms].map((x) => x.created)).toEqual([false, false, false]);
    // (the repository's own processes/forms are deployed at boot too: count this folder's forms)
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM engine_forms WHERE form_id IN ('street-review', 'supplement-materials')`);
    expect(n).toBe(2);
  });

  it('refuses the whole boot deployment when a form is bad, naming the file and component', async () => {
    writeFileSync(join(dir, 'forms', 'broken.form'), JSON.stringify({ id: 'broken', components: [{ type: 'textfield', id: 'Field_NoKey', label: '无键' }] }));
    writeFileSync(join(dir, 'street-review.bpmn'), formFixture('street-review.bpmn').replace('name="街道初审"', 'name="街道初审（新）"'));
    try {
      await expect(t.app.get(BootDeployer).deployDirectory(dir)).rejects.toMatchObject({
        code: 'DEPLOYMENT_INVALID',
        details: { files: [{ file: 'broken.form', errors: [expect.objectContaining({ elementId: 'Field_NoKey', code: 'FORM_KEY_MISSING' })], warnings: [] }] },
      });
      const versions = await t.ds.query(`SELECT version FROM engine_process_definitions WHERE key = 'form_street_review'`);
      expect(versions).toEqual([{ version: 1 }]);
    } finally {
      rmSync(join(dir, 'forms', 'broken.form'));
    }
  });

  it('deploys nothing from a folder without diagrams or forms', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'anju-empty-'));
    try {
      expect(await t.app.get(BootDeployer).deployDirectory(empty)).toBeNull();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
