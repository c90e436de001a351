/**
 * How a presented password or token becomes a user: HTTP Basic (scrypt-checked once, then
 * remembered briefly, since API clients send it on every call), bearer API tokens, and the one
 * attempt limit shared with sign-in. Remembered credentials are re-checked against the stored user
 * on every use (still active, same password hash), and forgotten when the user changes.
 */
import type pg from 'pg';
import { attemptKeys, AttemptLimiter } from './attempts.js';
import { lookupToken } from './tokens.js';
import { checkPasswordHash, sha256, userIfUnchanged, type AuthUser } from './users.js';

/** How long Basic credentials are remembered after a successful scrypt check. */
const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 1000;

interface Remembered {
  userId: string;
  passwordHash: string;
  until: number;
}

export class Credentials {
  readonly limiter: AttemptLimiter;
  private readonly remembered = new Map<string, Remembered>();
  private readonly inFlight = new Map<string, Promise<Awaited<ReturnType<typeof checkPasswordHash>>>>();

  constructor(
    private readonly db: pg.Pool,
    maxFailures: number,
  ) {
    this.limiter = new AttemptLimiter(maxFailures);
  }

  /** A username and password (sign-in or HTTP Basic): the user, undefined when wrong; 429 while locked. */
  async password(ip: string, username: string, password: string, remember: boolean): Promise<AuthUser | undefined> {
    const keys = attemptKeys(ip, username);
    this.limiter.check(keys);
    const cacheKey = sha256(`${username}:${password}`);
    const hit = remember ? this.remembered.get(cacheKey) : undefined;
    if (hit && hit.until > Date.now()) {
      const user = await userIfUnchanged(this.db, hit.userId, hit.passwordHash);
      if (user) {
        // Re-checked against the stored user on every use, so the memory may slide.
        hit.until = Date.now() + REMEMBER_MS;
        return user;
      }
      this.remembered.delete(cacheKey);
    }
    // Identical credentials in parallel (an API client's burst) share one check and count as one attempt.
    let checking = this.inFlight.get(cacheKey);
    if (!checking) {
      this.limiter.begin(keys);
      checking = checkPasswordHash(this.db, username, password).then(
        (checked) => {
          this.limiter.end(keys, checked !== undefined);
          return checked;
        },
        (err: unknown) => {
          this.limiter.end(keys, true);
          throw err;
        },
      );
      const settled = checking.finally(() => this.inFlight.delete(cacheKey));
      settled.catch(() => undefined);
      this.inFlight.set(cacheKey, checking);
    }
    const checked = await checking;
    if (!checked) return undefined;
    if (remember) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.set(cacheKey, { userId: checked.user.id, passwordHash: checked.passwordHash, until: Date.now() + REMEMBER_MS });
    }
    return checked.user;
  }

  /**
   * A bearer token: its user, undefined when unknown, expired or revoked; 429 while locked. Tokens
   * are 256 random bits, so only wrong ones count (valid tokens in parallel never meet the limit).
   */
  async token(ip: string, token: string): Promise<AuthUser | undefined> {
    const keys = attemptKeys(ip);
    this.limiter.check(keys);
    const user = await lookupToken(this.db, token);
    if (!user) this.limiter.fail(keys);
    return user;
  }

  /** Forgets every remembered password of a user (called on every change of a user). */
  forgetUser(userId: string): void {
    for (const [key, r] of this.remembered) if (r.userId === userId) this.remembered.delete(key);
  }
}
