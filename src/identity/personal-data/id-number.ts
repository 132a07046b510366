import { ValidationOptions, registerDecorator } from 'class-validator';

/**
 * 居民身份证号码 (GB 11643-1999): 6-digit region code of issue, 8-digit birth date, 3-digit
 * sequence (odd = male), 1 check character over the first 17 (ISO 7064 MOD 11-2).
 *
 * The region part is checked at province level only: numbers keep the code of the county that
 * issued them, and decades of renamed and abolished county codes (most not in our regions table,
 * which holds today's tree and a few renames) are still on valid cards. The 15-digit first
 * generation cards expired in 2013 and are refused.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Province-level codes (GB/T 2260), plus 71 Taiwan, 81 Hong Kong, 82 Macao and 83 (居住证 of Taiwan residents). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Upper-cases a trailing x and trims; validation works on this form, and so does the blind index. */
export function normalizeIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

/** What is wrong with an ID number, in words; none = valid. `today` adds the "not in the future" check. */
export function idNumberProblems(raw: unknown, today?: Date): string[] {
  if (typeof raw !== 'string') return ['must be a string of 18 characters'];
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return ['must be 17 digits followed by a digit or X (18 characters)'];
  const problems: string[] = [];
  if (!PROVINCES.has(id.slice(0, 2))) problems.push(`starts with ${id.slice(0, 2)}, which is not a province code`);
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    problems.push(`holds the birth date ${id.slice(6, 14)}, which is not a valid date`);
  } else if (today && birth.getTime() > today.getTime()) {
    problems.push(`holds the birth date ${id.slice(6, 14)}, which is in the future`);
  }
  if (checkCharacter(id) !== id[17]) problems.push('has a wrong check digit (GB 11643)');
  return problems;
}

export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** class-validator: `@IsIdNumber()` on a DTO field gives a 400 VALIDATION_FAILED naming the field. */
export function IsIdNumber(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIdNumber',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => idNumberProblems(value).length === 0,
        defaultMessage: (args) => `${args?.property} ${idNumberProblems(args?.value).join('; ')}`,
      },
    });
}
