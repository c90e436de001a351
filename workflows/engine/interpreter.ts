/**
 * The interpreter's outside: what the workflow calls when something happens (start, job results,
 * messages, signals, timers, user-task completion, incident resolution, cancellation). Each call
 * runs the engine until nothing more can move.
 */
import type { CompleteUserTaskRequest } from '../messages.js';
import type { ClockResolution, DeliveredMessage, ElementInstance, ProcessInstanceResult, Variables, Wait } from '../types.js';
import { Engine, RequestRejected } from './engine.js';
import { validateFormSubmission } from './form-validation.js';

const COMPLETED_TASK_MEMORY = 1000;

export class Interpreter extends Engine {
  start(variables: Variables, startElementId?: string): void {
    this.run(() => {
      const root = this.createInstance(this.model.id, 'process', null, this.processInstanceKey);
      root.hasScope = true;
      this.state.variables[root.key] = {};
      for (const [k, v] of Object.entries(variables)) this.setLocal(root.key, k, v);
      this.transition(root, 'ACTIVE');
      this.scopes.subscribeEventSubprocesses(root);
      const start = startElementId ? this.node(startElementId) : this.index.noneStart(null);
      if (!start) throw new Error(`process ${this.model.id} has no none start event; start it by message, signal or timer`);
      this.activate(start.id, root.key);
    });
  }

  /** Correlates a message to the first waiting subscription; false when none waits for it. */
  deliverMessage(msg: DeliveredMessage): boolean {
    for (const inst of Object.values(this.state.instances)) {
      const wait = inst.waits.find(
        (w) => w.kind === 'message' && w.messageName === msg.messageName && w.correlationKey === msg.correlationKey,
      );
      if (wait) {
        this.run(() => this.scopes.fire(inst, wait, msg.variables));
        return true;
      }
    }
    return false;
  }

  deliverSignal(signalName: string, variables: Variables): number {
    const hits: Array<[ElementInstance, Wait]> = [];
    for (const inst of Object.values(this.state.instances)) {
      for (const w of inst.waits) if (w.kind === 'signal' && w.signalName === signalName) hits.push([inst, w]);
    }
    this.run(() => {
      for (const [inst, w] of hits) {
        if (this.state.instances[inst.key] === inst && inst.waits.includes(w)) this.scopes.fire(inst, w, variables);
      }
    });
    return hits.length;
  }

  nextDueAt(): number | undefined {
    let min: number | undefined;
    for (const inst of Object.values(this.state.instances)) {
      for (const w of inst.waits) if (w.kind === 'timer' && (min === undefined || w.dueAt < min)) min = w.dueAt;
    }
    const clock = this.sla.nextDueAt();
    return clock !== undefined && (min === undefined || clock < min) ? clock : min;
  }

  fireTimers(now: number): void {
    const due: Array<[ElementInstance, Extract<Wait, { kind: 'timer' }>]> = [];
    for (const inst of Object.values(this.state.instances)) {
      for (const w of inst.waits) if (w.kind === 'timer' && w.dueAt <= now) due.push([inst, w]);
    }
    due.sort((a, b) => a[1].dueAt - b[1].dueAt);
    this.run(() => {
      // SLA warnings and breaches first: a boundary timer at `sla.dueAt` then sees `sla.breached`.
      this.sla.fire(now);
      for (const [inst, w] of due) {
        if (this.state.instances[inst.key] === inst && inst.waits.includes(w)) this.scopes.fire(inst, w, {});
      }
    });
  }

  /** Resolutions of SLA clocks (policies, calendars) that the workflow brought back with a projection. */
  clocksResolved(results: Record<string, ClockResolution>): void {
    this.run(() => this.sla.resolved(results));
  }

  private takeWait(key: string, kind: Wait['kind']): ElementInstance | undefined {
    const inst = this.state.instances[key];
    if (!inst || !inst.waits.some((w) => w.kind === kind)) return undefined;
    inst.waits = inst.waits.filter((w) => w.kind !== kind);
    return inst;
  }

  jobCompleted(key: string, variables: Variables): void {
    const inst = this.takeWait(key, 'job');
    if (inst) this.run(() => this.trigger(inst, { kind: 'job-completed', variables }));
  }

  jobBpmnError(key: string, errorCode: string, errorMessage: string | undefined, variables: Variables): void {
    const inst = this.takeWait(key, 'job');
    if (!inst) return;
    this.run(() => {
      if (!this.scopes.throwEvent(inst, 'error', errorCode, variables)) this.unhandledError(inst, errorCode, errorMessage, 'job');
    });
  }

