/** The attempt limiter on its own, with an injected clock: locks at the limit, counts attempts in flight, unlocks after the window. */
import { describe, expect, it } from 'vitest';
import { AttemptLimiter, attemptKeys } from '../../server/auth/attempts.js';

function limiter(max: number) {
  let now = 1_000_000;
  const l = new AttemptLimiter(max, 60_000, { now: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

const status = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (err) {
    return (err as { status: number }).status;
  }
};

describe('AttemptLimiter', () => {
  it('locks a username at an address after the limit, for the rest of the window', () => {
    const { l, advance } = limiter(3);
    const keys = attemptKeys('10.0.0.1', 'zhang');
    for (let i = 0; i < 3; i++) l.fail(keys);
    expect(status(() => l.check(keys))).toBe(429);
    expect(status(() => l.check(attemptKeys('10.0.0.1', 'li')))).toBe('ok');
    expect(status(() => l.check(attemptKeys('10.0.0.2', 'zhang')))).toBe('ok');
    advance(59_000);
    expect(status(() => l.check(keys))).toBe(429);
    advance(1_000);
    expect(status(() => l.check(keys))).toBe('ok');
  });

  it('counts attempts in flight, so a parallel burst meets the limit; a right one does not count', () => {
    const { l } = limiter(3);
    const keys = attemptKeys('10.0.0.1', 'zhang');
    for (let i = 0; i < 3; i++) l.begin(keys);
    expect(status(() => l.begin(keys))).toBe(429);
    l.end(keys, true);
    expect(status(() => l.check(keys))).toBe('ok');
  });

  it('limits an address over many usernames at five times the limit', () => {
    const { l } = limiter(2);
    for (let i = 0; i < 10; i++) l.fail(attemptKeys('10.0.0.1', `user${i}`));
    expect(status(() => l.check(attemptKeys('10.0.0.1', 'someone-new')))).toBe(429);
  });
});
