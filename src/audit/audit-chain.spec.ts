import { createHash } from 'node:crypto';
import { AuditRecord, ChainVerifier, GENESIS, HASH_ALG, canonical, normalize, seal } from './audit-chain';

function chain(n: number): AuditRecord[] {
  const rows: AuditRecord[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const prevHash = rows.length ? rows[rows.length - 1].hash : GENESIS;
    const entry = normalize({ action: `POST /api/things`, result: 'success', userId: null, username: `user${seq}`, fields: seq === 2 ? ['phone'] : [] });
    rows.push(seal({ ...entry, seq, at: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)), hashAlg: HASH_ALG, prevHash }));
  }
  return rows;
}

function verify(rows: AuditRecord[]) {
  const v = new ChainVerifier();
  for (const row of rows) {
    const broken = v.check(row);
    if (broken) return { broken, checked: v.checked };
  }
  return { broken: null, checked: v.checked, head: v.headHash };
}

describe('audit hash chain', () => {
  it('uses SM3 through Node crypto here (SHA-256 only where a build lacks it)', () => {
    expect(HASH_ALG).toBe('sm3');
    const r = chain(1)[0];
    expect(r.hash).toBe(createHash('sm3').update(canonical(r)).digest('hex'));
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts an intact chain and reports its head', () => {
    const rows = chain(5);
    expect(verify(rows)).toEqual({ broken: null, checked: 5, head: rows[4].hash });
  });

  it('covers the previous hash: the same content after another row hashes differently', () => {
    const rows = chain(3);
    const again = seal({ ...rows[2], prevHash: rows[0].hash });
    expect(again.hash).not.toBe(rows[2].hash);
  });

  it('finds a changed field at that row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], result: 'failure' };
    expect(verify(rows).broken).toMatchObject({ seq: 3, reason: 'HASH_MISMATCH' });
  });

  it('finds a changed field even when the row was re-hashed, at the next row', () => {
    const rows = chain(5);
    rows[2] = seal({ ...rows[2], username: 'someone else' });
    expect(verify(rows).broken).toMatchObject({ seq: 4, reason: 'LINK_BROKEN' });
  });

  it('finds a removed row (a gap in the sequence) and a removed first row', () => {
    const rows = chain(5);
    expect(verify([...rows.slice(0, 2), ...rows.slice(3)]).broken).toMatchObject({ seq: 4, reason: 'SEQUENCE_GAP' });
    expect(verify(rows.slice(1)).broken).toMatchObject({ seq: 2, reason: 'SEQUENCE_GAP' });
  });

  it('finds rows renumbered to hide a removal', () => {
    const rows = chain(5);
    const renumbered = [...rows.slice(0, 2), ...rows.slice(3).map((r) => ({ ...r, seq: r.seq - 1 }))];
    expect(verify(renumbered).broken).toMatchObject({ seq: 3, reason: 'LINK_BROKEN' });
  });

  it('hashes the time to the millisecond and the fields list', () => {
    const [r] = chain(1);
    expect(seal({ ...r, at: new Date(r.at.getTime() + 1) }).hash).not.toBe(r.hash);
    expect(seal({ ...r, fields: ['idNumber'] }).hash).not.toBe(r.hash);
  });
});
