/**
 * Security settings from the environment: proxy trust, credential attempt limits, API token expiry
 * and the message time-to-live cap. server/config.ts merges SECURITY_ENV into its one schema, so a
 * wrong value stops the start with the same one-line message as every other variable.
 */
import { z } from 'zod';

export interface SecurityConfig {
  /** Fastify's trustProxy: false, true, a hop count, or a list of proxy addresses / CIDR ranges. */
  trustProxy: boolean | number | string[];
  /** Wrong passwords or tokens allowed per address and username (per address for tokens) within a minute. */
  credentialAttempts: number;
  /** Days an API token lives when its creator gives no expiry, and the most a creator may ask for. */
  apiTokenDays: number;
  apiTokenMaxDays: number;
  /** Longest time-to-live a published message may ask for, in milliseconds. */
  messageTtlMaxMs: number;
}

export const SECURITY_DEFAULTS = {
  TRUST_PROXY: 'false',
  AUTH_ATTEMPTS_PER_MINUTE: '10',
  API_TOKEN_DAYS: '90',
  API_TOKEN_MAX_DAYS: '365',
  MESSAGE_TTL_MAX_MS: '3600000',
} as const;

const positiveInt = (max: number, expected: string) =>
  z
    .string()
    .regex(/^\d{1,12}$/, { error: `is not valid; expected ${expected}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `is out of range; expected ${expected}` });

const trustProxy = z
  .string()
  .regex(/^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    error: 'is not valid; expected true, false, a number of proxy hops, or a comma-separated list of proxy addresses (CIDR allowed)',
  })
  .transform((s): SecurityConfig['trustProxy'] => {
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (/^\d+$/.test(s)) return Number(s);
    return s.split(',').map((a) => a.trim());
  });

/** The variables, to be spread into server/config.ts's schema. */
export const SECURITY_ENV = {
  TRUST_PROXY: trustProxy,
  AUTH_ATTEMPTS_PER_MINUTE: positiveInt(10_000, 'an integer 1-10000'),
  API_TOKEN_DAYS: positiveInt(36_500, 'a number of days 1-36500'),
  API_TOKEN_MAX_DAYS: positiveInt(36_500, 'a number of days 1-36500'),
  MESSAGE_TTL_MAX_MS: positiveInt(1e12, 'milliseconds 1-1000000000000'),
};

type Parsed = { [K in keyof typeof SECURITY_ENV]: z.output<(typeof SECURITY_ENV)[K]> };

/** Builds the settings from the parsed variables; a problem (as config.ts reports them) when they contradict. */
export function securityConfig(e: Parsed): SecurityConfig | string {
  if (e.API_TOKEN_DAYS > e.API_TOKEN_MAX_DAYS) {
    return `API_TOKEN_DAYS=${e.API_TOKEN_DAYS} is larger than API_TOKEN_MAX_DAYS=${e.API_TOKEN_MAX_DAYS}; expected a default no longer than the maximum`;
  }
  return {
    trustProxy: e.TRUST_PROXY,
    credentialAttempts: e.AUTH_ATTEMPTS_PER_MINUTE,
    apiTokenDays: e.API_TOKEN_DAYS,
    apiTokenMaxDays: e.API_TOKEN_MAX_DAYS,
    messageTtlMaxMs: e.MESSAGE_TTL_MAX_MS,
  };
}
