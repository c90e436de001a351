/**
 * The conformance cases (test/conformance/cases/NN-name.bpmn + NN-name.json) and what they assert,
 * shared by the two runs: on the real stack through /v2 (test/conformance/run.test.ts) and in memory
 * (test/conformance/memory.test.ts). A run supplies a `ConformanceDriver`; `runCase` drives the case
 * and checks its expectations the same way for both, so the two engines stay in agreement.
 *
 * A .json says how to drive the diagram and what must come out: the ordered path of element ids
 * (activation order), the final state, root variables (present and absent), incidents and the final
 * state of called instances. Called processes live beside their caller as NN-name-child.bpmn (no
 * .json, so they are not cases themselves).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { z } from 'zod';
import { BpmnError, type JobHandler } from '../../activities/jobs.js';

export const CASES_DIR = fileURLToPath(new URL('../conformance/cases/', import.meta.url));

const Variables = z.record(z.string(), z.unknown());

export const Publish = z.object({
  name: z.string(),
  correlationKey: z.string().optional(),
  variables: Variables.optional(),
  timeToLive: z.number().optional(),
});
export type Publish = z.infer<typeof Publish>;
export const Broadcast = z.object({ signalName: z.string(), variables: Variables.optional() });
export type Broadcast = z.infer<typeof Broadcast>;

const Action = z.union([
  z.object({ completeTask: z.string(), variables: Variables.optional() }),
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

const FinalState = z.enum(['COMPLETED', 'TERMINATED', 'ACTIVE']);

export const Case = z.object({
  title: z.string(),
  processId: z.string().default('p'),
  /** Other resources (file names in cases/) deployed first, e.g. called processes. */
  deployAlso: z.array(z.string()).default([]),
  variables: Variables.default({}),
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
  state: FinalState.default('COMPLETED'),
  path: z.array(z.string()),
  expectVariables: Variables.optional(),
  /** Final state of the instances of called processes (by BPMN process id), e.g. terminated with their caller. */
  children: z.record(z.string(), FinalState).default({}),
  /** Variables that must not exist on the root scope (local variables must not leak). */
  absentVariables: z.array(z.string()).default([]),
  incident: z.object({ elementId: z.string(), errorType: z.string(), messageIncludes: z.string().optional() }).optional(),
  /** An incident expected in the instance of `processId` that this instance called. */
  childIncident: z
    .object({ processId: z.string(), elementId: z.string(), errorType: z.string(), messageIncludes: z.string().optional() })
    .optional(),
});
export type Case = z.infer<typeof Case>;

/** Every case in cases/, in file name order. */
export function loadCases(): Array<{ name: string; spec: Case }> {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), spec: Case.parse(JSON.parse(readFileSync(path.join(CASES_DIR, f), 'utf8'))) }));
}

export function readCaseFile(fileName: string): string {
  return readFileSync(path.join(CASES_DIR, fileName), 'utf8');
}

