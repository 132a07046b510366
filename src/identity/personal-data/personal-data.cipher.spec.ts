import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from './personal-data.cipher';

const k1 = { id: 'k1', material: randomBytes(32) };
const k2 = { id: 'k2', material: randomBytes(32) };
const indexKey = randomBytes(32);

describe('PersonalDataCipher', () => {
  it.each(['sm4', 'aes-256-gcm'] as const)('round-trips with %s, naming the cipher and key id', (alg) => {
    const c = new PersonalDataCipher([k1], alg, indexKey);
    const sealed = c.encrypt('idNumber', '510104199001011237');
    expect(sealed.startsWith(alg === 'sm4' ? 'sm4.k1.' : 'gcm.k1.')).toBe(true);
    expect(sealed).not.toContain('510104');
    expect(c.decrypt('idNumber', sealed)).toBe('510104199001011237');
    // a fresh IV every time: equal values do not give equal ciphertexts
    expect(c.encrypt('idNumber', '510104199001011237')).not.toBe(sealed);
    expect(c.decrypt('name', c.encrypt('name', '欧阳明明'))).toBe('欧阳明明');
  });

  it.each(['sm4', 'aes-256-gcm'] as const)('%s refuses an altered value and a value of another field', (alg) => {
    const c = new PersonalDataCipher([k1], alg, indexKey);
    const sealed = c.encrypt('phone', '13812345678');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    parts[3] = ct.toString('base64url');
    expect(() => c.decrypt('phone', parts.join('.'))).toThrow(/cannot decrypt/);
    expect(() => c.decrypt('idNumber', sealed)).toThrow(/cannot decrypt/);
  });

  it('rotates: a new first key encrypts, the old one still decrypts, and rotation candidates are named', () => {
    const before = new PersonalDataCipher([k1], 'sm4', indexKey);
    const old = before.encrypt('phone', '13812345678');
    const after = new PersonalDataCipher([k2, k1], 'sm4', indexKey);
    expect(after.decrypt('phone', old)).toBe('13812345678');
    expect(after.needsRotation(old)).toBe(true);
    const fresh = after.encrypt('phone', '13812345678');
    expect(fresh.startsWith('sm4.k2.')).toBe(true);
    expect(after.needsRotation(fresh)).toBe(false);
    expect(() => new PersonalDataCipher([k2], 'sm4', indexKey).decrypt('phone', old)).toThrow(/unknown key id k1/);
  });

  it('indexes normalised values under its own key, independent of the encryption key', () => {
    const a = new PersonalDataCipher([k1], 'sm4', indexKey);
    const b = new PersonalDataCipher([k2], 'aes-256-gcm', indexKey);
    expect(a.blindIndex('phone', '+86 138 1234 5678')).toBe(b.blindIndex('phone', '13812345678'));
    expect(a.blindIndex('idNumber', '11010519491231002x')).toBe(a.blindIndex('idNumber', '11010519491231002X'));
    expect(a.blindIndex('phone', '13812345678')).not.toBe(a.blindIndex('idNumber', '13812345678'));
    expect(new PersonalDataCipher([k1], 'sm4', randomBytes(32)).blindIndex('phone', '13812345678')).not.toBe(a.blindIndex('phone', '13812345678'));
    expect(a.blindIndex('phone', '13812345678')).toMatch(/^[0-9a-f]{64}$/);
  });
});
