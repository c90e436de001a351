/**
 * The FEEL and multi-instance limits come from the configuration (FEEL_MAX_STEPS …) and reach the
 * instances the server starts: with FEEL_MAX_STEPS=1000, a sum over a loop of 500 (about 1,500 steps) that the default allows is an
 * incident naming the limit, and one over 100 (about 300 steps) still runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { ext, linear } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

const scriptProcess = (id: string, expression: string) =>
  linear(`<bpmn:scriptTask id="calc">${ext(`<zeebe:script expression="=${expression}" resultVariable="r" />`)}</bpmn:scriptTask>`, ['calc']).replace(
    'id="p"',
    `id="${id}"`,
  );

describe('engine limits from the configuration', () => {
  it('are read and checked at start-up', () => {
    expect(loadConfig({}).engineLimits).toEqual({ feelSteps: 10_000, collectionItems: 100_000, stringLength: 1_048_576, multiInstanceCardinality: 10_000 });
    expect(loadConfig({ FEEL_MAX_STEPS: '200', MULTI_INSTANCE_MAX: '50' }).engineLimits).toMatchObject({ feelSteps: 200, multiInstanceCardinality: 50 });
    expect(() => loadConfig({ FEEL_MAX_STEPS: 'lots' })).toThrow(/FEEL_MAX_STEPS/);
  });

  describe('on the real stack', () => {
    let h: EngineHarness;
    beforeAll(async () => {
      h = await startEngineHarness({ env: { FEEL_MAX_STEPS: '1000' } });
    });
    afterAll(() => h?.close());

    it('an instance started through the API works under them', async () => {
      expect((await h.deploy(scriptProcess('loop500', 'sum(for i in 1..500 return i)'), 'loop500.bpmn')).statusCode).toBe(200);
      expect((await h.deploy(scriptProcess('loop100', 'sum(for i in 1..100 return i)'), 'loop100.bpmn')).statusCode).toBe(200);
      const big = await h.start('loop500');
      const small = await h.start('loop100');
      const incident = await h.waitFor(
        'incident of loop500',
        async () => (await h.post('/v2/incidents/search', { filter: { processInstanceKey: big } })).json<{ items: Array<{ errorMessage: string }> }>().items[0],
        30_000,
      );
      expect(incident.errorMessage).toContain('limit feelSteps');
      const done = await h.waitFor(
        'loop100 completed',
        async () => {
          const res = await h.app.inject({ method: 'GET', url: `/v2/process-instances/${small}`, headers: ADMIN_AUTH });
          return res.json<{ state: string }>().state === 'COMPLETED' ? true : undefined;
        },
        30_000,
      );
      expect(done).toBe(true);
    });
  });
});
