/**
 * The in-memory engine: the real BPMN interpreter (workflows/engine) hosted without Temporal and
 * PostgreSQL, deterministic, on a fake clock that only moves when asked to. New engine behaviour gets
 * its first test here (see test/README.md):
 *
 *   const mem = new MemoryEngine({ jobHandlers: { double: ({ variables }) => ({ y: Number(variables.x) * 2 }) } });
 *   await mem.deploy({ name: 'p.bpmn', content: xml });
 *   const pi = await mem.start('p', { x: 1 });             // runs until nothing can move
 *   const task = await mem.waitFor('review', () => mem.userTasks({ processInstanceKey: pi, state: 'CREATED' })[0]);
 *   await mem.completeTask(task.userTaskKey, { ok: true }); // the Update validator's checks first
 *   await mem.advance(60_000);                              // timers due within the minute fire
 *   expect(mem.instance(pi).path).toEqual(['start', 'review', 'wait', 'end']);
 *
 * Every action runs the engine until it is idle at the current time; `advance` and `waitFor` move
 * the clock from one due timer (engine timers, job retry back-offs, timer start events) to the next.
 * `waitFor` gives up after as much simulated time as the real-stack harness waits in real time, so
 * a case that passes here does not depend on a timer the real run would not see fire.
 */
import type { PublishRequest as ServicePublishRequest } from '../../../services/messages.js';
import type { JobHandler } from '../../../activities/jobs.js';
import type { ChildRequest } from '../../../workflows/engine/engine.js';
import type { Interpreter } from '../../../workflows/engine/interpreter.js';
import type { EngineSnapshot, ProcessInstanceResult, Variables } from '../../../workflows/types.js';
import { Clock } from './clock.js';
import { DefinitionStore, type MemoryDefinition, type MemoryDeployment, type Resource } from './definitions.js';
import { HostedInstance, type Host, type ParentLink } from './host.js';
import { JobRunner } from './jobs.js';
import {
  json,
  ReadModel,
  type IncidentFilter,
  type IncidentRow,
  type InstanceFilter,
  type InstanceRow,
  type UserTaskFilter,
  type UserTaskRow,
} from './read-model.js';
import { MemoryRejection } from './rejection.js';
import { TimerStarts } from './timer-starts.js';

export interface MemoryEngineOptions {
  /** Job handlers by task type, as registered with the worker (`createWorker({ jobHandlers })`). */
  jobHandlers?: ReadonlyMap<string, JobHandler> | Record<string, JobHandler>;
  /** Where the fake clock starts (ms since the epoch); default 2026-01-05T00:00:00Z, a Monday. */
  startTime?: number;
  /**
   * Continue every instance as new whenever the workflow could (waiting, no job or called instance
   * in flight): a fresh Interpreter resumes from a JSON copy of the engine state. Shows that the
   * state survives continue-as-new without Temporal.
   */
  continueAsNew?: boolean;
}

/** The service's request, without its HTTP-side row-level filter. */
export type PublishRequest = Omit<ServicePublishRequest, 'visibleInstances'>;

/** Keys in the form db/keys.ts allocates them: each instance key leaves 2^20 keys for its elements. */
const KEY_BASE = 2n ** 51n;
const KEY_STRIDE = 2n ** 20n;
/** The real-stack harness's waits (test/support/engine.ts), in simulated time here. */
const WAIT_MS = 20_000;
const END_WAIT_MS = 30_000;
const TIMER_START_WAIT_MS = 15_000;

export class MemoryEngine {
  readonly read = new ReadModel();
  readonly definitions: DefinitionStore;
  private readonly clock: Clock;
  private keyCounter = 0n;
  private readonly hosted = new Map<string, HostedInstance>();
  private readonly timerStarts = new TimerStarts();
  private readonly jobs: JobRunner;
  private readonly host: Host;

  constructor(options: MemoryEngineOptions = {}) {
    const clock = new Clock(options.startTime ?? Date.UTC(2026, 0, 5));
    this.clock = clock;
    clock.watch({ nextDue: () => this.nextDue(), queueDue: (now) => this.queueDue(now) });
    this.definitions = new DefinitionStore(() => this.nextKey());
    this.jobs = new JobRunner(options.jobHandlers ?? {}, clock);
    this.host = {
      get now() {
        return clock.now;
      },
      continueAsNew: options.continueAsNew ?? false,
      enqueue: (task) => clock.enqueue(task),
      startJob: (instance, key, job) => this.jobs.start(instance, key, job),
      cancelJob: (instance, key) => this.jobs.cancel(instance, key),
      startChild: (parent, key, req) => this.startChild(parent, key, req),
      broadcastSignal: (name, variables) => this.broadcastNow(name, variables),
      record: (instance, events) => this.read.record(instance.key, events, clock.now),
      returnMessage: (messageKey) => this.read.returnMessage(messageKey, clock.now),
      ended: (instance) => this.childEnded(instance),
    };
  }

