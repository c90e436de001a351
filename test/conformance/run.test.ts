/**
 * Conformance suite on the real stack: one tiny diagram per construct (test/conformance/cases/NN-name.bpmn)
 * with a sibling NN-name.json saying how to drive it and what must come out (see
 * test/support/conformance.ts, which also runs them in memory: memory.test.ts). Here everything runs
 * for real: deploy and drive through /v2, the interpreter on a real Temporal server, read models in
 * PostgreSQL.
 *
 * Paths are in activation order. Where several tokens move in the same step (a non-interrupting
 * catch next to the thrower going on, parallel multi-instance subprocesses), the engine runs one
 * token on until it waits before it moves the next, so the path lists them depth-first; Zeebe's
 * FIFO command processing would interleave them. BPMN leaves that order open; the cases that
 * depend on it say so in their title.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerStartWorkflowId } from '../../services/timer-starts.js';
import { conformanceJobHandlers, loadCases, runCase, type ConformanceDriver } from '../support/conformance.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const cases = loadCases();

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ jobHandlers: conformanceJobHandlers() });
});
afterAll(() => h?.close());

interface Deployment {
  deployments: Array<{ processDefinition?: { processDefinitionId: string; processDefinitionKey: string } }>;
}

async function calledInstances(pi: string, processId: string) {
  const res = await h.post('/v2/process-instances/search', { filter: { parentProcessInstanceKey: pi, processDefinitionId: processId } });
  return res.json<{ items: Array<{ processInstanceKey: string; state: string }> }>().items;
}

const stack: ConformanceDriver = {
  async deploy(fileName, xml) {
    const res = await h.deploy(xml, fileName);
    expect(res.statusCode, res.body).toBe(200);
    const defs = res.json<Deployment>().deployments.flatMap((d) => (d.processDefinition ? [d.processDefinition] : []));
    return new Map(defs.map((d) => [d.processDefinitionId, d.processDefinitionKey]));
  },
  start: (processId, variables) => h.start(processId, variables),
  async publish(message) {
    const res = await h.post('/v2/messages/publication', message);
    expect(res.statusCode, res.body).toBe(200);
  },
  async broadcast(signal, waitingInstance) {
    if (waitingInstance) {
      await h.waitFor(`signal subscription ${signal.signalName}`, async () => {
        const { rowCount } = await h.pool.query('SELECT 1 FROM signal_subscription WHERE process_instance_key = $1 AND signal_name = $2', [
          waitingInstance,
          signal.signalName,
        ]);
        return (rowCount ?? 0) > 0;
      });
    }
    const res = await h.post('/v2/signals/broadcast', signal);
    expect(res.statusCode, res.body).toBe(200);
  },
  async awaitTimerStarts(definitionKey, startEventId) {
    const scheduler = h.client.workflow.getHandle(timerStartWorkflowId(definitionKey, startEventId));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the timer start scheduler of ${startEventId} did not finish within 15 s`)), 15_000);
    });
    await Promise.race([scheduler.result(), timeout]).finally(() => clearTimeout(timer));
  },
  instancesOf: (definitionKey, count) =>
    h.waitFor(`${count} instance(s) of ${definitionKey}`, async () => {
      const res = await h.post('/v2/process-instances/search', { filter: { processDefinitionKey: definitionKey } });
      const found = res.json<{ items: Array<{ processInstanceKey: string }> }>().items.map((i) => i.processInstanceKey);
      return found.length >= count && found;
    }),
  async completeTask(pi, elementId, variables) {
    const task = await h.waitForTask(pi, elementId);
    const res = await h.completeTask(task.userTaskKey, variables);
    expect(res.statusCode, res.body).toBe(204);
  },
  async waitForElement(pi, elementId, count) {
    await h.waitFor(`${count} × element ${elementId} active`, async () => {
      const { rowCount } = await h.pool.query(
        `SELECT 1 FROM element_instance WHERE element_id = $2 AND state = 'ACTIVE'
           AND process_instance_key IN (SELECT key FROM process_instance WHERE key = $1 OR parent_process_instance_key = $1)`,
        [pi, elementId],
      );
      return (rowCount ?? 0) >= count;
    });
  },
  incident: (pi, elementId) =>
    h.waitFor(`incident on ${elementId}`, async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, elementId, state: 'ACTIVE' } });
      return res.json<{ items: Array<{ incidentKey: string; errorType: string; errorMessage: string }> }>().items[0];
    }),
  async resolveIncident(incidentKey) {
    const res = await h.post(`/v2/incidents/${incidentKey}/resolution`, {});
    expect(res.statusCode, res.body).toBe(204);
  },
  async cancel(pi) {
    const res = await h.post(`/v2/process-instances/${pi}/cancellation`, {});
    expect(res.statusCode, res.body).toBe(204);
  },
  waitForEnd: async (pi) => void (await h.waitForEnd(pi)),
  calledInstance: (pi, processId) =>
    h.waitFor(`the ${processId} instance called by ${pi}`, async () => (await calledInstances(pi, processId))[0]?.processInstanceKey),
  async calledInstancesIn(pi, processId, state) {
    await h.waitFor(`instances of ${processId} called by ${pi} to be ${state}`, async () => {
      const items = await calledInstances(pi, processId);
      return items.length > 0 && items.every((i) => i.state === state);
    });
  },
  async state(pi) {
    const res = await h.post('/v2/process-instances/search', { filter: { processInstanceKey: pi } });
    return res.json<{ items: Array<{ state: string }> }>().items[0]?.state;
  },
  path: (pi) => h.path(pi),
  variables: (pi) => h.variables(pi),
};

describe('BPMN conformance (real Temporal server)', () => {
  it('has at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });
  for (const { name, spec } of cases) {
    it(`${name}: ${spec.title}`, () => runCase(stack, name, spec));
  }
});
