import { AdjustableClock } from '../../common';
import { loadConfig } from '../../config';
import { LoginRateLimiter } from './login-rate-limiter';

describe('LoginRateLimiter', () => {
  it('allows the configured attempts per address per minute, then 429 until the window ends', () => {
    const clock = new AdjustableClock();
    clock.set(new Date('2025-03-01T08:00:00Z'));
    const limiter = new LoginRateLimiter(loadConfig({ ANJU_LOGIN_RATE_PER_MINUTE: '3' }), clock);
    for (let i = 0; i < 3; i++) limiter.hit('10.0.0.1');
    let error: unknown;
    try {
      limiter.hit('10.0.0.1');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', code: 'TOO_MANY_ATTEMPTS', details: { retryAfterSeconds: 60 } });
    limiter.hit('10.0.0.2'); // another address is not affected
    clock.advance(60000);
    expect(() => limiter.hit('10.0.0.1')).not.toThrow();
  });
});