  /** The fake clock (ms since the epoch). */
  get now(): number {
    return this.clock.now;
  }

  // ---------------------------------------------------------------- deploy and start

  async deploy(...resources: Resource[]): Promise<MemoryDeployment> {
    const deployment = await this.definitions.deploy(resources);
    for (const def of deployment.created) this.timerStarts.sync(def, this.definitions.previousVersion(def), this.clock.now);
    await this.settle();
    return deployment;
  }

  /** Starts the latest (or the given) version of a process at its none start event; returns the instance key. */
  async start(processId: string, variables: Variables = {}, options: { version?: number } = {}): Promise<string> {
    const def = options.version === undefined ? this.definitions.latest(processId) : this.definitions.version(processId, options.version);
    if (!def) throw new MemoryRejection('NOT_FOUND', `No process definition with id '${processId}' is deployed`);
    return this.startDefinition(def.key, variables);
  }

  async startDefinition(processDefinitionKey: string, variables: Variables = {}): Promise<string> {
    const def = this.definitions.byKey(processDefinitionKey);
    if (!Object.values(def.model.nodes).some((n) => n.type === 'startEvent' && n.parentId === null && n.event.kind === 'none')) {
      throw new MemoryRejection(
        'INVALID_ARGUMENT',
        `Process '${def.processId}' has no none start event: it starts by message, signal or timer, not by a create call`,
      );
    }
    const instance = this.create(def, variables);
    await this.settle();
    return instance.key;
  }

  // ---------------------------------------------------------------- requests from outside

  /** Message publication: every instance waiting for it (once each), else the buffer; message start events. */
  async publish(req: PublishRequest): Promise<{ messageKey: string; processInstanceKeys: string[] }> {
    const messageKey = this.nextKey();
    const correlationKey = req.correlationKey ?? '';
    const variables = json(req.variables ?? {});
    const targets = this.read.publish(
      { key: messageKey, name: req.name, correlationKey, variables, timeToLive: req.timeToLive ?? 0, ...(req.messageId ? { messageId: req.messageId } : {}) },
      this.clock.now,
    );
    const message = { messageKey, messageName: req.name, correlationKey, variables };
    for (const pi of targets) {
      const instance = this.hosted.get(pi);
      instance?.post(() => instance.deliverOrReturn(json(message)));
    }
    const started = this.definitions.startEventsFor('message', req.name).map((s) => this.create(s.definition, variables, s.startEventId).key);
    await this.settle();
    return { messageKey, processInstanceKeys: [...targets, ...started] };
  }

  /** Signal broadcast: every waiting subscription and every signal start event of the latest versions. */
  async broadcast(signalName: string, variables: Variables = {}): Promise<{ signalKey: string }> {
    const signalKey = this.nextKey();
    this.broadcastNow(signalName, json(variables));
    await this.settle();
    return { signalKey };
  }

  /** Completes a user task; refused (RequestRejected) as the workflow's Update validator refuses it. */
  async completeTask(userTaskKey: string, variables: Variables = {}, completedBy?: string): Promise<void> {
    const task = this.read.userTasks.get(userTaskKey);
    if (!task) throw new MemoryRejection('NOT_FOUND', `User task with key '${userTaskKey}' not found`);
    const req = { userTaskKey, variables: json(variables), ...(completedBy ? { completedBy } : {}) };
    await this.update(task.processInstanceKey, `completing user task ${userTaskKey}`, (e) => e.checkUserTaskCompletion(req), (e) => e.completeUserTask(req));
  }

  async resolveIncident(incidentKey: string): Promise<void> {
    const inc = this.read.incidents.get(incidentKey);
    if (!inc) throw new MemoryRejection('NOT_FOUND', `Incident with key '${incidentKey}' not found`);
    const validate = (e: Interpreter) => {
      if (!e.state.incidents[incidentKey]) {
        throw new MemoryRejection('NOT_FOUND', `incident ${incidentKey} is not open in process instance ${inc.processInstanceKey}`);
      }
    };
    await this.update(inc.processInstanceKey, `resolving incident ${incidentKey}`, validate, (e) => e.resolveIncident(incidentKey));
  }

