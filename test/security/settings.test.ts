/** The security variables are checked at start-up like every other one: one line naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('security settings', () => {
  it('have documented defaults', () => {
    expect(loadConfig({}).security).toEqual({ trustProxy: false, credentialAttempts: 10, apiTokenDays: 90, apiTokenMaxDays: 365, messageTtlMaxMs: 3_600_000 });
  });

  it('read TRUST_PROXY as a switch, a hop count or a list of proxies', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).security.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).security.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).security.trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16']);
  });

  it('refuse a wrong value with one line naming the variable', () => {
    expect(problems({ TRUST_PROXY: 'yes please' })).toEqual([expect.stringMatching(/TRUST_PROXY="yes please" is not valid; expected true, false/)]);
    expect(problems({ MESSAGE_TTL_MAX_MS: '0' })).toEqual([expect.stringMatching(/MESSAGE_TTL_MAX_MS="0" is out of range/)]);
    expect(problems({ API_TOKEN_DAYS: '400' })).toEqual([expect.stringMatching(/API_TOKEN_DAYS=400 is larger than API_TOKEN_MAX_DAYS=365/)]);
  });
});
