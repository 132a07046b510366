import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const dev = (label: string) => createHash('sha256').update(`anju development only, never production: ${label}`).digest();

/**
 * Identity's personal-data envelope and blind index (src/identity/personal-data/personal-data.cipher.ts)
 * as they were when the migrations that seal stored rows (1764500000010, 1764500000011) were written,
 * frozen here because a migration never imports application code:
 *   sm4.<key id>.<iv>.<ciphertext>.<HMAC-SM3>   or   gcm.<key id>.<iv>.<ciphertext>.<tag>
 * with the field name bound in and keys derived by HKDF from ANJU_PII_KEYS (newest first); the
 * blind index is HMAC-SM3 under ANJU_BLIND_INDEX_KEY over `<field>:<value>`. Built only when there
 * are rows to move; the development keys stand in exactly where the application allows them (no
 * DATABASE_URL, or ANJU_TEST_CLOCK on). `what` names the rows in the error when keys are missing.
 */
export class SealedValues {
  private readonly keys = new Map<string, { sm4: Buffer; mac: Buffer; aes: Buffer }>();
  private readonly activeId: string;
  private readonly gcm: boolean;
  private readonly indexKey: Buffer | null;

  constructor(
    private readonly field: string,
    what: string,
    options: { blindIndex?: boolean } = {},
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const raw = env.ANJU_PII_KEYS?.trim();
    const rawIndex = env.ANJU_BLIND_INDEX_KEY?.trim();
    const devAllowed = !env.DATABASE_URL?.trim() || ['1', 'true', 'yes', 'on'].includes((env.ANJU_TEST_CLOCK ?? '').trim().toLowerCase());
    if (!raw && !devAllowed) throw new Error(`ANJU_PII_KEYS must be set to seal the ${what} already stored`);
    if (options.blindIndex && !rawIndex && !devAllowed) throw new Error(`ANJU_BLIND_INDEX_KEY must be set to index the ${what} already stored`);
    const material = raw
      ? raw.split(',').map((part) => {
          const m = /^\s*([A-Za-z0-9_-]{1,16}):(\S+)\s*$/.exec(part);
          const key = m ? Buffer.from(m[2], 'base64') : Buffer.alloc(0);
          if (!m || key.length !== 32) throw new Error('ANJU_PII_KEYS: id:base64 pairs of 32 bytes, comma-separated');
          return { id: m[1], key };
        })
      : [{ id: 'dev', key: dev('pii') }];
    for (const { id, key } of material) {
      const derive = (digest: string, info: string, len: number) => Buffer.from(hkdfSync(digest, key, Buffer.alloc(0), info, len));
      this.keys.set(id, { sm4: derive('sm3', 'anju/personal-data/sm4-cbc', 16), mac: derive('sm3', 'anju/personal-data/hmac-sm3', 32), aes: derive('sha256', 'anju/personal-data/aes-256-gcm', 32) });
    }
    this.activeId = material[0].id;
    this.gcm = (env.ANJU_PII_CIPHER ?? 'sm4').trim() === 'aes-256-gcm';
    if (!options.blindIndex) {
      this.indexKey = null;
      return;
    }
    const index = rawIndex && /^[A-Za-z0-9+/_-]+={0,2}$/.test(rawIndex) ? Buffer.from(rawIndex, 'base64') : rawIndex ? Buffer.alloc(0) : dev('blind-index');
    if (index.length !== 32) throw new Error('ANJU_BLIND_INDEX_KEY: base64 of exactly 32 bytes');
    this.indexKey = index;
  }

  seal(value: unknown): string {
    const k = this.keys.get(this.activeId)!;
    const data = Buffer.from(JSON.stringify(value), 'utf8');
    if (this.gcm) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k.aes, iv);
      c.setAAD(Buffer.from(this.field));
      const ct = Buffer.concat([c.update(data), c.final()]);
      return ['gcm', this.activeId, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
    }
    const iv = randomBytes(16);
    const c = createCipheriv('sm4-cbc', k.sm4, iv);
    const head = ['sm4', this.activeId, iv.toString('base64url'), Buffer.concat([c.update(data), c.final()]).toString('base64url')].join('.');
    return `${head}.${createHmac('sm3', k.mac).update(`${this.field}|${head}`, 'utf8').digest().toString('base64url')}`;
  }

  open<T>(envelope: string): T {
    const [alg, kid, iv, ct, tag] = envelope.split('.');
    const k = this.keys.get(kid);
    if (!k || !tag) throw new Error(`cannot open a sealed value: ${k ? 'malformed' : `unknown key id ${kid}`}`);
    const b = (s: string) => Buffer.from(s, 'base64url');
    let clear: Buffer;
    if (alg === 'gcm') {
      const d = createDecipheriv('aes-256-gcm', k.aes, b(iv));
      d.setAAD(Buffer.from(this.field));
      d.setAuthTag(b(tag));
      clear = Buffer.concat([d.update(b(ct)), d.final()]);
    } else {
      const expected = createHmac('sm3', k.mac).update(`${this.field}|${[alg, kid, iv, ct].join('.')}`, 'utf8').digest();
      if (b(tag).length !== expected.length || !timingSafeEqual(b(tag), expected)) throw new Error('cannot open a sealed value: authentication failed');
      const d = createDecipheriv('sm4-cbc', k.sm4, b(iv));
      clear = Buffer.concat([d.update(b(ct)), d.final()]);
    }
    return JSON.parse(clear.toString('utf8')) as T;
  }

  /** The blind index of a value under this field (`<field>:<value>`, trimmed, NFC), as the application computes it. */
  index(value: string): string {
    if (!this.indexKey) throw new Error('no blind-index key: construct with { blindIndex: true }');
    return createHmac('sm3', this.indexKey).update(`${this.field}:${value.trim().normalize('NFC')}`, 'utf8').digest('hex');
  }
}