  /** Sets variables on an element instance's scope (local) or where they exist on the way up. */
  async setVariables(elementInstanceKey: string, variables: Variables, local = false): Promise<void> {
    const owner = [...this.hosted.values()].find((h) => !h.ended && h.engine.state.instances[elementInstanceKey]);
    if (!owner) throw new MemoryRejection('NOT_FOUND', `Element instance with key '${elementInstanceKey}' is not active`);
    const carried = json(variables);
    await this.update(owner.key, `setting variables on ${elementInstanceKey}`, () => undefined, (e) => e.setVariables(elementInstanceKey, carried, local));
  }

  async cancel(processInstanceKey: string): Promise<void> {
    const row = this.read.instances.get(processInstanceKey);
    if (!row) throw new MemoryRejection('NOT_FOUND', `Process instance with key '${processInstanceKey}' not found`);
    if (row.state !== 'ACTIVE') {
      throw new MemoryRejection('NOT_FOUND', `Process instance with key '${processInstanceKey}' is not active (it is ${row.state})`);
    }
    this.hosted.get(processInstanceKey)?.post((e) => e.cancel());
    await this.settle();
  }

  /** Jobs waiting for an external worker (types without a handler). */
  externalJobs(jobType?: string) {
    return this.jobs.externalJobs(jobType);
  }

  async completeJob(elementInstanceKey: string, variables: Variables = {}): Promise<void> {
    this.jobs.completeExternal(elementInstanceKey, variables);
    await this.settle();
  }

  async throwJobError(elementInstanceKey: string, errorCode: string, errorMessage?: string, variables: Variables = {}): Promise<void> {
    this.jobs.throwExternal(elementInstanceKey, errorCode, errorMessage, variables);
    await this.settle();
  }

  async failJob(elementInstanceKey: string, errorMessage: string): Promise<void> {
    this.jobs.failExternal(elementInstanceKey, errorMessage);
    await this.settle();
  }

  // ---------------------------------------------------------------- time

  /** Runs everything that can move at the current time. */
  settle(): Promise<void> {
    return this.clock.settle();
  }

  /** Moves the clock forward by `ms`, firing everything that falls due on the way, in time order. */
  advance(ms: number): Promise<void> {
    return this.clock.advance(ms);
  }

