import request from 'supertest';
import { QueueWorld, STREET, TaskBody, queueWorld, setNow } from './tasks-support';

/**
 * GET /api/tasks: filters, SLA state against the working-day calendar, sorts, cursor paging, a
 * capped total, and a 400 naming every bad parameter.
 *
 * The clock stands at Wednesday 2026-09-30 10:00: National Day (10-01 to 10-07) is next, so the
 * next working day is Thursday 10-08 and a task due during the holiday is "due soon".
 */
describe('work queue: GET /api/tasks', () => {
  let w: QueueWorld;
  const t: Record<string, TaskBody> = {};

  beforeAll(async () => {
    w = await queueWorld();
    // a minute between tasks, so that "created" orders them
    let minute = 0;
    const next = () => setNow(w.t, new Date(Date.parse('2026-09-30T10:00:00+08:00') + minute++ * 60000).toISOString());
    next();
    t.overdue = await w.task({ ...STREET, due: '2026-09-29T17:00:00+08:00', priority: 80 }, 'APP-2026-001');
    next();
    t.soon = await w.task({ ...STREET, due: '2026-10-05T17:00:00+08:00', priority: 50 }, 'APP-2026-002');
    next();
    t.later = await w.task({ ...STREET, due: '2026-10-20T17:00:00+08:00', priority: 90 }, 'RCK-2026-003');
    next();
    t.mine = await w.task({ ...STREET, assignee: 'jgy_street', priority: 10 }, 'APP-2026-004');
    next();
    t.county = await w.task({ groups: ['county_reviewer:510104'], regionCode: '510104', due: '2026-10-09T17:00:00+08:00' }, 'APP-2026-005');
    next();
    t.deyang = await w.task({ groups: ['window_caseworker:510603'], regionCode: '510603', due: '2026-09-01T17:00:00+08:00' }, 'APP-2026-006');
  });
  afterAll(() => w?.t.close());

  const list = async (user: string, query: string) => request(w.t.http).get(`/api/tasks?${query}`).set(await w.as(user));
  const keys = async (user: string, query: string) => {
    const res = await list(user, query);
    expect([query, res.status]).toEqual([query, 200]);
    return (res.body.items as TaskBody[]).map((x) => x.businessKey);
  };

  it("computes each task's SLA state against the calendar, with its labels", async () => {
    const byKey = new Map(((await list('jgy_street', 'sort=due')).body.items as TaskBody[]).map((x) => [x.businessKey, x]));
    expect(byKey.get('APP-2026-001')).toMatchObject({ sla: 'overdue', slaLabel: { 'zh-CN': '已逾期', en: 'Overdue' } });
    expect(byKey.get('APP-2026-002')).toMatchObject({ sla: 'due_soon', slaLabel: { 'zh-CN': '即将到期', en: 'Due soon' } });
    expect(byKey.get('RCK-2026-003')).toMatchObject({ sla: 'on_time', slaLabel: { 'zh-CN': '按期', en: 'On time' } });
    expect(byKey.get('APP-2026-004')?.sla).toBe('on_time');
  });

  it('filters by my groups, unassigned, assigned to me, SLA state, due dates, keys and text', async () => {
    expect(await keys('jgy_street', 'myGroups=true&unassigned=true&sort=due')).toEqual(['APP-2026-001', 'APP-2026-002', 'RCK-2026-003']);
    expect(await keys('jgy_street', 'assignedToMe=true')).toEqual(['APP-2026-004']);
    expect(await keys('jgy_street', 'sla=overdue')).toEqual(['APP-2026-001']);
    expect(await keys('jgy_street', 'sla=due_soon')).toEqual(['APP-2026-002']);
    expect(await keys('jgy_street', 'sla=on_time&sort=due')).toEqual(['RCK-2026-003', 'APP-2026-004']);
    expect(await keys('jgy_street', 'sla=overdue,due_soon&sort=due')).toEqual(['APP-2026-001', 'APP-2026-002']);
    expect(await keys('jgy_street', `dueBefore=${encodeURIComponent('2026-10-06T00:00:00+08:00')}&sort=due`)).toEqual(['APP-2026-001', 'APP-2026-002']);
    expect(await keys('jgy_street', `dueAfter=${encodeURIComponent('2026-10-06T00:00:00+08:00')}`)).toEqual(['RCK-2026-003']);
    expect(await keys('jgy_street', 'businessKey=APP-2026-002')).toEqual(['APP-2026-002']);
    expect(await keys('jgy_street', 'q=rck')).toEqual(['RCK-2026-003']);
    expect(await keys('jgy_street', `q=${encodeURIComponent('资格')}&sort=created`)).toEqual(['APP-2026-001', 'APP-2026-002', 'RCK-2026-003', 'APP-2026-004']);
    expect(await keys('jgy_street', 'q=%25')).toEqual([]);
    expect(await keys('jgy_street', 'processKey=task_queue&candidateGroup=street_reviewer:510104017&assignee=jgy_street')).toEqual(['APP-2026-004']);
  });

  it("shows a supervisor the groups below them, and filters by the case's region subtree", async () => {
    expect(await keys('jj_county', 'sort=created')).toEqual(['APP-2026-001', 'APP-2026-002', 'RCK-2026-003', 'APP-2026-004', 'APP-2026-005']);
    expect(await keys('jj_county', 'myGroups=true')).toEqual(['APP-2026-005']);
    expect(await keys('jj_county', 'region=510104017&sla=overdue')).toEqual(['APP-2026-001']);
    expect(await keys('cd_city', 'region=510100')).toEqual(['APP-2026-005']);
    expect(await keys('cd_city', 'region=CDMZ')).toEqual(['APP-2026-005']);
    // 德阳's task is nobody's here
    expect(await keys('cd_city', 'region=510603')).toEqual([]);
    expect(await keys('dy_window', 'sla=overdue')).toEqual(['APP-2026-006']);
  });

  it('sorts by due, priority or created, either way, with the id breaking ties', async () => {
    expect(await keys('jgy_street', 'sort=-priority')).toEqual(['RCK-2026-003', 'APP-2026-001', 'APP-2026-002', 'APP-2026-004']);
    expect(await keys('jgy_street', 'sort=priority')).toEqual(['APP-2026-004', 'APP-2026-002', 'APP-2026-001', 'RCK-2026-003']);
    // no due date: last going up, first going down
    expect(await keys('jgy_street', 'sort=-due')).toEqual(['APP-2026-004', 'RCK-2026-003', 'APP-2026-002', 'APP-2026-001']);
    expect(await keys('jgy_street', 'sort=-created')).toEqual(['APP-2026-004', 'RCK-2026-003', 'APP-2026-002', 'APP-2026-001']);
  });

  it('pages with a cursor through every sort without losing or repeating a task', async () => {
    for (const sort of ['due', '-due', 'priority', '-priority', 'created', '-created']) {
      const all = await keys('jj_county', `sort=${sort}`);
      const seen: (string | null)[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await list('jj_county', query);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 5, totalExact: true, totalLabel: '5' });
        seen.push(...(res.body.items as TaskBody[]).map((x) => x.businessKey));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect([sort, pages, seen]).toEqual([sort, 3, all]);
    }
  });

  it('answers 400 naming the parameter for every bad one', async () => {
    const bad: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['sort=name', 'sort'],
      ['sla=late', 'sla'],
      ['myGroups=yes', 'myGroups'],
      ['status=done', 'status'],
      ['region=abc', 'region'],
      ['region=519999', 'region'],
      ['dueBefore=tomorrow', 'dueBefore'],
      ['dueAfter=2026-13-01', 'dueAfter'],
      ['processInstanceId=42', 'processInstanceId'],
      ['assignee=Not%20A%20User', 'assignee'],
      ['cursor=abc', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['due', 'infinity', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}&sort=created`, 'cursor'],
      ['status=completed&sla=overdue', 'sla'],
      ['colour=red', 'colour'],
    ];
    for (const [query, field] of bad) {
      const res = await list('jgy_street', query);
      expect([query, res.status]).toEqual([query, 400]);
      expect([query, res.body.details.fields.map((f: { field: string }) => f.field)]).toEqual([query, [field]]);
    }
  });

  it('lists closed tasks on request', async () => {
    const done = await w.task({ ...STREET, priority: 5 }, 'APP-2026-007');
    await request(w.t.http).post(`/api/tasks/${done.id}/complete`).set(await w.as('jgy_street')).send({ variables: {} }).expect(200);
    expect(await keys('jgy_street', 'status=completed')).toEqual(['APP-2026-007']);
    expect(await keys('jgy_street', 'status=all&sort=priority')).toEqual(['APP-2026-007', 'APP-2026-004', 'APP-2026-002', 'APP-2026-001', 'RCK-2026-003']);
  });

  it('counts exactly up to 1000 and says "1000+" beyond, without counting further', async () => {
    // 1,200 more open tasks of 锦官驿街道's reviewers, written straight into the table
    await w.t.ds.query(
      `INSERT INTO user_tasks (instance_id, execution_id, element_id, name, process_key, process_version, business_key,
          candidate_groups, region_code, group_keys, created_at)
       SELECT t.instance_id, 'bulk-' || g, t.element_id, t.name, t.process_key, t.process_version, 'BULK-' || g,
          t.candidate_groups, t.region_code, t.group_keys, t.created_at
         FROM user_tasks t, generate_series(1, 1200) g WHERE t.id = $1`,
      [t.overdue.id],
    );
    const res = await list('jgy_street', 'myGroups=true&limit=1');
    expect(res.body).toMatchObject({ total: 1000, totalExact: false, totalLabel: '1000+' });
    expect(res.body.items).toHaveLength(1);
    expect((await list('jgy_street', 'businessKey=BULK-7')).body).toMatchObject({ total: 1, totalExact: true });
    // the supervisor sees them too; 德阳 does not
    expect((await list('jj_county', 'q=BULK-119')).body.total).toBe(11);
    expect((await list('dy_window', 'q=BULK')).body.total).toBe(0);
  });
});