/** Job handlers every case may use, by task type (fresh state per call). */
export function conformanceJobHandlers(): Record<string, JobHandler> {
  const attempts = new Map<string, number>();
  return {
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
}

export interface IncidentView {
  incidentKey: string;
  errorType: string;
  errorMessage: string;
}

/**
 * What a run must be able to do. Every `wait…` waits until it holds (real time on the real stack,
 * simulated time in memory) and fails when it does not within the harness's limit.
 */
export interface ConformanceDriver {
  /** Deploys a resource of cases/; returns the definition key of each process it holds, by process id. */
  deploy(fileName: string, xml: string): Promise<Map<string, string>>;
  start(processId: string, variables: Record<string, unknown>): Promise<string>;
  publish(message: Publish): Promise<void>;
  /** `waitingInstance`: first wait until it has a subscription for the signal. */
  broadcast(signal: Broadcast, waitingInstance?: string): Promise<void>;
  /** Waits until the timer start scheduler has started its last instance. */
  awaitTimerStarts(processDefinitionKey: string, startEventId: string): Promise<void>;
  /** Waits until at least `count` instances of the definition exist; returns them, oldest first. */
  instancesOf(processDefinitionKey: string, count: number): Promise<string[]>;
  /** Waits for the open user task of `elementId` in the instance and completes it. */
  completeTask(processInstanceKey: string, elementId: string, variables: Record<string, unknown>): Promise<void>;
  /** Waits until `count` instances of the element are active in the instance or in instances it called. */
  waitForElement(processInstanceKey: string, elementId: string, count: number): Promise<void>;
  /** Waits for an active incident on the element. */
  incident(processInstanceKey: string, elementId: string): Promise<IncidentView>;
  resolveIncident(incidentKey: string): Promise<void>;
  cancel(processInstanceKey: string): Promise<void>;
  waitForEnd(processInstanceKey: string): Promise<void>;
  /** Waits for the instance of `processId` that the instance called. */
  calledInstance(processInstanceKey: string, processId: string): Promise<string>;
  /** Waits until there are instances of `processId` called by the instance and all are in `state`. */
  calledInstancesIn(processInstanceKey: string, processId: string, state: string): Promise<void>;
  state(processInstanceKey: string): Promise<string | undefined>;
  /** Element ids in activation order (without the process and multi-instance bodies). */
  path(processInstanceKey: string): Promise<string[]>;
  /** Variables of the root scope. */
  variables(processInstanceKey: string): Promise<Record<string, unknown>>;
}

/** Starts the instance under test by message, signal or timer; returns the first instance of the deployed definition. */
async function startBy(d: ConformanceDriver, how: NonNullable<Case['startBy']>, deployed: Map<string, string>, processId: string): Promise<string> {
  const definitionKey = deployed.get(processId);
  if (!definitionKey) throw new Error(`the deployment has no process '${processId}'`);
  let instances = 1;
  if ('publish' in how) await d.publish(how.publish);
  else if ('broadcast' in how) await d.broadcast(how.broadcast);
  else {
    instances = how.timer.instances;
    // The scheduler of a cycle ends after its last repetition: then exactly that many instances exist.
    await d.awaitTimerStarts(definitionKey, how.timer.startEventId);
  }
  const keys = await d.instancesOf(definitionKey, instances);
  expect(keys).toHaveLength(instances);
  return keys[0]!;
}

function expectIncident(inc: IncidentView, expected: { errorType: string; messageIncludes?: string | undefined }): void {
  expect(inc.errorType).toBe(expected.errorType);
  if (expected.messageIncludes) expect(inc.errorMessage).toContain(expected.messageIncludes);
}

/** Drives one case and checks everything its .json expects. */
export async function runCase(d: ConformanceDriver, name: string, spec: Case): Promise<void> {
  for (const extra of spec.deployAlso) await d.deploy(extra, readCaseFile(extra));
  const deployed = await d.deploy(`${name}.bpmn`, readCaseFile(`${name}.bpmn`));
  const pi = spec.startBy ? await startBy(d, spec.startBy, deployed, spec.processId) : await d.start(spec.processId, spec.variables);
  for (const action of spec.actions) {
    if ('completeTask' in action) await d.completeTask(pi, action.completeTask, action.variables ?? {});
    else if ('publish' in action) await d.publish({ timeToLive: 60_000, ...action.publish });
    else if ('broadcast' in action) await d.broadcast(action.broadcast, pi);
    else if ('waitForElement' in action) await d.waitForElement(pi, action.waitForElement, action.count ?? 1);
    else if ('waitForIncident' in action) await d.incident(pi, action.waitForIncident);
    else if ('resolveIncident' in action) await d.resolveIncident((await d.incident(pi, action.resolveIncident)).incidentKey);
    else if ('cancel' in action) await d.cancel(pi);
  }
  if (spec.state === 'ACTIVE') {
    if (spec.incident) expectIncident(await d.incident(pi, spec.incident.elementId), spec.incident);
    if (spec.childIncident) {
      const child = await d.calledInstance(pi, spec.childIncident.processId);
      expectIncident(await d.incident(child, spec.childIncident.elementId), spec.childIncident);
    }
  } else {
    await d.waitForEnd(pi);
  }
  expect(await d.state(pi)).toBe(spec.state);
  expect(await d.path(pi)).toEqual(spec.path);
  for (const [processId, state] of Object.entries(spec.children)) await d.calledInstancesIn(pi, processId, state);
  const variables = await d.variables(pi);
  if (spec.expectVariables) expect(variables).toMatchObject(spec.expectVariables);
  // [v]: the variable's name as one key (a name like "result.auth" is not a path into "result").
  for (const v of spec.absentVariables) expect(variables, `variable ${v} must not reach the process scope`).not.toHaveProperty([v]);
}
