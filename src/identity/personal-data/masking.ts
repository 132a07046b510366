/**
 * Masked forms shown by default (PIPL; research/domain.md P6). Unmasking is a separate, audited
 * request (PersonalDataService.reveal).
 *   ID number   510104********1234   first 6 (region) and last 4
 *   phone       138****5678          first 3 and last 4
 *   name        张*  欧*明  欧**明    first character, and the last when 3 or more
 *   address     四川省成都市****      first 6 characters
 *   bank acct   ****1234             last 4 only
 *   facts       ***                  income, assets, 低保/优抚 status sealed as JSON (never masked for display: decrypted for use)
 */
export type PersonalField = 'name' | 'idNumber' | 'phone' | 'address' | 'bankAccount' | 'facts';

export const PERSONAL_FIELDS: readonly PersonalField[] = ['name', 'idNumber', 'phone', 'address', 'bankAccount'];

const stars = (n: number) => '*'.repeat(Math.max(n, 0));

export function maskIdNumber(id: string): string {
  if (id.length <= 10) return stars(id.length);
  return id.slice(0, 6) + stars(id.length - 10) + id.slice(-4);
}

export function maskPhone(phone: string): string {
  const p = phone.replace(/\s+/g, '');
  if (p.length <= 7) return stars(p.length - 2) + p.slice(-2);
  return p.slice(0, 3) + stars(p.length - 7) + p.slice(-4);
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return chars[0] + '*';
  return chars[0] + stars(chars.length - 2) + chars[chars.length - 1];
}

export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  return chars.length <= 6 ? stars(chars.length) : chars.slice(0, 6).join('') + '****';
}

export function maskBankAccount(account: string): string {
  const digits = account.replace(/\s+/g, '');
  return '****' + digits.slice(-4);
}

export function mask(field: PersonalField, value: string): string {
  switch (field) {
    case 'name':
      return maskName(value);
    case 'idNumber':
      return maskIdNumber(value);
    case 'phone':
      return maskPhone(value);
    case 'address':
      return maskAddress(value);
    case 'bankAccount':
      return maskBankAccount(value);
    case 'facts':
      // sensitive household facts (income, assets, 低保/优抚 status) sealed as one JSON value: never shown whole
      return '***';
  }
}
