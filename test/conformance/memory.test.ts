/**
 * The conformance suite in memory: every case in cases/ runs through the real interpreter hosted by
 * test/support/memory (no Temporal, no PostgreSQL, a fake clock), with the same expectations and the
 * same checking code (test/support/conformance.ts) as the real-stack run in run.test.ts. Each case
 * gets an engine of its own. Timers do not take real time: waits move the clock to the next due
 * timer, within the same limits the real harness waits in real time.
 */
import { describe, expect, it } from 'vitest';
import { conformanceJobHandlers, loadCases, runCase } from '../support/conformance.js';
import { memoryDriver } from '../support/memory/conformance-driver.js';
import { MemoryEngine } from '../support/memory/engine.js';

const cases = loadCases();

describe('BPMN conformance (in memory)', () => {
  it('runs every case of the real-stack suite', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });
  for (const { name, spec } of cases) {
    it(`${name}: ${spec.title}`, () => runCase(memoryDriver(new MemoryEngine({ jobHandlers: conformanceJobHandlers() })), name, spec));
  }
});