  /**
   * Runs until `probe` returns something truthy, moving the clock to the next due timer whenever
   * nothing else can move; fails when nothing is due within `timeoutMs` of simulated time.
   */
  waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = WAIT_MS): Promise<T> {
    return this.clock.waitFor(what, probe, timeoutMs);
  }

  async waitForEnd(processInstanceKey: string, timeoutMs = END_WAIT_MS): Promise<ProcessInstanceResult> {
    const instance = this.hosted.get(processInstanceKey);
    if (!instance) throw new MemoryRejection('NOT_FOUND', `Process instance with key '${processInstanceKey}' not found`);
    return this.waitFor(`the end of process instance ${processInstanceKey}`, () => instance.ended && instance.result, timeoutMs);
  }

  /** Waits until the timer start event's scheduler has started its last instance (a date, or a cycle of Rn). */
  async timerStartsDone(processDefinitionKey: string, startEventId: string, timeoutMs = TIMER_START_WAIT_MS): Promise<void> {
    const scheduler = this.timerStarts.find(processDefinitionKey, startEventId);
    if (!scheduler) throw new MemoryRejection('NOT_FOUND', `Process definition ${processDefinitionKey} has no timer start event ${startEventId}`);
    if (scheduler.failure) throw new Error(`the timer start scheduler of ${startEventId} failed: ${scheduler.failure}`);
    await this.waitFor(`the last timer start of ${startEventId}`, () => !scheduler.next, timeoutMs);
  }

  // ---------------------------------------------------------------- read model

  instance(processInstanceKey: string): InstanceRow {
    const row = this.read.instances.get(processInstanceKey);
    if (!row) throw new MemoryRejection('NOT_FOUND', `Process instance with key '${processInstanceKey}' not found`);
    return row;
  }

  /** Process instances in key order (creation order), filtered as the instance search filters them. */
  instances(filter: InstanceFilter = {}): InstanceRow[] {
    return this.read.findInstances(filter);
  }

  /** Variables of a scope as projected (the process instance key is the root scope). */
  variables(scopeKey: string): Variables {
    return json(this.read.variables.get(scopeKey) ?? {});
  }

  userTasks(filter: UserTaskFilter = {}): UserTaskRow[] {
    return this.read.findUserTasks(filter);
  }

  incidents(filter: IncidentFilter = {}): IncidentRow[] {
    return this.read.findIncidents(filter);
  }

  /** How often the instance continued as new (with the `continueAsNew` option). */
  continuedAsNew(processInstanceKey: string): number {
    return this.hosted.get(processInstanceKey)?.continuedAsNew ?? 0;
  }

  /** The interpreter's state (what the workflow's snapshot query returns). */
  snapshot(processInstanceKey: string): EngineSnapshot {
    const instance = this.hosted.get(processInstanceKey);
    if (!instance) throw new MemoryRejection('NOT_FOUND', `Process instance with key '${processInstanceKey}' not found`);
    return json(instance.engine.state);
  }

  // ---------------------------------------------------------------- inside

  private nextKey(): string {
    this.keyCounter += 1n;
    return (KEY_BASE + this.keyCounter * KEY_STRIDE).toString();
  }

  private create(def: MemoryDefinition, variables: Variables, startElementId?: string, parent?: ParentLink): HostedInstance {
    const key = this.nextKey();
    this.read.instances.set(key, {
      processInstanceKey: key,
      processDefinitionKey: def.key,
      processId: def.processId,
      version: def.version,
      ...(parent ? { parentProcessInstanceKey: parent.instance.key, parentElementInstanceKey: parent.elementInstanceKey } : {}),
      state: 'ACTIVE',
      path: [],
      elements: new Map(),
    });
    const instance = new HostedInstance(key, def, this.host, parent);
    this.hosted.set(key, instance);
    instance.begin(json(variables), startElementId);
    return instance;
  }

  /** A call activity's child: resolved by its binding; a resolution failure is a CALLED_ELEMENT_ERROR incident. */
  private startChild(parent: HostedInstance, elementInstanceKey: string, req: ChildRequest): void {
    if (parent.ended || parent.children.get(elementInstanceKey) !== 'starting') return; // terminated meanwhile
    let def: MemoryDefinition;
    try {
      def = this.definitions.resolve(req, parent.definition);
    } catch (err) {
      parent.children.delete(elementInstanceKey);
      const message = (err as Error).message;
      parent.post((e) => e.childFailed(elementInstanceKey, message));
      return;
    }
    const child = this.create(def, req.variables, undefined, { instance: parent, elementInstanceKey, catchesErrors: req.catchesErrors });
    parent.children.set(elementInstanceKey, child);
  }

  /** An instance ended: its caller learns the result, unless it terminated the call activity meanwhile. */
  private childEnded(child: HostedInstance): void {
    const link = child.parent;
    if (!link || link.instance.children.get(link.elementInstanceKey) !== child) return;
    link.instance.children.delete(link.elementInstanceKey);
    const result = json(child.result!);
    link.instance.post((e) => e.childEnded(link.elementInstanceKey, result));
  }

  private broadcastNow(signalName: string, variables: Variables): void {
    for (const pi of this.read.signalTargets(signalName)) {
      this.hosted.get(pi)?.post((e) => void e.deliverSignal(signalName, json(variables)));
    }
    for (const s of this.definitions.startEventsFor('signal', signalName)) this.create(s.definition, variables, s.startEventId);
  }

  /** Runs an Update: the validator against the current state, then the change through the inbox. */
  private async update(processInstanceKey: string, what: string, validate: (e: Interpreter) => void, apply: (e: Interpreter) => void): Promise<void> {
    const instance = this.hosted.get(processInstanceKey);
    if (!instance || instance.ended) throw new MemoryRejection('NOT_FOUND', `${what}: process instance ${processInstanceKey} is not running`);
    validate(instance.engine);
    let outcome: { error?: unknown } | undefined;
    instance.post((e) => {
      try {
        apply(e);
        outcome = {};
      } catch (error) {
        outcome = { error };
      }
    });
    await this.settle();
    if (!outcome) throw new MemoryRejection('INVALID_STATE', `${what}: process instance ${processInstanceKey} ended before the change was applied`);
    if (outcome.error) throw outcome.error;
  }

  /** Queues the timer starts and instance timers due at `now`; false when none is. */
  private queueDue(now: number): boolean {
    let queued = false;
    for (const s of this.timerStarts.takeDue(now)) {
      this.clock.enqueue(() => void this.create(s.definition, {}, s.startEventId));
      queued = true;
    }
    for (const instance of this.hosted.values()) {
      if (instance.ended) continue;
      const due = instance.engine.nextDueAt();
      if (due !== undefined && due <= now) {
        instance.wake();
        queued = true;
      }
    }
    return queued;
  }

  private nextDue(): number | undefined {
    let min = this.timerStarts.nextDueAt();
    for (const instance of this.hosted.values()) {
      const due = instance.ended ? undefined : instance.engine.nextDueAt();
      if (due !== undefined && (min === undefined || due < min)) min = due;
    }
    return min;
  }
}
