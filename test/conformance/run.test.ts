/**
 * Conformance suite: one tiny diagram per construct (test/conformance/cases/NN-name.bpmn) with a
 * sibling NN-name.json saying how to drive it and what must come out: the ordered path of element
 * ids (activation order), the final state, root variables (present and absent), incidents and the
 * final state of called instances. Everything runs on the real stack: deploy and drive through
 * /v2, the interpreter on a real Temporal server, read models in PostgreSQL. Called processes live
 * beside their caller as NN-name-child.bpmn (no .json, so they are not cases themselves).
 *
 * Paths are in activation order. Where several tokens move in the same step (a non-interrupting
 * catch next to the thrower going on, parallel multi-instance subprocesses), the engine runs one
 * token on until it waits before it moves the next, so the path lists them depth-first; Zeebe's
 * FIFO command processing would interleave them. BPMN leaves that order open; the cases that
 * depend on it say so in their title.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BpmnError, type JobHandler } from '../../activities/index.js';
import { timerStartWorkflowId } from '../../services/timer-starts.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

const Publish = z.object({
  name: z.string(),
  correlationKey: z.string().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  timeToLive: z.number().optional(),
});
const Broadcast = z.object({ signalName: z.string(), variables: z.record(z.string(), z.unknown()).optional() });

const Action = z.union([
  z.object({ completeTask: z.string(), variables: z.record(z.string(), z.unknown()).optional() }),
  z.object({ publish: Publish }),
  z.object({ broadcast: Broadcast }),
  /**
   * Waits until `count` (default 1) element instances of this element id are active (e.g. before a
   * signal), in the instance or in an instance it called (e.g. a child's user task before cancelling).
   */
  z.object({ waitForElement: z.string(), count: z.number().int().min(1).optional() }),
  z.object({ waitForIncident: z.string() }),
  z.object({ resolveIncident: z.string() }),
  z.object({ cancel: z.literal(true) }),
]);

const Case = z.object({
  title: z.string(),
  processId: z.string().default('p'),
  /** Other resources (file names in cases/) deployed first, e.g. called processes. */
  deployAlso: z.array(z.string()).default([]),
  variables: z.record(z.string(), z.unknown()).default({}),
  /**
   * How the instance under test starts when not by a create call: a published message (message
   * start event), a broadcast signal (signal start event), or the deployment itself (timer start
   * event; `instances` is how many instances its cycle must start). The instance under test is
   * the first one of the deployed definition.
   */
  startBy: z
    .union([
      z.object({ publish: Publish }),
      z.object({ broadcast: Broadcast }),
      z.object({ timer: z.object({ startEventId: z.string(), instances: z.number().int().min(1).default(1) }) }),
    ])
    .optional(),
  actions: z.array(Action).default([]),
  state: z.enum(['COMPLETED', 'TERMINATED', 'ACTIVE']).default('COMPLETED'),
  path: z.array(z.string()),
  expectVariables: z.record(z.string(), z.unknown()).optional(),
  /** Final state of the instances of called processes (by BPMN process id), e.g. terminated with their caller. */
  children: z.record(z.string(), z.enum(['COMPLETED', 'TERMINATED', 'ACTIVE'])).default({}),
  /** Variables that must not exist on the root scope (local variables must not leak). */
  absentVariables: z.array(z.string()).default([]),
  incident: z.object({ elementId: z.string(), errorType: z.string(), messageIncludes: z.string().optional() }).optional(),
  /** An incident expected in the instance of `processId` that this instance called. */
  childIncident: z
    .object({ processId: z.string(), elementId: z.string(), errorType: z.string(), messageIncludes: z.string().optional() })
    .optional(),
});

