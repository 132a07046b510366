import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { advanceClock, loginAs } from '../support/identity';
import { Header, createBuilding, createProject, createUnit, unitBody } from './support';

describe('housing stock (房源清单): projects, units, status history, region scope', () => {
  let t: TestApp;
  let cd: Header; // 成都 city reviewer, scope 510100
  let dy: Header; // 德阳旌阳 window caseworker, scope 510603
  let cdmz: Header; // allocation officer, scope 成德眉资
  let wuhouBuilding: string;
  let deyangBuilding: string;
  let wuhouUnit: string;

  beforeAll(async () => {
    t = await createTestApp({ ANJU_DEMO_USERS: 'false' });
    cd = await loginAs(t, 'cd_city');
    dy = await loginAs(t, 'dy_window');
    cdmz = await loginAs(t, 'cdmz_allocation');
    const wuhou = await createProject(t, cd, 'T-WH', '510107');
    wuhouBuilding = await createBuilding(t, cd, wuhou, '1栋', 6);
    const deyang = await createProject(t, cdmz, 'T-JY', '510603');
    deyangBuilding = await createBuilding(t, cdmz, deyang, '3栋');
    wuhouUnit = await createUnit(t, cd, wuhouBuilding, 'T-WH-0101', { floor: 1, accessible: true, layout: 'studio', buildingArea: 32.5, usableArea: 25 });
    await createUnit(t, cd, wuhouBuilding, 'T-WH-0502', { floor: 5, roomNo: '502', housingType: 'arh', layout: 'two_bedroom', buildingArea: 58, usableArea: 46 });
    await createUnit(t, cdmz, deyangBuilding, 'T-JY-0301', { floor: 3, roomNo: '301' });
  });
  afterAll(() => t?.close());

  it('creates a unit with its labels and a first history row, and shows it in its project', async () => {
    const unit = await request(t.http).get(`/api/housing/units/${wuhouUnit}`).set(cd).expect(200);
    expect(unit.body).toMatchObject({
      assetNo: 'T-WH-0101',
      projectCode: 'T-WH',
      buildingNumber: '1栋',
      regionCode: '510107',
      regionName: '武侯区',
      housingType: 'prh_government',
      layout: 'studio',
      buildingArea: 32.5,
      usableArea: 25,
      floor: 1,
      hasElevator: true,
      accessible: true,
      status: 'vacant',
      labels: { housingType: { zh: '公租房(政府投资)', en: 'Public rental housing, government-owned' }, layout: { zh: '单间' }, status: { zh: '空置', en: 'Vacant' } },
      currentTenancy: null,
      history: [{ fromStatus: null, toStatus: 'vacant', reason: '新建房源 (created)', source: 'api' }],
    });
    const project = await request(t.http).get(`/api/housing/projects/${unit.body.projectId}`).set(cd).expect(200);
    expect(project.body).toMatchObject({ code: 'T-WH', regionName: '武侯区', buildingCount: 1, unitCount: 2, buildings: [{ number: '1栋', floors: 6, unitCount: 2 }] });
  });

  it('keeps every status change with its reason and who made it, and refuses changes the rules forbid', async () => {
    advanceClock(t, 60_000);
    const repair = await request(t.http).post(`/api/housing/units/${wuhouUnit}/status`).set(cd).send({ status: 'under_repair', reason: '入户检查发现卫生间渗漏' }).expect(200);
    expect(repair.body.status).toBe('under_repair');
    advanceClock(t, 60_000);
    await request(t.http).post(`/api/housing/units/${wuhouUnit}/status`).set(cd).send({ status: 'vacant', reason: '维修完成，验收合格' }).expect(200);
    const refused = await request(t.http).post(`/api/housing/units/${wuhouUnit}/status`).set(cd).send({ status: 'sold', reason: '出售' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'STATUS_CHANGE_REFUSED', details: { from: 'vacant', to: 'sold', reason: { zh: '只有共有产权住房可以出售' } } });
    const same = await request(t.http).post(`/api/housing/units/${wuhouUnit}/status`).set(cd).send({ status: 'vacant', reason: '再次标记' }).expect(409);
    expect(same.body.details.reason.en).toBe('the unit is already vacant');
    const bad = await request(t.http).post(`/api/housing/units/${wuhouUnit}/status`).set(cd).send({ status: 'gone', reason: '' }).expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['reason', 'status']);

    const unit = await request(t.http).get(`/api/housing/units/${wuhouUnit}`).set(cd).expect(200);
    const me = await request(t.http).get('/api/auth/me').set(cd).expect(200);
    expect(unit.body.history.map((h: { fromStatus: string; toStatus: string; reason: string; changedBy: string }) => [h.fromStatus, h.toStatus, h.reason, h.changedBy])).toEqual([
      [null, 'vacant', '新建房源 (created)', me.body.id],
      ['vacant', 'under_repair', '入户检查发现卫生间渗漏', me.body.id],
      ['under_repair', 'vacant', '维修完成，验收合格', me.body.id],
    ]);
    expect(new Date(unit.body.statusSince).getTime()).toBe(new Date(unit.body.history[2].changedAt).getTime());
  });

  it('lists units with filters and paging', async () => {
    const all = await request(t.http).get('/api/housing/units').set(cdmz).expect(200);
    expect(all.body.total).toBe(3);
    const arh = await request(t.http).get('/api/housing/units?type=arh').set(cd).expect(200);
    expect(arh.body.items.map((u: { assetNo: string }) => u.assetNo)).toEqual(['T-WH-0502']);
    const big = await request(t.http).get('/api/housing/units?minArea=40&elevator=true').set(cdmz).expect(200);
    expect(big.body.items.map((u: { assetNo: string }) => u.assetNo).sort()).toEqual(['T-JY-0301', 'T-WH-0502']);
    const page = await request(t.http).get('/api/housing/units?limit=1&offset=1').set(cdmz).expect(200);
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1, items: [expect.any(Object)] });
    const region = await request(t.http).get('/api/housing/units?region=510600').set(cdmz).expect(200);
    expect(region.body.items.map((u: { assetNo: string }) => u.assetNo)).toEqual(['T-JY-0301']);
    const q = await request(t.http).get('/api/housing/units?q=t-wh-05').set(cd).expect(200);
    expect(q.body.total).toBe(1);
    await request(t.http).get('/api/housing/units?elevator=maybe').set(cd).expect(400);
  });

  it('never shows a Deyang user the Chengdu stock: 404 on the unit, absent from lists', async () => {
    const res = await request(t.http).get(`/api/housing/units/${wuhouUnit}`).set(dy).expect(404);
    expect(res.body.code).toBe('UNIT_NOT_FOUND');
    const list = await request(t.http).get('/api/housing/units').set(dy).expect(200);
    expect(list.body.items.map((u: { assetNo: string }) => u.assetNo)).toEqual(['T-JY-0301']);
    const chengduOnly = await request(t.http).get('/api/housing/units?region=510107').set(dy).expect(200);
    expect(chengduOnly.body).toMatchObject({ total: 0, items: [] });
    const projects = await request(t.http).get('/api/housing/projects').set(dy).expect(200);
    expect(projects.body.items.map((p: { code: string }) => p.code)).toEqual(['T-JY']);
    // and the Chengdu city reviewer does not see Deyang's
    const cdList = await request(t.http).get('/api/housing/units').set(cd).expect(200);
    expect(cdList.body.items.map((u: { assetNo: string }) => u.assetNo)).not.toContain('T-JY-0301');
  });

  it('refuses writes outside the caller scope and to unknown regions', async () => {
    const outside = await request(t.http).post('/api/housing/projects').set(cd).send({ code: 'T-OUT', name: '德阳某小区', regionCode: '510603' }).expect(403);
    expect(outside.body.code).toBe('REGION_OUT_OF_SCOPE');
    const unknown = await request(t.http).post('/api/housing/projects').set(cd).send({ code: 'T-UNK', name: '不存在的区划', regionCode: '510199' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'REGION_UNKNOWN', details: { fields: [{ field: 'regionCode' }] } });
    // a unit in someone else's building is simply not found
    const res = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(deyangBuilding, 'T-X-0001')).expect(404);
    expect(res.body.code).toBe('BUILDING_NOT_FOUND');
    // a window caseworker reads the stock but does not keep it
    await request(t.http).post('/api/housing/units').set(dy).send(unitBody(deyangBuilding, 'T-X-0002')).expect(403);
  });

  it('refuses bad units with a 400 or 409 naming the field', async () => {
    const taken = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, 'T-WH-0101', { roomNo: '999' })).expect(409);
    expect(taken.body).toMatchObject({ code: 'ASSET_NO_TAKEN', details: { fields: [{ field: 'assetNo' }] } });
    const room = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, 'T-WH-9999', { roomNo: '502' })).expect(409);
    expect(room.body.code).toBe('ROOM_TAKEN');
    const high = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, 'T-WH-0701', { floor: 7 })).expect(400);
    expect(high.body).toMatchObject({ code: 'FLOOR_ABOVE_BUILDING', details: { fields: [{ field: 'floor' }] } });
    const area = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, 'T-WH-0302', { usableArea: 50 })).expect(400);
    expect(area.body.details.fields).toEqual([{ field: 'usableArea', problems: ['must not exceed the building area'] }]);
    const shape = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, '单元', { buildingArea: 0, layout: 'castle' })).expect(400);
    expect(shape.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['assetNo', 'buildingArea', 'layout']);
    const street = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, 'T-WH-0303', { roomNo: '303', regionCode: '510104017' })).expect(400);
    expect(street.body.code).toBe('REGION_OUTSIDE_PROJECT');
    const inside = await request(t.http).post('/api/housing/units').set(cd).send(unitBody(wuhouBuilding, 'T-WH-0304', { roomNo: '304', regionCode: '510107011' })).expect(201);
    expect(inside.body).toMatchObject({ regionCode: '510107011', regionName: '簇桥街道' });
    await request(t.http).get('/api/housing/units/not-a-uuid').set(cd).expect(404);
    const dup = await request(t.http).post('/api/housing/projects').set(cd).send({ code: 'T-WH', name: '重复编号', regionCode: '510107' }).expect(409);
    expect(dup.body.code).toBe('PROJECT_CODE_TAKEN');
  });

  it('is closed to roles outside housing work', async () => {
    const modeler = await loginAs(t, 'sc_modeler');
    await request(t.http).get('/api/housing/units').set(modeler).expect(403);
    await request(t.http).get('/api/housing/units').expect(401);
  });
});
