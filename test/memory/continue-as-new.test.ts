/**
 * Every conformance case again, in memory, with each instance continuing as new whenever the
 * workflow could (waiting, with no job or called instance in flight): a fresh Interpreter resumes
 * from a JSON copy of the engine state. The cases must come out exactly the same, which shows that
 * the snapshot carries everything the interpreter needs across continue-as-new.
 */
import { describe, expect, it } from 'vitest';
import { conformanceJobHandlers, loadCases, runCase } from '../support/conformance.js';
import { memoryDriver } from '../support/memory/conformance-driver.js';
import { MemoryEngine } from '../support/memory/engine.js';

const cases = loadCases();

describe('BPMN conformance in memory, continuing as new at every wait', () => {
  for (const { name, spec } of cases) {
    it(`${name}: ${spec.title}`, async () => {
      const mem = new MemoryEngine({ jobHandlers: conformanceJobHandlers(), continueAsNew: true });
      await runCase(memoryDriver(mem), name, spec);
    });
  }
  it('does continue as new: a user task and a timer are each a wait', async () => {
    const { name, spec } = cases.find((c) => c.name.startsWith('48-'))!;
    const mem = new MemoryEngine({ jobHandlers: conformanceJobHandlers(), continueAsNew: true });
    await runCase(memoryDriver(mem), name, spec);
    expect(mem.continuedAsNew(mem.instances()[0]!.processInstanceKey)).toBeGreaterThanOrEqual(3);
  });
});
