import { mapHeaders } from './import-report';
import { decodeText } from './sheet-reader';
import { columnOfHeader } from './unit-columns';
import { RawUnitRow, parseArea, parseLayout, parseYesNo, validateUnitRow } from './unit-row';

const good: RawUnitRow = {
  projectCode: 'WH-CQ',
  building: '1栋',
  entrance: '2',
  floor: '12',
  roomNo: '1203',
  housingType: '公租房(政府投资)',
  layout: '两室一厅',
  buildingArea: '58.60',
  usableArea: '45.2',
  hasElevator: '是',
  accessible: '',
  assetNo: 'CD-WH-0001',
  status: '',
  regionCode: '',
};

describe('unit import: one row on its own', () => {
  it('turns a good row into a unit, with defaults for the optional cells', () => {
    expect(validateUnitRow(good)).toEqual({
      unit: {
        projectCode: 'WH-CQ',
        building: '1栋',
        entrance: '2',
        floor: 12,
        roomNo: '1203',
        housingType: 'prh_government',
        layout: 'two_bedroom',
        buildingArea: 58.6,
        usableArea: 45.2,
        hasElevator: true,
        accessible: false,
        assetNo: 'CD-WH-0001',
        status: 'vacant',
        regionCode: null,
      },
      problems: [],
    });
  });

  it('accepts codes, labels and the usual wordings', () => {
    const row = validateUnitRow({ ...good, housingType: 'arh', layout: 'one_bedroom', hasElevator: 'N', accessible: '有', status: '已出租', floor: '3层', buildingArea: '40㎡', usableArea: '31.5' });
    expect(row.unit).toMatchObject({ housingType: 'arh', layout: 'one_bedroom', hasElevator: false, accessible: true, status: 'leased', floor: 3, buildingArea: 40 });
    expect(validateUnitRow({ ...good, housingType: '保租房' }).unit?.housingType).toBe('arh');
    expect(validateUnitRow({ ...good, housingType: '公租房（企业自建）' }).unit?.housingType).toBe('prh_enterprise');
  });

  it('names every bad cell with a reason in Chinese and English', () => {
    const { unit, problems } = validateUnitRow({
      ...good,
      projectCode: '',
      floor: '0',
      housingType: '商品房',
      buildingArea: '-5',
      hasElevator: '也许',
      assetNo: '资产一号',
      status: '已处置',
      regionCode: '5101',
    });
    expect(unit).toBeNull();
    expect(problems.map((p) => p.field)).toEqual(['projectCode', 'floor', 'housingType', 'buildingArea', 'hasElevator', 'assetNo', 'status', 'regionCode']);
    expect(problems[0]).toEqual({ field: 'projectCode', value: '', zh: '必填，不能为空', en: 'is required' });
    expect(problems.find((p) => p.field === 'buildingArea')).toMatchObject({ value: '-5', zh: expect.stringContaining('建筑面积须大于 0'), en: expect.stringContaining('more than 0') });
    expect(problems.find((p) => p.field === 'status')?.en).toContain('must be one of vacant, allocated, leased');
  });

  it('refuses a usable area above the building area, and a sold unit that is not shared ownership', () => {
    expect(validateUnitRow({ ...good, usableArea: '60' }).problems).toEqual([
      { field: 'usableArea', value: '60', zh: '使用面积不能大于建筑面积', en: 'must not exceed the building area' },
    ]);
    expect(validateUnitRow({ ...good, status: '已售' }).problems.map((p) => p.en)).toEqual(['only shared-ownership units can be sold']);
    expect(validateUnitRow({ ...good, status: '已售', housingType: '共有产权住房', layout: '三室两厅' }).unit).toMatchObject({ status: 'sold', layout: 'three_bedroom' });
  });

  it('reads layouts, yes/no and areas', () => {
    expect(['单间', '一室', '1室1厅', '二室一厅', '两室两厅一卫', '3室', '四室两厅', '5房'].map(parseLayout)).toEqual([
      'studio',
      'studio',
      'one_bedroom',
      'two_bedroom',
      'two_bedroom',
      'three_bedroom',
      'four_bedroom',
      'four_bedroom',
    ]);
    expect(parseLayout('阁楼')).toBeNull();
    expect(['是', 'Yes', '1', '否', 'no', '无', '?'].map(parseYesNo)).toEqual([true, true, true, false, false, false, null]);
    expect(['55', '55.5', '55.55', '55.555', '1e2', '', '55 平方米'].map(parseArea)).toEqual([55, 55.5, 55.55, null, null, null, 55]);
  });
});

describe('unit import: headers', () => {
  it('matches Chinese or English headers, whatever the spacing, brackets and unit', () => {
    expect(columnOfHeader(' 建筑面积（平方米） ')?.key).toBe('buildingArea');
    expect(columnOfHeader('Building Area (m2)')?.key).toBe('buildingArea');
    expect(columnOfHeader('资产 编号')?.key).toBe('assetNo');
    expect(columnOfHeader('备注')).toBeUndefined();
  });

  it('reports missing and duplicated columns at row 1, and ignores unknown ones', () => {
    const { index, problems, ignored } = mapHeaders(['项目编号', '楼栋号', '楼层', '房号', '房源类型', '户型', '建筑面积', '使用面积', '电梯', '备注', '楼层']);
    expect(index.get('floor')).toBe(2);
    expect(ignored).toEqual(['备注']);
    expect(problems).toEqual([
      { row: 1, column: '楼层', field: 'floor', value: '楼层', problem: '列“楼层”出现了两次', problemEn: 'the column Floor appears twice' },
      { row: 1, column: '资产编号', field: 'assetNo', value: '', problem: '缺少必填列“资产编号”', problemEn: 'the required column Asset number is missing' },
    ]);
  });
});

describe('CSV text', () => {
  it('is read as UTF-8 with or without BOM, else as GB 18030 (Excel in Chinese)', () => {
    expect(decodeText(Buffer.from('\ufeff项目编号,楼栋号', 'utf8'))).toBe('项目编号,楼栋号');
    // 项目编号 in GBK
    expect(decodeText(Buffer.from([0xcf, 0xee, 0xc4, 0xbf, 0xb1, 0xe0, 0xba, 0xc5]))).toBe('项目编号');
  });
});
