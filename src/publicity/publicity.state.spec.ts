import { publicityStatus } from './publicity.state';

describe('publicityStatus', () => {
  const startsAt = new Date('2026-09-30T02:00:00Z');
  const endsAt = new Date('2026-10-15T15:59:59.999Z'); // 2026-10-15 24:00 in Shanghai
  const at = (iso: string) => new Date(iso);

  it('is scheduled before the start, running through the last millisecond of the last day, ended after', () => {
    expect(publicityStatus({ startsAt, endsAt, withdrawnAt: null }, at('2026-09-30T01:59:59Z'))).toBe('scheduled');
    expect(publicityStatus({ startsAt, endsAt, withdrawnAt: null }, startsAt)).toBe('running');
    expect(publicityStatus({ startsAt, endsAt, withdrawnAt: null }, endsAt)).toBe('running');
    expect(publicityStatus({ startsAt, endsAt, withdrawnAt: null }, at('2026-10-15T16:00:00Z'))).toBe('ended');
  });

  it('is withdrawn once withdrawn, whatever the time', () => {
    const withdrawnAt = at('2026-10-01T00:00:00Z');
    expect(publicityStatus({ startsAt, endsAt, withdrawnAt }, at('2026-09-29T00:00:00Z'))).toBe('withdrawn');
    expect(publicityStatus({ startsAt, endsAt, withdrawnAt }, at('2026-10-02T00:00:00Z'))).toBe('withdrawn');
  });
});