  jobFailed(key: string, message: string): void {
    const inst = this.takeWait(key, 'job');
    if (inst) this.run(() => this.raiseIncident(inst, 'JOB_NO_RETRIES', message, 'job'));
  }

  childEnded(key: string, result: ProcessInstanceResult): void {
    const inst = this.takeWait(key, 'child');
    if (!inst) return;
    this.run(() => {
      if (result.outcome === 'completed') {
        this.trigger(inst, { kind: 'child-completed', variables: result.variables });
      } else if (result.outcome === 'error') {
        if (!this.scopes.throwEvent(inst, 'error', result.errorCode, result.variables)) {
          this.unhandledError(inst, result.errorCode, result.errorMessage, 'child');
        }
      } else {
        this.raiseIncident(inst, 'CALLED_ELEMENT_ERROR', `the called process instance ended with ${result.outcome}`, 'child');
      }
    });
  }

  /** An escalation the called instance did not catch continues at its call activity. */
  childEscalated(key: string, escalationCode: string, variables: Variables): void {
    const inst = this.state.instances[key];
    if (inst?.state === 'ACTIVE') this.run(() => this.scopes.escalate(inst, escalationCode, variables));
  }

  childFailed(key: string, message: string): void {
    const inst = this.takeWait(key, 'child');
    if (inst) this.run(() => this.raiseIncident(inst, 'CALLED_ELEMENT_ERROR', message, 'child'));
  }

  /** Throws RequestRejected when the task is unknown or already finished, or the variables fail its form. */
  checkUserTaskCompletion(req: CompleteUserTaskRequest): ElementInstance {
    const inst = this.state.instances[req.userTaskKey];
    if (inst && inst.state === 'ACTIVE' && inst.waits.some((w) => w.kind === 'userTask')) {
      const node = this.model.nodes[inst.elementId];
      const form = node?.type === 'userTask' ? node.form : undefined;
      const problems = form ? validateFormSubmission(form, req.variables) : [];
      if (problems.length > 0) {
        throw new RequestRejected('INVALID', `The completion does not satisfy form '${form!.formId}': ${problems.join('; ')}`);
      }
      this.checkVariablesFit(inst.hasScope ? inst.key : inst.flowScopeKey, req.variables);
      return inst;
    }
    if (this.state.completedTasks.includes(req.userTaskKey)) {
      throw new RequestRejected('CONFLICT', `user task ${req.userTaskKey} is already completed`, { code: 'task.alreadyCompleted', params: { taskKey: req.userTaskKey } });
    }
    throw new RequestRejected('NOT_FOUND', `user task ${req.userTaskKey} is not active in process instance ${this.processInstanceKey}`);
  }

  completeUserTask(req: CompleteUserTaskRequest): void {
    const inst = this.checkUserTaskCompletion(req);
    inst.waits = inst.waits.filter((w) => w.kind !== 'userTask');
    this.state.completedTasks.push(req.userTaskKey);
    if (this.state.completedTasks.length > COMPLETED_TASK_MEMORY) this.state.completedTasks.shift();
    this.run(() => {
      this.emit({ type: 'USER_TASK_ENDED', key: inst.key, state: 'COMPLETED', variables: req.variables });
      this.trigger(inst, { kind: 'user-task-completed', variables: req.variables });
    });
  }

  /** Throws RequestRejected('INVALID') when `variables`, set from `scopeKey`, break the variable limits. */
  checkVariablesFit(scopeKey: string | null, variables: Variables): void {
    const problem = this.budget.problemOf(variables, this.context(scopeKey));
    if (problem) throw new RequestRejected('INVALID', problem.message);
  }

  /** The validator of setVariables: the element instance is active and the variables fit. */
  checkSetVariables(elementInstanceKey: string, variables: Variables): void {
    if (!this.state.instances[elementInstanceKey]) {
      throw new RequestRejected('NOT_FOUND', `element instance ${elementInstanceKey} is not active in process instance ${this.processInstanceKey}`);
    }
    this.checkVariablesFit(elementInstanceKey, variables);
  }

