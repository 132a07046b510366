import request from 'supertest';
import { QueueWorld, STREET, TaskBody, auditOf, queueWorld, setNow } from './tasks-support';

/**
 * Saved queues (/api/task-queues): a named filter shared with groups, each member seeing their
 * own tasks in it and its count; only the creator changes it.
 */
describe('saved queues', () => {
  let w: QueueWorld;
  beforeAll(async () => {
    w = await queueWorld();
    setNow(w.t, '2026-09-30T10:00:00+08:00');
    await w.task({ ...STREET, due: '2026-09-29T17:00:00+08:00' }, 'SQ-1');
    await w.task({ ...STREET, due: '2026-10-05T17:00:00+08:00' }, 'SQ-2');
    await w.task({ ...STREET, assignee: 'jgy_street' }, 'SQ-3');
    await w.task({ groups: ['county_reviewer:510104'], regionCode: '510104' }, 'SQ-4');
  });
  afterAll(() => w?.t.close());

  const call = async (user: string, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) => {
    const req = request(w.t.http)[method](path).set(await w.as(user));
    return body ? req.send(body) : req;
  };
  const streetQueue = {
    name: '锦官驿街道待领取',
    nameEn: 'Jinguanyi street: to claim',
    filter: { candidateGroup: 'street_reviewer:510104017', unassigned: true, sort: 'due' },
    sharedWithGroups: ['street_reviewer:510104017'],
  };

  it('lets a supervisor save a queue for the groups below them; its members see it with their count and tasks', async () => {
    const created = await call('jj_county', 'post', '/api/task-queues', streetQueue);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...streetQueue, mine: true });
    const id = created.body.id as string;

    const theirs = await call('jgy_street', 'get', '/api/task-queues');
    expect(theirs.body).toEqual([expect.objectContaining({ id, name: '锦官驿街道待领取', mine: false, count: 2, countExact: true, countLabel: '2' })]);
    const tasks = await call('jgy_street', 'get', `/api/task-queues/${id}/tasks`);
    expect((tasks.body.items as TaskBody[]).map((x) => x.businessKey)).toEqual(['SQ-1', 'SQ-2']);
    expect(tasks.body.total).toBe(2);
    // the page and the sort are the caller's; the filter is the queue's
    const page = await call('jgy_street', 'get', `/api/task-queues/${id}/tasks?limit=1&sort=-due`);
    expect((page.body.items as TaskBody[]).map((x) => x.businessKey)).toEqual(['SQ-2']);
    const rest = await call('jgy_street', 'get', `/api/task-queues/${id}/tasks?limit=1&sort=-due&cursor=${page.body.nextCursor}`);
    expect([rest.body.items[0].businessKey, rest.body.nextCursor]).toEqual(['SQ-1', null]);
    expect((await call('jgy_street', 'get', `/api/task-queues/${id}/tasks?filter=x`)).status).toBe(400);

    // not shared with the city, nor the window: it does not exist for them
    expect((await call('cd_city', 'get', `/api/task-queues/${id}`)).status).toBe(404);
    expect((await call('jj_window', 'get', `/api/task-queues/${id}/tasks`)).status).toBe(404);
    expect((await call('cd_city', 'get', '/api/task-queues')).body).toEqual([]);
  });

  it('lets only the creator change or delete it, and records each change', async () => {
    const created = await call('jgy_street', 'post', '/api/task-queues', { name: '我的待办', filter: { assignedToMe: true } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call('jgy_street', 'get', '/api/task-queues')).body.find((q: { id: string }) => q.id === id)).toMatchObject({ count: 1, sharedWithGroups: [] });

    const renamed = await call('jgy_street', 'put', `/api/task-queues/${id}`, { name: '我的逾期', filter: { assignedToMe: true, sla: ['overdue'] } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '我的逾期', nameEn: null, filter: { assignedToMe: true, sla: ['overdue'] } });
    expect((await call('jgy_street', 'get', '/api/task-queues')).body.find((q: { id: string }) => q.id === id).count).toBe(0);

    const shared = (await call('jj_county', 'get', '/api/task-queues')).body.find((q: { mine: boolean }) => q.mine);
    expect((await call('jgy_street', 'put', `/api/task-queues/${shared.id}`, { name: 'x', filter: {} })).status).toBe(404);
    expect((await call('jgy_street', 'delete', `/api/task-queues/${shared.id}`)).status).toBe(404);

    expect((await call('jgy_street', 'delete', `/api/task-queues/${id}`)).status).toBe(204);
    expect((await call('jgy_street', 'get', `/api/task-queues/${id}`)).status).toBe(404);
    expect((await auditOf(w.t, id)).map((a) => [a.action, a.result, a.status])).toEqual([
      ['task_queues.create', 'success', 201],
      ['task_queues.update', 'success', 200],
      ['task_queues.delete', 'success', 204],
    ]);
  });

  it('refuses a bad filter naming the field, a second queue of the same name, and sharing outside your groups', async () => {
    const bad: [object, string][] = [
      [{ name: 'x', filter: { sla: ['late'] } }, 'filter.sla'],
      [{ name: 'x', filter: { region: '519999' } }, 'filter.region'],
      [{ name: 'x', filter: { colour: 'red' } }, 'filter.colour'],
      [{ name: 'x', filter: { status: 'completed', sla: ['overdue'] } }, 'filter.sla'],
      [{ name: 'x', filter: { sort: 'name' } }, 'filter.sort'],
      [{ name: '', filter: {} }, 'name'],
      [{ name: 'x' }, 'filter'],
      [{ name: 'x', filter: {}, sharedWithGroups: ['city_reviewer:510100'] }, 'sharedWithGroups'],
      [{ name: 'x', filter: {}, sharedWithGroups: ['street_reviewer:510603001'] }, 'sharedWithGroups'],
      [{ name: 'x', filter: {}, sharedWithGroups: ['everyone'] }, 'sharedWithGroups'],
    ];
    for (const [body, field] of bad) {
      const res = await call('jj_county', 'post', '/api/task-queues', body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const again = await call('jj_county', 'post', '/api/task-queues', streetQueue);
    expect([again.status, again.body.code]).toEqual([409, 'TASK_QUEUE_NAME_TAKEN']);
    // a group of one's own is fine to share with
    expect((await call('jj_county', 'post', '/api/task-queues', { name: '区县待办', filter: { myGroups: true }, sharedWithGroups: ['county_reviewer:510104'] })).status).toBe(201);
  });
});
