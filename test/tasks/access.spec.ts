import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { QueueWorld, STREET, queueWorld } from './tasks-support';

/**
 * Who sees and acts on a task (src/tasks/task-access.ts): candidates, supervisors of the
 * candidate groups (one rung up, scope covering the group's), everyone else 403 in their region
 * scope and 404 outside it.
 */
describe('task access: candidates, supervisors, outsiders', () => {
  let w: QueueWorld;
  beforeAll(async () => {
    w = await queueWorld();
  });
  afterAll(() => w?.t.close());

  const get = async (user: string, id: string) => request(w.t.http).get(`/api/tasks/${id}`).set(await w.as(user));
  const listed = async (user: string, instanceId: string) =>
    (await request(w.t.http).get(`/api/tasks?processInstanceId=${instanceId}`).set(await w.as(user)).expect(200)).body.items.length as number;

  it("shows a street task to its candidates and the county's reviewers, forbids the city and the window, hides it from 德阳", async () => {
    const task = await w.task(STREET);
    expect(task.regionCode).toBe('510104017');
    const expected: [string, number, number][] = [
      // [user, GET status, rows in the list]
      ['jgy_street', 200, 1], // candidate: street_reviewer:510104017
      ['jj_county', 200, 1], // supervisor: county_reviewer of 510104
      ['cd_city', 403, 0], // in scope, but supervises county reviewers, not street reviewers
      ['jj_window', 403, 0], // in scope, no relation
      ['jj_mz_checker', 403, 0],
      ['dy_window', 404, 0], // 德阳: out of scope, as if absent
      ['applicant_zhang', 404, 0], // no region scope at all
    ];
    for (const [user, status, rows] of expected) {
      const res = await get(user, task.id);
      expect([user, res.status, await listed(user, task.processInstanceId)]).toEqual([user, status, rows]);
      if (status === 403) expect(res.body.code).toBe('TASK_FORBIDDEN');
      if (status === 404) expect(res.body.code).toBe('TASK_NOT_FOUND');
    }
  });

  it('lets candidates and supervisors act, refuses outsiders in scope with 403 and out of scope with 404', async () => {
    const task = await w.task(STREET);
    const claim = async (user: string) => (await request(w.t.http).post(`/api/tasks/${task.id}/claim`).set(await w.as(user))).status;
    expect(await claim('cd_city')).toBe(403);
    expect(await claim('jj_window')).toBe(403);
    expect(await claim('dy_window')).toBe(404);
    expect(await claim('jj_county')).toBe(200); // a supervisor may take it over
    expect((await request(w.t.http).post(`/api/tasks/${task.id}/complete`).set(await w.as('cd_city')).send({ variables: {} })).status).toBe(403);
  });

  it('makes the city reviewers the supervisors of a county task, and the county reviewer its candidate', async () => {
    const task = await w.task({ groups: ['county_reviewer:510104'], regionCode: '510104' });
    expect((await get('cd_city', task.id)).status).toBe(200);
    expect((await get('jgy_street', task.id)).status).toBe(404); // 510104 is above the street's scope
    const assigned = await request(w.t.http).post(`/api/tasks/${task.id}/assign`).set(await w.as('cd_city')).send({ assignee: 'jj_county' });
    expect([assigned.status, assigned.body.assignee]).toEqual([200, 'jj_county']);
  });

  it("keeps a department's task to that department's checkers", async () => {
    const mz = await w.task({ groups: ['department_checker:民政:510104'], regionCode: '510104' });
    const ga = await w.task({ groups: ['department_checker:公安:510104'], regionCode: '510104' });
    expect((await get('jj_mz_checker', mz.id)).status).toBe(200);
    expect((await get('jj_mz_checker', ga.id)).status).toBe(403);
  });

  it("puts the case's region first: a candidate outside it gets 404; a task without a region is decided by the groups", async () => {
    const deyang = await w.task({ groups: STREET.groups, regionCode: '510603' });
    expect((await get('jgy_street', deyang.id)).status).toBe(404);
    const noRegion = await w.task({ groups: STREET.groups });
    expect(noRegion.regionCode).toBeNull();
    expect((await get('jgy_street', noRegion.id)).status).toBe(200);
    expect((await get('dy_window', noRegion.id)).status).toBe(403);
    // an unknown region code is not kept (it would hide the task from everyone)
    const unknown = await w.task({ groups: STREET.groups, regionCode: '519999' });
    expect(unknown.regionCode).toBeNull();
  });

  it('offers a task to a named candidate user wherever their groups are', async () => {
    const task = await w.task({ ...STREET, users: ['jj_window'] });
    expect((await get('jj_window', task.id)).status).toBe(200);
    expect((await request(w.t.http).post(`/api/tasks/${task.id}/claim`).set(await w.as('jj_window'))).status).toBe(200);
  });
});

describe('task access without the test clock (production)', () => {
  let w: QueueWorld;
  beforeAll(async () => {
    // the secrets a PostgreSQL deployment must have once ANJU_TEST_CLOCK is off
    w = await queueWorld({
      ANJU_TEST_CLOCK: '0',
      ANJU_JWT_SECRET: randomBytes(32).toString('base64'),
      ANJU_PII_KEYS: `t1:${randomBytes(32).toString('base64')}`,
      ANJU_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    });
  });
  afterAll(() => w?.t.close());

  it('gives a policy modeler no walk-through: their tasks are the ones their groups give them', async () => {
    const res = await request(w.t.http)
      .post('/api/process-definitions/key/task_queue/start')
      .set(await w.as('sc_modeler'))
      .send({ businessKey: 'PROD-1', variables: STREET })
      .expect(201);
    const [row] = await w.t.ds.query(`SELECT id FROM user_tasks WHERE instance_id = $1`, [res.body.id]);
    const modeler = await w.as('sc_modeler');
    expect((await request(w.t.http).get(`/api/tasks/${row.id}`).set(modeler)).status).toBe(403);
    expect((await request(w.t.http).get(`/api/tasks?processInstanceId=${res.body.id}`).set(modeler).expect(200)).body.items).toEqual([]);
    expect((await request(w.t.http).post(`/api/tasks/${row.id}/complete`).set(modeler).send({ variables: {} })).status).toBe(403);
    expect((await request(w.t.http).post(`/api/tasks/${row.id}/complete`).set(await w.as('jgy_street')).send({ variables: {} })).status).toBe(200);
  });
});
