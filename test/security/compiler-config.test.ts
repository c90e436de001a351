/** The deployment limits are configuration: documented defaults, and a clear line for bad values. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a configuration error');
}

describe('BPMN_* deployment limits', () => {
  it('default to 50,000 elements, a 1 MiB model, a one-minute cycle, 20 s and one compile thread', () => {
    expect(loadConfig({}).deploy).toEqual({
      maxElements: 50_000,
      maxModelBytes: 1_048_576,
      minTimerCycleMs: 60_000,
      compileTimeoutMs: 20_000,
      compileWorkers: 1,
    });
  });

  it('read the minimum cycle as an ISO 8601 duration', () => {
    expect(loadConfig({ BPMN_MIN_TIMER_CYCLE: 'PT30S' }).deploy.minTimerCycleMs).toBe(30_000);
    expect(loadConfig({ BPMN_MIN_TIMER_CYCLE: 'PT1H' }).deploy.minTimerCycleMs).toBe(3_600_000);
  });

  it.each([
    [{ BPMN_MAX_ELEMENTS: '10' }, 'BPMN_MAX_ELEMENTS="10" is not valid; expected an integer from 100 to 1000000'],
    [{ BPMN_MAX_MODEL_BYTES: '3000000' }, 'BPMN_MAX_MODEL_BYTES="3000000" is not valid; expected an integer from 10000 to 2000000'],
    [{ BPMN_MIN_TIMER_CYCLE: '60' }, 'BPMN_MIN_TIMER_CYCLE="60" is not valid; expected an ISO 8601 duration of at least one second'],
    [{ BPMN_MIN_TIMER_CYCLE: 'PT0.5S' }, 'BPMN_MIN_TIMER_CYCLE="PT0.5S" is not valid'],
    [{ BPMN_COMPILE_TIMEOUT_MS: 'soon' }, 'BPMN_COMPILE_TIMEOUT_MS="soon" is not valid; expected an integer from 1000 to 600000'],
    [{ BPMN_COMPILE_WORKERS: '8' }, 'BPMN_COMPILE_WORKERS="8" is not valid; expected an integer from 1 to 4'],
  ])('refuses %j naming the variable and the expected form', (env, expected) => {
    const message = problemOf(env);
    expect(message).toContain(expected);
    expect(message.split('\n')).toHaveLength(1);
  });
});
