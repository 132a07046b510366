import request from 'supertest';
import { ForbiddenError } from '../../src/common';
import { UserTaskCommands } from '../../src/engine';
import { TaskFormsService } from '../../src/tasks/forms';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, advance, deploy, setNow, start } from '../support/engine';
import { changedForm, formFixture, openTask } from './support';

const streetReview = (id: string) => `/api/tasks/${id}/form`;

describe('task forms: which form a task uses, its current values, and the completion check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2027-03-01T09:00:00+08:00');
    await deploy(t, {
      'street-review.bpmn': formFixture('street-review.bpmn'),
      'street-review.form': formFixture('street-review.form'),
      'supplement-materials.form': formFixture('supplement-materials.form'),
    }).expect(201);
  });
  afterAll(() => t?.close());

  const startReview = (businessKey: string) =>
    start(t, 'form_street_review', { businessKey, variables: { applicant: { name: '张三' }, applicantName: '旧名字', days: 10, unrelated: 'not for the form' } });

  it('serves the form deployed with the diagram, with the task input first and then the process variables', async () => {
    const inst = await startReview('APP-F-1');
    const task = await openTask(t, inst.id, 'UserTask_StreetReview');
    expect(task.formKey).toBe('camunda-forms:deployment:street-review.form');
    const res = await request(t.http).get(streetReview(task.id)).expect(200);
    expect(res.body).toMatchObject({ formId: 'street-review', version: 1, data: { applicantName: '张三', days: 10 } });
    expect(res.body.data).not.toHaveProperty('unrelated');
    expect(res.body.schema.components.map((c: { key?: string }) => c.key).filter(Boolean)).toEqual(['applicantName', 'decision', 'opinion', 'rejectReason', 'days']);
  });

  it('answers 422 naming every bad field, leaves the task open, and completes with good data', async () => {
    const inst = await startReview('APP-F-2');
    const task = await openTask(t, inst.id, 'UserTask_StreetReview');
    const res = await request(t.http)
      .post(`/api/tasks/${task.id}/complete`)
      .send({ variables: { applicantName: '李四', decision: 'maybe', opinion: ' ', days: 20 } })
      .expect(422);
    expect(res.body.code).toBe('FORM_VALIDATION_FAILED');
    expect(res.body.details).toMatchObject({ taskId: task.id, formId: 'street-review', formVersion: 1 });
    expect(res.body.details.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)).toEqual([
      'applicantName:READONLY',
      'decision:NOT_AN_OPTION',
      'opinion:REQUIRED',
      'days:ABOVE_MAX',
    ]);
    expect(res.body.details.fields[2]).toEqual({ field: 'opinion', code: 'REQUIRED', label: '审核意见', message: '审核意见 is required', messageZh: '请填写审核意见' });
    const [row] = await t.ds.query(`SELECT status FROM user_tasks WHERE id = $1`, [task.id]);
    expect(row.status).toBe('open');
    const [vars] = await t.ds.query(`SELECT variables FROM engine_process_instances WHERE id = $1`, [inst.id]);
    expect(vars.variables).not.toHaveProperty('decision');

    await request(t.http)
      .post(`/api/tasks/${task.id}/complete`)
      .send({ variables: { applicantName: '张三', decision: 'reject', opinion: '家庭收入超过标准', rejectReason: '收入超标', days: 5 } })
      .expect(200);
    // the next task names its form by id; the deployment carried it, so that version is used
    const next = await openTask(t, inst.id, 'UserTask_Supplement');
    expect((await request(t.http).get(streetReview(next.id)).expect(200)).body).toMatchObject({ formId: 'supplement-materials', version: 1 });
  });

  it('checks the data of a form with nested keys, a dynamic list, a date not in the past and a phone number', async () => {
    const inst = await startReview('APP-F-3');
    const review = await openTask(t, inst.id, 'UserTask_StreetReview');
    await t.app.get(UserTaskCommands).complete(review.id, { decision: 'approve', opinion: '同意', days: 3 }, 'test');
    const task = await openTask(t, inst.id, 'UserTask_Supplement');
    const forms = t.app.get(TaskFormsService);
    const bad = await t.ds.transaction((em) =>
      forms.check(em, task.id, {
        materials: ['hukou', 'passport'],
        supplementDue: '2027-02-28',
        contact: { phone: '12345' },
        household: { members: [{ idNumber: '5101' }, { name: '张小明', idNumber: '51010420150101123X' }] },
      }),
    );
    expect(bad!.fields.map((f) => `${f.field}:${f.code}`)).toEqual([
      'materials:NOT_AN_OPTION',
      'supplementDue:DATE_IN_PAST',
      'contact.phone:INVALID_PHONE',
      'household.members[0].name:REQUIRED',
      'household.members[0].idNumber:PATTERN_MISMATCH',
    ]);
    expect(bad!.fields[4].messageZh).toBe('身份证号码应为18位');
    const good = { materials: ['hukou', 'income'], supplementDue: '2027-03-15', contact: { phone: '028-86123456' }, household: { members: [{ name: '张三' }] } };
    await expect(t.ds.transaction((em) => forms.validateCompletion(em, task.id, good))).resolves.toBeUndefined();
  });

  it('keeps an open task on its form version; a task of a diagram deployed without the form takes the latest deployed before it was created', async () => {
    const first = await startReview('APP-F-4');
    const firstTask = await openTask(t, first.id, 'UserTask_StreetReview');
    advance(t, DAY);
    const v2 = changedForm('street-review.form', (s) => {
      (s.components as { key?: string; validate?: { max?: number } }[]).find((c) => c.key === 'days')!.validate!.max = 20;
    });
    expect((await deploy(t, { 'street-review.form': v2 }).expect(201)).body.forms[0]).toMatchObject({ version: 2, created: true });
    // the diagram's own deployment carried version 1: its tasks keep using it
    expect((await request(t.http).get(streetReview(firstTask.id)).expect(200)).body.version).toBe(1);
    const later = await startReview('APP-F-5');
    expect((await request(t.http).get(streetReview((await openTask(t, later.id, 'UserTask_StreetReview')).id)).expect(200)).body.version).toBe(1);

    advance(t, DAY);
    await deploy(t, { 'supplement-c8.bpmn': formFixture('supplement-c8.bpmn') }).expect(201);
    const c8 = await start(t, 'form_supplement_c8');
    const c8Task = await openTask(t, c8.id, 'UserTask_Supplement');
    expect(c8Task.formKey).toBe('supplement-materials');
    advance(t, DAY);
    const supplementV2 = changedForm('supplement-materials.form', (s) => {
      (s.components as { key?: string; validate?: { maxLength?: number } }[]).find((c) => c.key === 'note')!.validate!.maxLength = 500;
    });
    expect((await deploy(t, { 'supplement-materials.form': supplementV2 }).expect(201)).body.forms[0]).toMatchObject({ version: 2 });
    expect((await request(t.http).get(streetReview(c8Task.id)).expect(200)).body.version).toBe(1);
    const c8Later = await start(t, 'form_supplement_c8');
    const c8LaterTask = await openTask(t, c8Later.id, 'UserTask_Supplement');
    expect((await request(t.http).get(streetReview(c8LaterTask.id)).expect(200)).body.version).toBe(2);
    // the check uses the task's version: 300 characters of note pass version 2 only
    const note = '说明'.repeat(150);
    const data = { materials: ['hukou'], supplementDue: '2027-03-20', contact: { phone: '13912345678' }, note };
    const forms = t.app.get(TaskFormsService);
    expect((await t.ds.transaction((em) => forms.check(em, c8Task.id, data)))!.fields.map((f) => f.code)).toEqual(['TOO_LONG']);
    expect(await t.ds.transaction((em) => forms.check(em, c8LaterTask.id, data))).toBeNull();
  });

  it('has nothing to check and answers 404 for a task without a form-js form, and 404 for an unknown task', async () => {
    const xml = formFixture('street-review.bpmn')
      .replace(/form_street_review/g, 'form_embedded')
      .replace('camunda:formKey="camunda-forms:deployment:street-review.form"', 'camunda:formKey="embedded:app:forms/street-review.html"');
    await deploy(t, { 'embedded.bpmn': xml }).expect(201);
    const inst = await start(t, 'form_embedded', { variables: { applicant: { name: '王五' } } });
    const task = await openTask(t, inst.id, 'UserTask_StreetReview');
    const res = await request(t.http).get(streetReview(task.id)).expect(404);
    expect(res.body.code).toBe('TASK_FORM_NOT_FOUND');
    await expect(t.ds.transaction((em) => t.app.get(TaskFormsService).validateCompletion(em, task.id, { anything: 1 }))).resolves.toBeUndefined();
    expect((await request(t.http).get(streetReview('00000000-0000-4000-8000-000000000000')).expect(404)).body.code).toBe('TASK_NOT_FOUND');
    expect((await request(t.http).get(streetReview('not-a-uuid')).expect(404)).body.code).toBe('TASK_NOT_FOUND');
  });

  it('does not check a task that is no longer open (the completion answers 409 itself)', async () => {
    const inst = await startReview('APP-F-6');
    const task = await openTask(t, inst.id, 'UserTask_StreetReview');
    await t.app.get(UserTaskCommands).complete(task.id, { decision: 'approve', opinion: '同意', days: 3 }, 'test');
    await expect(t.ds.transaction((em) => t.app.get(TaskFormsService).validateCompletion(em, task.id, {}))).resolves.toBeUndefined();
    const res = await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: {} }).expect(409);
    expect(res.body.code).toBe('TASK_NOT_OPEN');
  });

  it('asks the installed access check before serving a form, and requires a login', async () => {
    const inst = await startReview('APP-F-7');
    const task = await openTask(t, inst.id, 'UserTask_StreetReview');
    await request(t.http).get(streetReview(task.id)).set('x-test-anonymous', '1').expect(401);
    const forms = t.app.get(TaskFormsService);
    const seen: string[] = [];
    forms.useAccessCheck((actor, tk) => {
      seen.push(`${actor.username}:${tk.candidateGroups.join(',')}`);
      if (!actor.groups.some((g) => tk.candidateGroups.includes(g))) throw new ForbiddenError('TASK_FORBIDDEN', 'Not a candidate of this task');
    });
    try {
      const res = await request(t.http).get(streetReview(task.id)).expect(403);
      expect(res.body.code).toBe('TASK_FORBIDDEN');
      expect(seen).toEqual(['sc_modeler:street']);
    } finally {
      forms.useAccessCheck(() => undefined);
    }
  });
});
