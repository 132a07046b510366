import { CONTENT_FIELDS, maskedContent, publicName } from './masked-content';

describe('a public notice’s masked content', () => {
  it('shows the surname only, one * per further character', () => {
    expect(publicName('张三')).toBe('张*');
    expect(publicName('王建国')).toBe('王**');
    expect(publicName('欧阳娜娜')).toBe('欧***');
    expect(publicName('李')).toBe('李*');
  });

  it('holds exactly the listed fields, with the ID number masked to its first 6 and last 4', () => {
    const c = maskedContent({ name: '周敏', idNumber: '510104198808088883', householdSize: 1, type: 'prh_in_kind', street: '锦官驿街道' });
    expect(Object.keys(c).sort()).toEqual([...CONTENT_FIELDS].sort());
    expect(c).toEqual({
      name: '周*',
      idNumber: '510104********8883',
      householdSize: 1,
      guaranteeType: 'prh_in_kind',
      guaranteeTypeLabel: { 'zh-CN': '公租房实物配租', en: 'Public rental housing, in kind' },
      street: '锦官驿街道',
    });
    expect(JSON.stringify(c)).not.toContain('周敏');
    expect(JSON.stringify(c)).not.toContain('19880808');
  });
});
