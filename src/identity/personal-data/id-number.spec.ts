import { checkCharacter, idNumberProblems } from './id-number';

// fictitious numbers: region 510104 (锦江区), born 1990-01-01, sequence 123
const first17 = '51010419900101123';
const valid = first17 + checkCharacter(first17);

describe('ID numbers (GB 11643)', () => {
  it('computes the check character over the first 17 digits', () => {
    // the standard's own example: 11010519491231002X
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(idNumberProblems('11010519491231002X')).toEqual([]);
    expect(idNumberProblems('11010519491231002x')).toEqual([]);
  });

  it('accepts a well-formed number', () => {
    expect(idNumberProblems(valid, new Date('2025-01-01'))).toEqual([]);
  });

  it('names each problem', () => {
    const wrongCheck = first17 + (valid[17] === '0' ? '1' : '0');
    expect(idNumberProblems(wrongCheck)).toEqual(['has a wrong check digit (GB 11643)']);
    expect(idNumberProblems('5101041990010112')).toEqual(['must be 17 digits followed by a digit or X (18 characters)']);
    expect(idNumberProblems(12345)).toEqual(['must be a string of 18 characters']);
    const feb30 = '51010419900230123';
    expect(idNumberProblems(feb30 + checkCharacter(feb30))).toEqual(['holds the birth date 19900230, which is not a valid date']);
    const future = '51010420990101123';
    expect(idNumberProblems(future + checkCharacter(future), new Date('2025-01-01'))).toEqual(['holds the birth date 20990101, which is in the future']);
    const province = '99010419900101123';
    expect(idNumberProblems(province + checkCharacter(province))).toEqual(['starts with 99, which is not a province code']);
  });

  it('accepts numbers issued under county codes that no longer exist', () => {
    const pixian = '51012419800101123'; // 郫县, now 郫都区 510117
    expect(idNumberProblems(pixian + checkCharacter(pixian))).toEqual([]);
  });
});
