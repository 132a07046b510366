import { passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long password with three character classes', () => {
    expect(passwordProblems('Sichuan-2025', 'jj_window')).toEqual([]);
    expect(passwordProblems('housing 2025 ok!', 'jj_window')).toEqual([]);
  });

  it.each([
    ['Ab1!', 'at least 10 characters'],
    ['alllowercaseletters', 'at least three of'],
    ['ALLUPPER123456', 'at least three of'],
    ['xJJ_Window2025', 'must not contain the username'],
  ])('refuses %s: %s', (password, problem) => {
    expect(passwordProblems(password, 'jj_window').join('; ')).toContain(problem);
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblems('安居工程Ab1!', 'someone')).toEqual(['must have at least 10 characters']);
  });
});
