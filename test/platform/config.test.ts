import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { cleanEnv, runProduct } from '../support/product.js';

function problemOf(env: Record<string, string>, role: 'all' | 'server' | 'worker' = 'all'): string {
  try {
    loadConfig(env, role);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.pgPort).toBe(5432);
    expect(c.temporal).toMatchObject({ namespace: 'default', taskQueue: 'bpmn', port: 7233, uiPort: 8233 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.logLevel).toBe('info');
  });

  it('treats empty values as unset and normalises the log level', () => {
    const c = loadConfig({ PORT: '', LOG_LEVEL: 'DEBUG', TEMPORAL_ADDRESS: 'temporal.internal:7233' });
    expect(c.port).toBe(3000);
    expect(c.logLevel).toBe('debug');
    expect(c.temporal.address).toBe('temporal.internal:7233');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc" is not a valid port; expected an integer 1-65535'],
    [{ PG_PORT: '0' }, 'PG_PORT="0" is not a valid port; expected an integer 1-65535'],
    [{ TEMPORAL_UI_PORT: '65536' }, 'TEMPORAL_UI_PORT="65536" is not a valid port'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL="mysql://db/x" is not a PostgreSQL URL; expected postgres://'],
    [{ TEMPORAL_ADDRESS: 'http://x' }, 'TEMPORAL_ADDRESS="http://x" is not a Temporal address; expected host:port'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud" is not a log level; expected one of fatal, error, warn, info'],
    [{ TEMPORAL_CLI_PATH: '/no/such/temporal' }, 'TEMPORAL_CLI_PATH="/no/such/temporal" is not an executable file'],
    [{ TEMPORAL_TASK_QUEUE: 'has space' }, 'TEMPORAL_TASK_QUEUE="has space" is not valid'],
  ])('rejects %j naming the variable and the expected form', (env, expected) => {
    const message = problemOf(env);
    expect(message).toContain('配置错误 / configuration error: ');
    expect(message).toContain(expected);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('never prints the admin password', () => {
    const message = problemOf({ ADMIN_PASSWORD: 'short' });
    expect(message).toContain('ADMIN_PASSWORD');
    expect(message).not.toContain('short"');
  });

  it('requires external services for the separate server and worker roles', () => {
    expect(problemOf({}, 'server')).toContain('DATABASE_URL is not set; "npm run server" needs external PostgreSQL');
    expect(problemOf({ DATABASE_URL: 'postgres://u:p@h/db' }, 'worker')).toContain('TEMPORAL_ADDRESS is not set');
  });

  it('stops start-up with one clear line and exit code 2', async () => {
    const product = runProduct('all', cleanEnv({ PORT: 'abc' }));
    const { code } = await product.exited;
    expect(code).toBe(2);
    const lines = product.stderr().trim().split('\n');
    expect(lines).toEqual(['配置错误 / configuration error: PORT="abc" is not a valid port; expected an integer 1-65535']);
    expect(product.stdout()).toBe('');
  });

  it('exits 2 when `npm run server` has no DATABASE_URL', async () => {
    const product = runProduct('server', cleanEnv({}));
    const { code } = await product.exited;
    expect(code).toBe(2);
    expect(product.stderr()).toMatch(/DATABASE_URL is not set/);
    expect(product.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