/** Job handlers every case may use, by task type. */
const attempts = new Map<string, number>();
const jobHandlers: Record<string, JobHandler> = {
  ok: () => ({}),
  /** Sets every task header as a variable (values parsed as JSON when they are JSON). */
  set: ({ headers }) =>
    Object.fromEntries(
      Object.entries(headers).map(([k, v]) => {
        try {
          return [k, JSON.parse(v)];
        } catch {
          return [k, v];
        }
      }),
    ),
  double: ({ variables }) => ({ y: Number(variables.x) * 2 }),
  count: ({ variables }) => ({ count: Number(variables.count ?? 0) + 1 }),
  fail: () => {
    throw new Error('boom: the handler failed');
  },
  'bpmn-error': ({ headers }) => {
    throw new BpmnError(headers.code ?? 'E1', `business error ${headers.code ?? 'E1'}`);
  },
  /** Fails on its first attempt for each element instance; the retry after resolution succeeds. */
  'fail-once': ({ elementInstanceKey }) => {
    const n = (attempts.get(elementInstanceKey) ?? 0) + 1;
    attempts.set(elementInstanceKey, n);
    if (n === 1) throw new Error('first attempt fails');
    return { recovered: true };
  },
};

const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ''), spec: Case.parse(JSON.parse(readFileSync(path.join(CASES_DIR, f), 'utf8'))) }));

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ jobHandlers });
});
afterAll(() => h?.close());

async function incidentOf(pi: string, elementId: string) {
  return h.waitFor(`incident on ${elementId}`, async () => {
    const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, elementId, state: 'ACTIVE' } });
    return res.json<{ items: Array<{ incidentKey: string; errorType: string; errorMessage: string }> }>().items[0];
  });
}

interface Deployment {
  deployments: Array<{ processDefinition: { processDefinitionId: string; processDefinitionKey: string } }>;
}

async function instancesOf(processDefinitionKey: string): Promise<string[]> {
  const res = await h.post('/v2/process-instances/search', { filter: { processDefinitionKey } });
  return res.json<{ items: Array<{ processInstanceKey: string }> }>().items.map((i) => i.processInstanceKey);
}

