import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PersonalDataKey, PiiCipher } from '../../config';
import type { PersonalField } from './masking';
import { normalizeIdNumber } from './id-number';

/**
 * Field encryption of personal data, pure. A stored value is one text envelope
 *
 *   sm4.<key id>.<iv>.<ciphertext>.<mac>    SM4-CBC, then HMAC-SM3 over everything before it (国密)
 *   gcm.<key id>.<iv>.<ciphertext>.<tag>    AES-256-GCM
 *
 * (base64url parts). The field name is bound in as associated data, so a phone envelope cannot be
 * passed off as an ID number. The key id says which configured key decrypts it: new values use
 * the first key, older ones keep working while their key stays configured (rotation = put a new
 * key first, re-encrypt at leisure with `needsRotation`, then drop the old key). Cipher keys are
 * derived from each key's material with HKDF, so one configured secret never serves two purposes.
 *
 * The blind index is HMAC-SM3 under its own key over the normalised value: equal values give equal
 * indexes (exact search, uniqueness), and without the key the index reveals nothing.
 */
interface DerivedKeys {
  sm4: Buffer;
  mac: Buffer;
  aes: Buffer;
}

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

export class PersonalDataError extends Error {}

export class PersonalDataCipher {
  private readonly keys = new Map<string, DerivedKeys>();
  private readonly activeId: string;

  constructor(
    keys: readonly PersonalDataKey[],
    private readonly cipher: PiiCipher,
    private readonly indexKey: Buffer,
  ) {
    if (!keys.length) throw new Error('at least one personal-data key is needed');
    for (const k of keys) {
      const derive = (digest: string, info: string, len: number) => Buffer.from(hkdfSync(digest, k.material, Buffer.alloc(0), info, len));
      this.keys.set(k.id, {
        sm4: derive('sm3', 'anju/personal-data/sm4-cbc', 16),
        mac: derive('sm3', 'anju/personal-data/hmac-sm3', 32),
        aes: derive('sha256', 'anju/personal-data/aes-256-gcm', 32),
      });
    }
    this.activeId = keys[0].id;
  }

  encrypt(field: PersonalField, plaintext: string): string {
    const k = this.keys.get(this.activeId)!;
    const data = Buffer.from(plaintext, 'utf8');
    if (this.cipher === 'aes-256-gcm') {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k.aes, iv);
      c.setAAD(Buffer.from(field));
      const ct = Buffer.concat([c.update(data), c.final()]);
      return ['gcm', this.activeId, b64(iv), b64(ct), b64(c.getAuthTag())].join('.');
    }
    const iv = randomBytes(16);
    const c = createCipheriv('sm4-cbc', k.sm4, iv);
    const ct = Buffer.concat([c.update(data), c.final()]);
    const head = ['sm4', this.activeId, b64(iv), b64(ct)].join('.');
    return `${head}.${b64(this.mac(k, field, head))}`;
  }

  decrypt(field: PersonalField, envelope: string): string {
    const [alg, kid, ivText, ctText, tagText, ...rest] = envelope.split('.');
    const k = this.keys.get(kid);
    if (!k || rest.length || !tagText) throw new PersonalDataError(`cannot decrypt: ${k ? 'malformed value' : `unknown key id ${kid}`}`);
    try {
      if (alg === 'gcm') {
        const d = createDecipheriv('aes-256-gcm', k.aes, unb64(ivText));
        d.setAAD(Buffer.from(field));
        d.setAuthTag(unb64(tagText));
        return Buffer.concat([d.update(unb64(ctText)), d.final()]).toString('utf8');
      }
      if (alg === 'sm4') {
        const expected = this.mac(k, field, [alg, kid, ivText, ctText].join('.'));
        const given = unb64(tagText);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new PersonalDataError('authentication failed');
        const d = createDecipheriv('sm4-cbc', k.sm4, unb64(ivText));
        return Buffer.concat([d.update(unb64(ctText)), d.final()]).toString('utf8');
      }
    } catch (e) {
      throw new PersonalDataError(`cannot decrypt: ${(e as Error).message}`);
    }
    throw new PersonalDataError(`cannot decrypt: unknown cipher ${alg}`);
  }

  /** True when the value was sealed with an older key or another cipher than the current ones. */
  needsRotation(envelope: string): boolean {
    const [alg, kid] = envelope.split('.');
    return kid !== this.activeId || alg !== (this.cipher === 'aes-256-gcm' ? 'gcm' : 'sm4');
  }

  blindIndex(field: PersonalField, value: string): string {
    return createHmac('sm3', this.indexKey).update(`${field}:${normalizeForIndex(field, value)}`, 'utf8').digest('hex');
  }

  private mac(k: DerivedKeys, field: PersonalField, head: string): Buffer {
    return createHmac('sm3', k.mac).update(`${field}|${head}`, 'utf8').digest();
  }
}

/** The form a value is indexed under, so that 138 1234 5678 and +8613812345678 match. */
export function normalizeForIndex(field: PersonalField, value: string): string {
  switch (field) {
    case 'idNumber':
      return normalizeIdNumber(value);
    case 'phone': {
      const digits = value.replace(/\D/g, '');
      return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
    }
    case 'bankAccount':
      return value.replace(/\D/g, '');
    default:
      return value.trim().normalize('NFC');
  }
}