  /** Sets variables from outside (an operator fixing data before resolving an incident). */
  setVariables(elementInstanceKey: string, variables: Variables, local: boolean): void {
    const inst = this.state.instances[elementInstanceKey];
    if (!inst) throw new RequestRejected('NOT_FOUND', `element instance ${elementInstanceKey} is not active in process instance ${this.processInstanceKey}`);
    this.run(() => {
      if (!local) {
        this.propagateAll(inst.key, variables);
        return;
      }
      if (!inst.hasScope) {
        inst.hasScope = true;
        this.state.variables[inst.key] ??= {};
      }
      for (const [k, v] of Object.entries(variables)) this.setLocal(inst.key, k, v);
    });
  }

  resolveIncident(incidentKey: string): void {
    const inc = this.state.incidents[incidentKey];
    if (!inc) throw new RequestRejected('NOT_FOUND', `incident ${incidentKey} is not open in process instance ${this.processInstanceKey}`);
    const inst = this.state.instances[inc.elementInstanceKey];
    this.run(() => {
      this.dropIncident(inc);
      if (!inst) return;
      inst.waits = inst.waits.filter((w) => !(w.kind === 'incident' && w.incidentKey === incidentKey));
      if (inc.retry === 'acknowledge') {
        this.scopes.scheduleCompletionCheck(inst.key);
      } else if (inc.retry === 'clock') {
        this.sla.retry(inc.clockKey);
        this.scopes.scheduleCompletionCheck(inst.key);
      } else if (inst.elementType === 'multiInstanceBody') {
        if (inc.retry === 'activate') this.scopes.startLoop(inst);
        else this.scopes.resumeLoop(inst);
      } else if (inst.state === 'ACTIVATING') {
        this.enter(inst);
      } else if (inst.state === 'COMPLETING') {
        if (this.applyOutputs(inst, this.model.nodes[inst.elementId])) this.finishCompletion(inst);
      } else {
        const node = this.node(inst.elementId);
        this.guard(inst, 'EXTRACT_VALUE_ERROR', 'activate', () => this.handler(node.type).activate(this, inst, node));
      }
    });
  }

  /**
   * The read model had to store a batch of this instance's events altered (activities/projections.ts):
   * an incident on the instance says so, and holds its completion until someone resolves it.
   */
  readModelAltered(reason: string, skipped?: { from: number; to: number }): void {
    const root = this.state.instances[this.processInstanceKey];
    if (!root || Object.values(this.state.incidents).some((i) => i.retry === 'acknowledge' && i.elementInstanceKey === root.key)) return;
    const message = skipped
      ? `读取模型（PostgreSQL）拒绝保存本实例的第 ${skipped.from}–${skipped.to} 条事件，已跳过；任务列表与历史可能缺少这些记录。请检查数据来源，然后解决此事件 / ` +
        `the read model (PostgreSQL) refused events ${skipped.from}-${skipped.to} of this instance (${reason}); they were skipped, so the task ` +
        `list and history may lack them. Check where the data came from, then resolve this incident`
      : `读取模型（PostgreSQL）无法按原样保存本实例的数据，已将无法保存的字符替换为 U+FFFD 后保存；请检查数据来源，然后解决此事件 / ` +
        `the read model (PostgreSQL) could not store this instance's data as it is (${reason}); it was stored with the unstorable characters ` +
        `replaced by U+FFFD. Check where the data came from, then resolve this incident`;
    this.raiseIncident(root, 'UNKNOWN', message, 'acknowledge');
  }

  cancel(): void {
    const root = this.state.instances[this.processInstanceKey];
    this.run(() => {
      if (root) this.terminate(root);
      this.endProcess({ outcome: 'terminated' });
    });
  }

  /** Inner instances of a large parallel multi-instance are still to be created (EngineOptions.batching). */
  hasPendingWork(): boolean {
    return this.pendingBodies.size > 0;
  }

  /** The next step of pending multi-instance activations. */
  resumePending(): void {
    const keys = [...this.pendingBodies];
    this.pendingBodies.clear();
    this.run(() => {
      for (const key of keys) {
        const body = this.state.instances[key];
        if (body?.state === 'ACTIVE' && body.loop) this.scopes.spawnParallel(body, this.node(body.elementId));
      }
    });
  }

  /**
   * Jobs or child instances are running: their promises cannot be carried over a continue-as-new.
   * Jobs in `notStarted` (deferred by the workflow, keyed by element instance) do not count.
   */
  hasInFlightWork(notStarted: ReadonlyMap<string, unknown> = new Map()): boolean {
    return this.hasPendingWork() || Object.values(this.state.instances).some((i) =>
      i.waits.some((w) => w.kind === 'child' || (w.kind === 'job' && !notStarted.has(i.key))),
    );
  }
}

export type { ProcessInstanceResult };