/** Starts the instance under test by message, signal or timer; returns the first instance of the deployed definition. */
async function startBy(how: NonNullable<z.infer<typeof Case>['startBy']>, dep: Deployment, processId: string): Promise<string> {
  const def = dep.deployments.find((d) => d.processDefinition.processDefinitionId === processId)?.processDefinition;
  if (!def) throw new Error(`the deployment has no process '${processId}'`);
  let instances = 1;
  if ('publish' in how) {
    const res = await h.post('/v2/messages/publication', how.publish);
    expect(res.statusCode, res.body).toBe(200);
  } else if ('broadcast' in how) {
    const res = await h.post('/v2/signals/broadcast', how.broadcast);
    expect(res.statusCode, res.body).toBe(200);
  } else {
    instances = how.timer.instances;
    // The scheduler of a cycle ends after its last repetition: then exactly that many instances exist.
    const scheduler = h.client.workflow.getHandle(timerStartWorkflowId(def.processDefinitionKey, how.timer.startEventId));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the timer start scheduler of ${processId} did not finish within 15 s`)), 15_000);
    });
    await Promise.race([scheduler.result(), timeout]).finally(() => clearTimeout(timer));
  }
  const keys = await h.waitFor(`${instances} instance(s) of ${processId}`, async () => {
    const found = await instancesOf(def.processDefinitionKey);
    return found.length >= instances && found;
  });
  expect(keys).toHaveLength(instances);
  return keys[0]!;
}

async function run(name: string, spec: z.infer<typeof Case>) {
  for (const extra of spec.deployAlso) {
    const res = await h.deploy(readFileSync(path.join(CASES_DIR, extra), 'utf8'), extra);
    expect(res.statusCode, res.body).toBe(200);
  }
  const dep = await h.deploy(readFileSync(path.join(CASES_DIR, `${name}.bpmn`), 'utf8'), `${name}.bpmn`);
  expect(dep.statusCode, dep.body).toBe(200);
  const pi = spec.startBy ? await startBy(spec.startBy, dep.json<Deployment>(), spec.processId) : await h.start(spec.processId, spec.variables);
  for (const action of spec.actions) {
    if ('completeTask' in action) {
      const task = await h.waitForTask(pi, action.completeTask);
      const res = await h.completeTask(task.userTaskKey, action.variables ?? {});
      expect(res.statusCode, res.body).toBe(204);
    } else if ('publish' in action) {
      const res = await h.post('/v2/messages/publication', { timeToLive: 60_000, ...action.publish });
      expect(res.statusCode, res.body).toBe(200);
    } else if ('broadcast' in action) {
      await h.waitFor(`signal subscription ${action.broadcast.signalName}`, async () => {
        const { rowCount } = await h.pool.query('SELECT 1 FROM signal_subscription WHERE process_instance_key = $1 AND signal_name = $2', [
          pi,
          action.broadcast.signalName,
        ]);
        return (rowCount ?? 0) > 0;
      });
      const res = await h.post('/v2/signals/broadcast', action.broadcast);
      expect(res.statusCode, res.body).toBe(200);
    } else if ('waitForElement' in action) {
      const count = action.count ?? 1;
      await h.waitFor(`${count} × element ${action.waitForElement} active`, async () => {
        const { rowCount } = await h.pool.query(
          `SELECT 1 FROM element_instance WHERE element_id = $2 AND state = 'ACTIVE'
             AND process_instance_key IN (SELECT key FROM process_instance WHERE key = $1 OR parent_process_instance_key = $1)`,
          [pi, action.waitForElement],
        );
        return (rowCount ?? 0) >= count;
      });
    } else if ('waitForIncident' in action) {
      await incidentOf(pi, action.waitForIncident);
    } else if ('resolveIncident' in action) {
      const inc = await incidentOf(pi, action.resolveIncident);
      const res = await h.post(`/v2/incidents/${inc.incidentKey}/resolution`, {});
      expect(res.statusCode, res.body).toBe(204);
    } else if ('cancel' in action) {
      const res = await h.post(`/v2/process-instances/${pi}/cancellation`, {});
      expect(res.statusCode, res.body).toBe(204);
    }
  }
  if (spec.state === 'ACTIVE') {
    if (spec.incident) {
      const inc = await incidentOf(pi, spec.incident.elementId);
      expect(inc.errorType).toBe(spec.incident.errorType);
      if (spec.incident.messageIncludes) expect(inc.errorMessage).toContain(spec.incident.messageIncludes);
    }
    if (spec.childIncident) {
      const expected = spec.childIncident;
      const child = await h.waitFor(`the ${expected.processId} instance called by ${pi}`, async () => {
        const res = await h.post('/v2/process-instances/search', { filter: { parentProcessInstanceKey: pi, processDefinitionId: expected.processId } });
        return res.json<{ items: Array<{ processInstanceKey: string }> }>().items[0];
      });
      const inc = await incidentOf(child.processInstanceKey, expected.elementId);
      expect(inc.errorType).toBe(expected.errorType);
      if (expected.messageIncludes) expect(inc.errorMessage).toContain(expected.messageIncludes);
    }
  } else {
    await h.waitForEnd(pi);
  }
  const res = await h.post('/v2/process-instances/search', { filter: { processInstanceKey: pi } });
  expect(res.json<{ items: Array<{ state: string }> }>().items[0]?.state).toBe(spec.state);
  expect(await h.path(pi)).toEqual(spec.path);
  for (const [processId, state] of Object.entries(spec.children)) {
    await h.waitFor(`instances of ${processId} called by ${pi} to be ${state}`, async () => {
      const res = await h.post('/v2/process-instances/search', { filter: { parentProcessInstanceKey: pi, processDefinitionId: processId } });
      const items = res.json<{ items: Array<{ state: string }> }>().items;
      return items.length > 0 && items.every((i) => i.state === state);
    });
  }
  const variables = await h.variables(pi);
  if (spec.expectVariables) expect(variables).toMatchObject(spec.expectVariables);
  for (const name of spec.absentVariables) expect(variables, `variable ${name} must not reach the process scope`).not.toHaveProperty(name);
}

describe('BPMN conformance (real Temporal server)', () => {
  it('has at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });
  for (const { name, spec } of cases) {
    it(`${name}: ${spec.title}`, () => run(name, spec));
  }
});
