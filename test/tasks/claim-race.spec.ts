import request from 'supertest';
import { AuthService, DEMO_PASSWORD } from '../../src/identity';
import { bearer } from '../support/identity';
import { QueueWorld, auditOf, queueWorld, taskEvents } from './tasks-support';

/**
 * 50 street reviewers of one street claim the same task at the same moment, over 50 real
 * connections: exactly one holds it, the other 49 are told who does. On PostgreSQL the claims
 * really race (the row lock decides); on the embedded database they queue, with the same result.
 */
describe('50 concurrent claims of one task', () => {
  let w: QueueWorld;
  let url: string;
  const users = Array.from({ length: 50 }, (_, i) => `jgy_street_${String(i + 1).padStart(2, '0')}`);
  const headers: { Authorization: string }[] = [];

  beforeAll(async () => {
    w = await queueWorld();
    // 50 accounts like 李街道's: same organisation, role and scope (and the demo password)
    await w.as('jgy_street');
    await w.t.ds.query(
      `INSERT INTO users (username, kind, organization_id, status, password_hash, password_changed_at, created_at, updated_at)
       SELECT x.name, u.kind, u.organization_id, 'active', u.password_hash, u.password_changed_at, u.created_at, u.updated_at
         FROM users u, unnest($1::text[]) AS x (name) WHERE u.username = 'jgy_street'`,
      [users],
    );
    await w.t.ds.query(`INSERT INTO user_roles (user_id, role) SELECT id, 'street_reviewer' FROM users WHERE username = ANY($1::text[])`, [users]);
    await w.t.ds.query(`INSERT INTO user_scopes (user_id, scope) SELECT id, '510104017' FROM users WHERE username = ANY($1::text[])`, [users]);
    const auth = w.t.app.get(AuthService);
    for (const u of users) headers.push(bearer((await auth.login(u, DEMO_PASSWORD, { ip: '127.0.0.1', userAgent: 'claim race' })).accessToken));
    await w.t.app.listen(0, '127.0.0.1');
    url = await w.t.app.getUrl();
  }, 180000);
  afterAll(() => w?.t.close());

  it('gives the task to exactly one; the other 49 get 409 TASK_ALREADY_CLAIMED naming the winner', async () => {
    const task = await w.task({ groups: ['street_reviewer:510104017'], regionCode: '510104017' });
    const responses = await Promise.all(headers.map((h) => request(url).post(`/api/tasks/${task.id}/claim`).set(h)));
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const winner = winners[0].body.assignee as string;
    expect(users).toContain(winner);
    const losers = responses.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(49);
    expect(new Set(losers.map((r) => `${r.status} ${r.body.code} ${r.body.details.assignee}`))).toEqual(new Set([`409 TASK_ALREADY_CLAIMED ${winner}`]));

    const [row] = await w.t.ds.query(`SELECT assignee FROM user_tasks WHERE id = $1`, [task.id]);
    expect(row.assignee).toBe(winner);
    expect((await taskEvents(w.t, task)).filter((e) => e.type === 'task-claimed')).toHaveLength(1);
    const audit = await auditOf(w.t, task.id);
    expect(audit.filter((a) => a.result === 'success').map((a) => a.username)).toEqual([winner]);
    expect(audit.filter((a) => a.status === 409)).toHaveLength(49);
  });
});
