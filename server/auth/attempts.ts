/**
 * One limit for every way of presenting a secret: sign-in, HTTP Basic and bearer tokens. Each wrong
 * password or token counts against its key (address + username; address alone for tokens); a key
 * that reached the limit within its window is locked until the window ends, and while it is locked
 * even the right password is refused (otherwise the lock only slows an attacker that guesses right).
 *
 * Counters live in the process's memory: with several server processes each keeps its own, so the
 * effective limit is the limit times the number of servers.
 */
import { HttpProblem } from '../http/problem.js';

export interface Clock {
  now(): number;
}

interface Entry {
  windowStart: number;
  failures: number;
  /** Attempts being checked right now: they count, so a burst in parallel meets the limit too. */
  pending: number;
}

/** Most keys remembered at once; beyond that the oldest windows are dropped first. */
const MAX_KEYS = 50_000;

export class AttemptLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly maxFailures: number,
    readonly windowMs = 60_000,
    private readonly clock: Clock = Date,
  ) {}

  /** Throws 429 when any of the keys is locked. */
  check(keys: AttemptKey[]): void {
    const now = this.clock.now();
    for (const { key, weight } of keys) {
      const e = this.live(key, now);
      if (e && e.failures + e.pending >= this.maxFailures * weight) {
        const retryAfter = Math.max(1, Math.ceil((e.windowStart + this.windowMs - now) / 1000));
        throw new HttpProblem(429, `登录尝试过多，请 ${retryAfter} 秒后再试 / Too many wrong passwords or tokens; try again in ${retryAfter} s`, {
          type: 'urn:problem:too-many-attempts',
          title: 'Too Many Requests',
          extra: { retryAfter },
        });
      }
    }
  }

  /** Checks the keys (429 when locked) and counts an attempt in progress against each. */
  begin(keys: AttemptKey[], check = true): void {
    if (check) this.check(keys);
    const now = this.clock.now();
    for (const { key } of keys) {
      const e = this.live(key, now);
      if (e) e.pending += 1;
      else {
        if (this.entries.size >= MAX_KEYS) this.prune(now);
        this.entries.set(key, { windowStart: now, failures: 0, pending: 1 });
      }
    }
  }

  /** Counts a wrong password or token that was not announced with begin(). */
  fail(keys: AttemptKey[]): void {
    this.begin(keys, false);
    this.end(keys, false);
  }

  /** Ends an attempt from begin(): a wrong password or token stays counted for the rest of the window. */
  end(keys: AttemptKey[], ok: boolean): void {
    for (const { key } of keys) {
      const e = this.entries.get(key);
      if (!e) continue;
      if (e.pending > 0) e.pending -= 1;
      if (!ok) e.failures += 1;
    }
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.pending === 0 && now - e.windowStart >= this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private prune(now: number): void {
    for (const [key, e] of this.entries) if (e.pending === 0 && now - e.windowStart >= this.windowMs) this.entries.delete(key);
    // Still full: drop the oldest (a Map iterates in insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < MAX_KEYS) break;
      this.entries.delete(key);
    }
  }
}

/** A counter and how many times the limit it allows. */
export interface AttemptKey {
  key: string;
  weight: number;
}

/** Wrong attempts from one address over all usernames (password spraying) allowed per limit of one username. */
export const ADDRESS_WEIGHT = 5;

/**
 * The keys an attempt counts against: the address with the username (the limit), and the address
 * alone (ADDRESS_WEIGHT times the limit, against spraying many names). A token has no username:
 * its address alone, at the limit.
 */
export function attemptKeys(ip: string, username?: string): AttemptKey[] {
  if (username === undefined) return [{ key: `token|${ip}`, weight: 1 }];
  return [
    { key: `user|${ip}|${username.toLowerCase()}`, weight: 1 },
    { key: `ip|${ip}`, weight: ADDRESS_WEIGHT },
  ];
}
