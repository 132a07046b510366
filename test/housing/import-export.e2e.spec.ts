import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';
import { Header, binary, createBuilding, createProject, createUnit, rowsOf, workbookOf } from './support';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/housing', name));

const HEADERS = ['项目编号', '楼栋号', '单元号', '楼层', '房号', '房源类型', '户型', '建筑面积(㎡)', '使用面积(㎡)', '电梯', '无障碍', '资产编号', '状态', '区划代码'];

describe('unit import (XLSX, CSV) and export', () => {
  let t: TestApp;
  let cd: Header;
  let cdmz: Header;

  const count = async () => (await request(t.http).get('/api/housing/units').set(cdmz).expect(200)).body.total as number;
  const buildings = async () => ((await t.ds.query(`SELECT count(*)::int AS n FROM housing_buildings`)) as { n: number }[])[0].n;
  const upload = (file: Buffer, name: string, query = '') => request(t.http).post(`/api/housing/units/import${query}`).set(cd).attach('file', file, name);

  beforeAll(async () => {
    t = await createTestApp({ ANJU_DEMO_USERS: 'false' });
    cd = await loginAs(t, 'cd_city');
    cdmz = await loginAs(t, 'cdmz_allocation');
    const wuhou = await createProject(t, cd, 'IMP-WH', '510107');
    const b1 = await createBuilding(t, cd, wuhou, '1栋', 6);
    await createUnit(t, cd, b1, 'IMP-EXIST-1', { floor: 1, roomNo: '101' });
    await createProject(t, cdmz, 'IMP-JY', '510603');
  });
  afterAll(() => t?.close());

  it('offers a template with Chinese headers, drop-down lists and notes in Chinese and English', async () => {
    const res = await request(t.http).get('/api/housing/units/import-template').set(cd).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('房源导入模板.xlsx')}`);
    const wb = await workbookOf(res.body);
    expect(rowsOf(wb.getWorksheet('房源')!)).toEqual([HEADERS]);
    const notes = rowsOf(wb.getWorksheet('说明 Notes')!);
    expect(notes[0]).toEqual(['列名', 'Column', '必填 Required', '填写说明', 'Notes']);
    expect(notes[8]).toEqual(['建筑面积(㎡)', 'Building area (m²)', '是 yes', expect.stringContaining('不超过 300'), expect.stringContaining('at most 300')]);
    expect(wb.getWorksheet('房源')!.getCell('F2').dataValidation).toMatchObject({ type: 'list', formulae: ['"公租房(政府投资),公租房(企业自建),保障性租赁住房,共有产权住房"'] });

    // the template as downloaded has no rows: nothing to import
    const empty = await upload(res.body, 'template.xlsx').expect(422);
    expect(empty.body.code).toBe('IMPORT_EMPTY');
  });

  it('imports a filled-in template: a dry run first stores nothing, then the real run stores every row', async () => {
    const template = await request(t.http).get('/api/housing/units/import-template').set(cd).buffer(true).parse(binary).expect(200);
    const wb = await workbookOf(template.body);
    const sheet = wb.getWorksheet('房源')!;
    sheet.addRow(['IMP-WH', '1栋', '1', 2, '0201', '公租房(政府投资)', '一室一厅', 45.2, 36.1, '是', '否', 'IMP-X-0001', '空置', '']);
    sheet.addRow(['IMP-WH', '1栋', '1', 2, '0202', '保障性租赁住房', '单间', 30.55, 24, '是', '是', 'IMP-X-0002', '', '510107011']);
    sheet.addRow(['IMP-WH', '2栋', '', 12, '1201', '共有产权住房', '三室两厅', { formula: '80+8.6', result: 88.6 }, 70, '是', '', 'IMP-X-0003', '已售', '']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await count();

    const dry = await upload(file, '房源.xlsx', '?dryRun=true').expect(200);
    expect(dry.body).toEqual({ dryRun: true, rowsRead: 3, units: 3, buildingsCreated: [{ projectCode: 'IMP-WH', number: '2栋' }], ignoredColumns: [] });
    expect(await count()).toBe(before);

    const real = await upload(file, '房源.xlsx').expect(200);
    expect(real.body).toMatchObject({ dryRun: false, units: 3, buildingsCreated: [{ projectCode: 'IMP-WH', number: '2栋' }] });
    expect(await count()).toBe(before + 3);
    const list = await request(t.http).get('/api/housing/units?q=IMP-X').set(cd).expect(200);
    expect(list.body.items.map((u: { assetNo: string; roomNo: string; regionCode: string; status: string; buildingArea: number }) => [u.assetNo, u.roomNo, u.regionCode, u.status, u.buildingArea])).toEqual([
      ['IMP-X-0001', '0201', '510107', 'vacant', 45.2],
      ['IMP-X-0002', '0202', '510107011', 'vacant', 30.55],
      ['IMP-X-0003', '1201', '510107', 'sold', 88.6],
    ]);
    const unit = await request(t.http).get(`/api/housing/units/${list.body.items[2].id}`).set(cd).expect(200);
    expect(unit.body.history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'sold', source: 'import', reason: '导入 (imported from) 房源.xlsx' })]);

    // the same file again: every row collides with what is now stored
    const again = await upload(file, '房源.xlsx').expect(422);
    expect(again.body.details.errors.filter((e: { field: string }) => e.field === 'assetNo').map((e: { row: number }) => e.row)).toEqual([2, 3, 4]);
  });

  it('imports a CSV saved by Excel in Chinese (GB 18030), creating the building it names', async () => {
    const res = await upload(fixture('units-gbk.csv'), 'units.csv').expect(200);
    expect(res.body).toMatchObject({ dryRun: false, rowsRead: 3, units: 3, buildingsCreated: [{ projectCode: 'IMP-WH', number: '3栋' }] });
    const list = await request(t.http).get('/api/housing/units?q=IMP-GBK').set(cd).expect(200);
    expect(list.body.items.map((u: { status: string; layout: string; housingType: string }) => [u.status, u.layout, u.housingType])).toEqual([
      ['vacant', 'one_bedroom', 'prh_government'],
      ['allocated', 'two_bedroom', 'prh_government'],
      ['vacant', 'studio', 'arh'],
    ]);
  });

  it('rejects a file with bad rows as a whole: 422 naming each row, column and problem, nothing stored', async () => {
    const before = { units: await count(), buildings: await buildings() };
    for (const query of ['?dryRun=true', '']) {
      const res = await upload(fixture('units-bad.csv'), 'bad.csv', query).expect(422);
      expect(res.body.code).toBe('IMPORT_REJECTED');
      expect(res.body.message).toBe('9 of 10 rows have problems; nothing was imported');
      expect(res.body.details).toMatchObject({ rowsRead: 10, rowsWithErrors: 9, errorCount: 13, truncated: false });
      const errors = res.body.details.errors as { row: number; column: string; value: string; problem: string; problemEn: string }[];
      expect(errors.map((e) => [e.row, e.column])).toEqual([
        [3, '建筑面积(㎡)'],
        [4, '房源类型'],
        [4, '户型'],
        [4, '电梯'],
        [5, '资产编号'],
        [6, '房号'],
        [6, '资产编号'],
        [7, '项目编号'],
        [8, '项目编号'],
        [9, '楼层'],
        [10, '区划代码'],
        [12, '房号'],
        [12, '状态'],
      ]);
      expect(errors[0]).toEqual({ row: 3, column: '建筑面积(㎡)', field: 'buildingArea', value: '-3', problem: '建筑面积须大于 0、不超过 300，最多两位小数', problemEn: 'must be more than 0 and at most 300, with two decimals at most' });
      expect(errors[4]).toMatchObject({ row: 5, value: 'IMP-BAD-0001', problem: '与第 2 行的资产编号重复', problemEn: 'the same asset number as row 2' });
      expect(errors[6]).toMatchObject({ row: 6, value: 'IMP-EXIST-1', problemEn: 'the asset number is already registered' });
      expect(errors[8]).toMatchObject({ row: 8, value: 'IMP-JY', problem: '没有这个项目，或项目不在您的数据范围内' });
      expect(errors[9]).toMatchObject({ row: 9, value: '9', problemEn: "is above the building's 6 floors" });
      expect(errors[10]).toMatchObject({ row: 10, value: '510104017', problemEn: "is not inside the project's region 510107" });
    }
    expect({ units: await count(), buildings: await buildings() }).toEqual(before);
  });

  it('refuses what it cannot read, and callers who do not keep the stock', async () => {
    const none = await request(t.http).post('/api/housing/units/import').set(cd).field('note', 'x').expect(400);
    expect(none.body.code).toBe('IMPORT_FILE_MISSING');
    const xls = await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'old.xls').expect(400);
    expect(xls.body).toMatchObject({ code: 'IMPORT_FILE_UNREADABLE', details: { fields: [{ field: 'file', problems: [expect.stringContaining('.xlsx')] }] } });
    const broken = await upload(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 1)]), 'broken.xlsx').expect(400);
    expect(broken.body.code).toBe('IMPORT_FILE_UNREADABLE');
    const headerless = await upload(Buffer.from('编号,名称\nA,B\n'), 'x.csv').expect(422);
    expect(headerless.body.details.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toContainEqual([1, '资产编号']);
    const dy = await loginAs(t, 'dy_window');
    await request(t.http).post('/api/housing/units/import').set(dy).attach('file', fixture('units-gbk.csv'), 'units.csv').expect(403);
  });

  it('exports the units of the current filters as XLSX in the import columns', async () => {
    const res = await request(t.http).get('/api/housing/units/export?region=510107&type=prh_government').set(cd).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="housing-units-\d{8}\.xlsx"/);
    const rows = rowsOf((await workbookOf(res.body)).getWorksheet('房源')!);
    expect(rows[0]).toEqual([...HEADERS, '项目名称', '区划名称', '状态起始时间', '当前保障对象编号']);
    const list = await request(t.http).get('/api/housing/units?region=510107&type=prh_government').set(cd).expect(200);
    expect(rows.slice(1).map((r) => r[11])).toEqual(list.body.items.map((u: { assetNo: string }) => u.assetNo));
    const first = rows.find((r) => r[11] === 'IMP-X-0001')!;
    expect(first.slice(0, 14)).toEqual(['IMP-WH', '1栋', '1', 2, '0201', '公租房(政府投资)', '一室一厅', 45.2, 36.1, '是', '否', 'IMP-X-0001', '空置', '510107']);
    expect(first[14]).toBe('IMP-WH 公租房小区');

    // an export is audited, and a Deyang user's export holds none of these
    const [audited] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'housing.units.export'`);
    expect(audited.n).toBe(1);
    const dy = await loginAs(t, 'dy_window');
    const theirs = await request(t.http).get('/api/housing/units/export').set(dy).buffer(true).parse(binary).expect(200);
    expect(rowsOf((await workbookOf(theirs.body)).getWorksheet('房源')!)).toHaveLength(1);
  });

  it('reads the exported workbook back as an import (dry run): only the asset numbers collide', async () => {
    const res = await request(t.http).get('/api/housing/units/export?q=IMP-GBK').set(cd).buffer(true).parse(binary).expect(200);
    const check = await upload(res.body, 'export.xlsx', '?dryRun=true').expect(422);
    const fields = new Set(check.body.details.errors.map((e: { field: string }) => e.field));
    expect([...fields].sort()).toEqual(['assetNo', 'roomNo']);
    expect(check.body.details.errors).toHaveLength(6);
  });
});
