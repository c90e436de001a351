/**
 * The BPMN interpreter's core: element instances and their lifecycle, scopes and variables, tokens
 * on sequence flows, waits (jobs, timers, messages, signals, user tasks, children) and incidents.
 *
 * It is deterministic and does no I/O: effects go through `Runtime` (implemented by the workflow)
 * and everything that happened is appended to `events` for the projection activity.
 */
import type { FlowNode, ProcessModel } from '../../bpmn/model.js';
import type { ElementHandler, Trigger } from '../elements/handler.js';
import type {
  ElementInstance,
  ElementState,
  EngineEvent,
  EngineSnapshot,
  IncidentRecord,
  IncidentType,
  ProcessInstanceResult,
  Variables,
  Wait,
} from '../types.js';
import { ElementFailure } from './errors.js';
import { evalFeel, withFeelLimits } from './feel.js';
import { resolveLimits, type EngineLimits } from './limits.js';
import { ModelIndex } from './model-index.js';
import { Scopes } from './scopes.js';
import { targetPath, withValueAt } from './variable-path.js';
import { DEFAULT_VARIABLE_LIMITS, type VariableLimits } from '../variables-limits.js';
import { SlaClocks } from './sla-clocks.js';
import { VariableBudget, VariableRejectedError } from './variable-budget.js';

export interface JobRequest {
  jobType: string;
  retries: number;
  headers: Record<string, string>;
  variables: Variables;
  elementId: string;
}

export interface ChildRequest {
  /** Error codes the caller chain catches at this call activity (see ParentRef.catchesErrors). */
  catchesErrors: string[] | 'all';
  processId: string;
  bindingType: 'latest' | 'deployment' | 'versionTag';
  versionTag?: string;
  variables: Variables;
}

/** Effects the engine asks of its host (the Temporal workflow). */
export interface Runtime {
  now(): number;
  startJob(elementInstanceKey: string, job: JobRequest): void;
  cancelJob(elementInstanceKey: string): void;
  startChild(elementInstanceKey: string, child: ChildRequest): void;
  cancelChild(elementInstanceKey: string): void;
  broadcastSignal(signalName: string, variables: Variables): void;
  /** Hands an escalation nothing caught here to the calling instance (only called with a parent). */
  escalateToParent(escalationCode: string, variables: Variables): void;
}

export interface EngineOptions {
  processInstanceKey: string;
  model: ProcessModel;
  runtime: Runtime;
  handlers: Record<string, ElementHandler<never>>;
  /** Called-from parent: uncaught errors end the instance with an error outcome instead of an incident. */
  hasParent: boolean;
  /** Error codes the caller chain catches (ParentRef.catchesErrors); undefined = all. */
  parentCatchesErrors?: string[] | 'all';
  snapshot?: EngineSnapshot;
  /** Bounds on expressions and multi-instance cardinality (limits.ts); defaults where not given. */
  limits?: Partial<EngineLimits>;
  /**
   * Spread the activation of a large parallel multi-instance over several steps: at most
   * `innerPerStep` inner instances are created per step (see Interpreter.resumePending), so no
   * single workflow activation runs into the SDK's deadline. `enabled` is asked once, the first time
   * the budget runs out (the workflow answers with a patch check); false spawns everything at once.
   */
  batching?: { innerPerStep: number; enabled: () => boolean };
  /** Size limits of variables; default DEFAULT_VARIABLE_LIMITS. */
  variableLimits?: VariableLimits;
  /** Run the diagram's SLA clocks (sla-clocks.ts); false for instances whose history predates them. */
  slaClocks?: boolean;
}

/** Thrown by user-task completion when the request cannot be applied; the message is for the caller. */
export class RequestRejected extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID',
    message: string,
    /** A message code of services/problem-codes.ts and its params, for the web app's language. */
    readonly coded?: { code: string; params: Record<string, string | number> },
  ) {
    super(message);
    this.name = 'RequestRejected';
  }
}

export class Engine {
  readonly model: ProcessModel;
  readonly index: ModelIndex;
  readonly runtime: Runtime;
  readonly processInstanceKey: string;
  readonly hasParent: boolean;
  readonly parentCatchesErrors: string[] | 'all';
  readonly state: EngineSnapshot;
  readonly scopes: Scopes;
  readonly limits: EngineLimits;
  readonly budget: VariableBudget;
  readonly sla: SlaClocks;
  events: EngineEvent[] = [];
  private readonly handlers: Record<string, ElementHandler<never>>;
  private readonly agenda: Array<() => void> = [];
  /**
   * Keys of the element instances in each flow scope, in creation order. Derived from
   * `state.instances` (rebuilt from a snapshot, kept up to date by createInstance and dropInstance)
   * so that finding an instance's children does not walk every instance: terminating or completing
   * a scope with thousands of children stays linear.
   */
  private readonly childKeys = new Map<string, Set<string>>();
  /** Parallel multi-instance bodies with inner instances still to create (batching). */
  readonly pendingBodies = new Set<string>();
  private readonly batching: EngineOptions['batching'];
  private batchingEnabled: boolean | undefined;
  private spawnSlots = Infinity;
  private draining = false;

  constructor(opts: EngineOptions) {
    this.model = opts.model;
    this.index = new ModelIndex(opts.model);
    this.runtime = opts.runtime;
    this.processInstanceKey = opts.processInstanceKey;
    this.hasParent = opts.hasParent;
    this.parentCatchesErrors = opts.parentCatchesErrors ?? 'all';
    this.handlers = opts.handlers;
    this.state = opts.snapshot ?? {
      keyCounter: 0,
      seq: 0,
      instances: {},
      variables: {},
      joins: [],
      incidents: {},
      completedTasks: [],
    };
    this.scopes = new Scopes(this);
    for (const inst of Object.values(this.state.instances)) {
      this.indexChild(inst);
      const loop = inst.loop;
      if (inst.elementType === 'multiInstanceBody' && inst.state === 'ACTIVE' && loop && loop.next < loop.items.length) {
        if (!this.model.nodes[inst.elementId]?.multiInstance?.sequential) this.pendingBodies.add(inst.key);
      }
    }
    this.batching = opts.batching;
    this.limits = resolveLimits(opts.limits);
    this.budget = new VariableBudget(this.state, opts.variableLimits ?? DEFAULT_VARIABLE_LIMITS);
    this.sla = new SlaClocks(this, opts.slaClocks ?? false);
  }

  get result(): ProcessInstanceResult | undefined {
    return this.state.ended;
  }

  // ---------------------------------------------------------------- keys, events, agenda

  nextKey(): string {
    this.state.keyCounter += 1;
    return (BigInt(this.processInstanceKey) + BigInt(this.state.keyCounter)).toString();
  }

  emit(event: DistributiveOmit<EngineEvent, 'seq' | 'at'>): void {
    this.state.seq += 1;
    this.events.push({ ...event, seq: this.state.seq, at: this.runtime.now() } as EngineEvent);
  }

  drainEvents(): EngineEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Runs `step` after the current step; steps run in FIFO order until none is left. */
  schedule(step: () => void): void {
    this.agenda.push(step);
  }

  /** Runs `step` and everything it schedules. */
  run(step: () => void): void {
    this.agenda.push(step);
    if (this.draining) return;
    this.draining = true;
    this.spawnSlots = this.batching?.innerPerStep ?? Infinity;
    try {
      withFeelLimits(this.limits, () => {
        while (this.agenda.length > 0) this.agenda.shift()!();
      });
    } finally {
      this.draining = false;
    }
  }

  /** Whether one more multi-instance inner instance may be created in this step. */
  takeSpawnSlot(): boolean {
    if (this.spawnSlots > 0) {
      this.spawnSlots -= 1;
      return true;
    }
    this.batchingEnabled ??= this.batching?.enabled() ?? false;
    return !this.batchingEnabled;
  }

  handler(type: string): ElementHandler<FlowNode> {
    const h = this.handlers[type];
    if (!h) throw new Error(`no handler for element type ${type}`);
    return h as unknown as ElementHandler<FlowNode>;
  }

  node(id: string): FlowNode {
    const n = this.model.nodes[id];
    if (!n) throw new Error(`unknown element ${id}`);
    return n;
  }

  instance(key: string): ElementInstance | undefined {
    return this.state.instances[key];
  }

  /** The element instances directly inside a scope, in creation order. */
  children(scopeKey: string): ElementInstance[] {
    const keys = this.childKeys.get(scopeKey);
    if (!keys) return [];
    const out: ElementInstance[] = [];
    for (const k of keys) out.push(this.state.instances[k]!);
    return out;
  }

  hasChildren(scopeKey: string): boolean {
    return (this.childKeys.get(scopeKey)?.size ?? 0) > 0;
  }

  private indexChild(inst: ElementInstance): void {
    if (inst.flowScopeKey === null) return;
    let keys = this.childKeys.get(inst.flowScopeKey);
    if (!keys) this.childKeys.set(inst.flowScopeKey, (keys = new Set()));
    keys.add(inst.key);
  }

  // ---------------------------------------------------------------- variables

  /** The FEEL context seen from a scope: every enclosing scope's variables, innermost wins. */
  context(scopeKey: string | null): Variables {
    const chain: string[] = [];
    let cur = scopeKey ? this.state.instances[scopeKey] : undefined;
    while (cur) {
      chain.unshift(cur.key);
      cur = cur.flowScopeKey ? this.state.instances[cur.flowScopeKey] : undefined;
    }
    const ctx: Variables = {};
    for (const k of chain) Object.assign(ctx, this.state.variables[k]);
    return ctx;
  }

  /**
   * Throws VariableRejectedError (an ExpressionError: guarded steps turn it into an incident) for a
   * value over the limits. `copy`: the value is a part of an admitted variable (a multi-instance
   * item), counted but not refused.
   */
  setLocal(scopeKey: string, name: string, value: unknown, copy = false): void {
    if (copy) this.budget.count(scopeKey, name, value);
    else this.budget.admit(scopeKey, name, value);
    const vars = (this.state.variables[scopeKey] ??= {});
    vars[name] = value;
    this.emit({ type: 'VARIABLE', scopeKey, name, value });
  }

  /** Sets a variable where it already exists on the way up from `fromKey`, else on the root scope. */
  propagate(fromKey: string | null, name: string, value: unknown): void {
    let cur = fromKey ? this.state.instances[fromKey] : undefined;
    while (cur) {
      if (cur.hasScope && this.state.variables[cur.key] && name in this.state.variables[cur.key]!) {
        this.setLocal(cur.key, name, value);
        return;
      }
      cur = cur.flowScopeKey ? this.state.instances[cur.flowScopeKey] : undefined;
    }
    this.setLocal(this.processInstanceKey, name, value);
  }

  propagateAll(fromKey: string | null, vars: Variables): void {
    for (const [k, v] of Object.entries(vars)) this.propagate(fromKey, k, v);
  }

  /** The scope a new child of `inst` reads from: itself if it has a scope, else its flow scope. */
  scopeOf(inst: ElementInstance): string {
    if (inst.hasScope) return inst.key;
    return inst.flowScopeKey ?? this.processInstanceKey;
  }

  // ---------------------------------------------------------------- lifecycle

  createInstance(elementId: string, elementType: string, flowScopeKey: string | null, key = this.nextKey()): ElementInstance {
    const inst: ElementInstance = {
      key,
      elementId,
      elementType,
      flowScopeKey,
      state: 'ACTIVATING',
      hasScope: false,
      waits: [],
      startedAt: this.runtime.now(),
    };
    this.state.instances[key] = inst;
    this.indexChild(inst);
    this.transition(inst, 'ACTIVATING');
    return inst;
  }

  transition(inst: ElementInstance, state: ElementState): void {
    inst.state = state;
    this.emit({
      type: 'ELEMENT',
      key: inst.key,
      elementId: inst.elementId,
      elementType: inst.elementType,
      flowScopeKey: inst.flowScopeKey,
      state,
    });
    this.sla.onTransition(inst, state);
  }

  /** A token arrives at `elementId` over `flowId` (joins may hold it back). */
  arrive(elementId: string, flowScopeKey: string, flowId?: string): void {
    const node = this.node(elementId);
    if ((node.type === 'parallelGateway' || node.type === 'inclusiveGateway') && node.incoming.length > 1 && flowId) {
      this.scopes.arriveAtJoin(node, flowScopeKey, flowId);
      return;
    }
    this.activate(elementId, flowScopeKey);
  }

  /** Creates and activates an element instance (or its multi-instance body). */
  activate(elementId: string, flowScopeKey: string, init?: { locals?: Variables; loopCounter?: number; inner?: boolean }): ElementInstance | undefined {
    const node = this.node(elementId);
    if (node.multiInstance && !init?.inner) {
      return this.scopes.activateMultiInstanceBody(node, flowScopeKey);
    }
    const inst = this.createInstance(elementId, node.type, flowScopeKey);
    if (init?.loopCounter !== undefined) inst.loopCounter = init.loopCounter;
    if (init?.locals || node.io?.inputs.length || node.type === 'subProcess' || node.type === 'callActivity') {
      inst.hasScope = true;
      this.state.variables[inst.key] = {};
      for (const [k, v] of Object.entries(init?.locals ?? {})) this.setLocal(inst.key, k, v, true);
    }
    this.enter(inst);
    return inst;
  }

  /**
   * Input mappings, then the SLA clock (which may have to wait for its policy), then proceed. Re-run
   * when an incident resolves.
   */
  enter(inst: ElementInstance): void {
    const node = this.node(inst.elementId);
    if (!this.guard(inst, 'IO_MAPPING_ERROR', 'activate', () => {
      for (const m of node.io?.inputs ?? []) {
        const value = evalFeel(m.source, this.context(inst.key));
        // A nested target builds on what earlier mappings of this element wrote, not on outer variables (as Zeebe).
        const { name, keys } = targetPath(m.target);
        this.setLocal(inst.key, name, withValueAt(this.state.variables[inst.key]?.[name], keys, value));
      }
    })) return;
    let ready = true;
    if (!this.guard(inst, 'SLA_ERROR', 'activate', () => (ready = this.sla.beforeActive(inst, node))) || !ready) return;
    this.proceed(inst);
  }

  /** ACTIVE, then subscriptions, then the handler (after enter, or once the element's SLA clock started). */
  proceed(inst: ElementInstance): void {
    const node = this.node(inst.elementId);
    this.transition(inst, 'ACTIVE');
    if (!(node.multiInstance && inst.loopCounter !== undefined)) this.scopes.subscribeBoundaries(inst, node);
    if (node.type === 'subProcess') this.scopes.subscribeEventSubprocesses(inst);
    this.guard(inst, 'EXTRACT_VALUE_ERROR', 'activate', () => this.handler(node.type).activate(this, inst, node));
  }

  /**
   * Runs `fn`; an ElementFailure (expression, value or limit, see errors.ts) becomes an incident on
   * `inst` that, when resolved, retries `retry`. Anything else is a programming error: it is thrown
   * on, fails the workflow task and is retried by Temporal until a fixed worker runs it.
   * Returns whether `fn` succeeded.
   */
  guard(inst: ElementInstance, type: IncidentType, retry: IncidentRecord['retry'], fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      if (err instanceof ElementFailure) {
        this.raiseIncident(inst, err instanceof VariableRejectedError && err.sizeExceeded ? 'MESSAGE_SIZE_EXCEEDED' : type, err.message, retry);
        return false;
      }
      throw err;
    }
  }

  /** Delivers a trigger to an element instance's handler (default: complete with its variables). */
  trigger(inst: ElementInstance, trigger: Trigger): void {
    const node = this.node(inst.elementId);
    const h = this.handler(node.type);
    if (h.trigger) {
      this.guard(inst, 'EXTRACT_VALUE_ERROR', 'activate', () => h.trigger!(this, inst, node, trigger));
      return;
    }
    const vars = 'variables' in trigger ? trigger.variables : undefined;
    this.complete(inst, vars);
  }

  /** Completes an element: output mappings (or propagation of `result`), COMPLETED, then leave. */
  complete(inst: ElementInstance, result?: Variables): void {
    if (inst.state !== 'ACTIVE') return;
    if (inst.elementType === 'multiInstanceBody') {
      this.scopes.completeBody(inst);
      return;
    }
    const node = this.model.nodes[inst.elementId];
    if (result && !node?.io?.outputs.length && !this.resultFits(inst, result)) return;
    this.transition(inst, 'COMPLETING');
    this.closeWaits(inst);
    if (!this.applyOutputs(inst, node, result)) return;
    this.finishCompletion(inst);
  }

  /**
   * A result propagated as it is (no output mappings) must fit the variable limits before the element
   * completes; otherwise an incident holds the element ACTIVE and its resolution activates it again
   * (a job runs again, a catch event waits for the next message), so nothing half-applied remains.
   */
  private resultFits(inst: ElementInstance, result: Variables): boolean {
    const problem = this.budget.problemOf(result, this.context(inst.hasScope ? inst.key : inst.flowScopeKey));
    if (!problem) return true;
    const sized = problem.problem === 'VARIABLE_TOO_LARGE' || problem.problem === 'TOTAL_TOO_LARGE';
    this.raiseIncident(inst, sized ? 'MESSAGE_SIZE_EXCEEDED' : 'IO_MAPPING_ERROR', problem.message, 'activate');
    return false;
  }

  /** Output mappings; false when they failed (an incident now holds the element). */
  applyOutputs(inst: ElementInstance, node: FlowNode | undefined, result?: Variables): boolean {
    return this.guard(inst, 'IO_MAPPING_ERROR', 'complete', () => {
      const outputs = node?.io?.outputs ?? [];
      if (outputs.length > 0) {
        const ctx = { ...this.context(inst.hasScope ? inst.key : inst.flowScopeKey), ...(result ?? {}) };
        const values = outputs.map((m) => [targetPath(m.target), evalFeel(m.source, ctx)] as const);
        for (const [{ name, keys }, v] of values) {
          // A nested target merges into the variable as the flow scope sees it (as Zeebe).
          const merged = keys.length > 0 ? withValueAt(this.context(inst.flowScopeKey)[name], keys, v) : v;
          this.propagate(inst.flowScopeKey, name, merged);
        }
      } else if (result) {
        this.propagateAll(inst.hasScope ? inst.key : inst.flowScopeKey, result);
      }
    });
  }

  finishCompletion(inst: ElementInstance): void {
    this.transition(inst, 'COMPLETED');
    const scope = inst.flowScopeKey ? this.state.instances[inst.flowScopeKey] : undefined;
    const body = scope?.elementType === 'multiInstanceBody' && inst.loopCounter !== undefined ? scope : undefined;
    const loopOutput = body ? this.scopes.innerOutput(inst) : undefined;
    const rootVariables = inst.elementType === 'process' ? this.rootVariables() : undefined;
    this.dropInstance(inst);
    if (rootVariables) {
      this.endProcess({ outcome: 'completed', variables: rootVariables });
      return;
    }
    if (body) this.scopes.innerCompleted(body, inst, loopOutput);
    else this.leave(inst, this.node(inst.elementId));
    if (inst.flowScopeKey) this.scopes.scheduleCompletionCheck(inst.flowScopeKey);
  }

  leave(inst: ElementInstance, node: FlowNode): void {
    const h = this.handler(node.type);
    if (h.leave && inst.elementType !== 'multiInstanceBody') {
      h.leave(this, inst, node);
      return;
    }
    this.takeFlows(inst.flowScopeKey!, node.outgoing);
  }

  takeFlows(flowScopeKey: string, flowIds: string[]): void {
    for (const fid of flowIds) {
      const flow = this.model.flows[fid]!;
      this.arrive(flow.targetRef, flowScopeKey, fid);
    }
  }

  /**
   * Terminates an element and everything inside it. Linear in the number of instances in the tree:
   * children come from the scope index, incidents from the instance's own waits, and the joins of
   * all terminated scopes are dropped in one pass at the end.
   */
  terminate(inst: ElementInstance): void {
    const scopes = new Set<string>();
    this.terminateTree(inst, scopes);
    if (scopes.size > 0 && this.state.joins.length > 0) this.state.joins = this.state.joins.filter((j) => !scopes.has(j.scopeKey));
  }

  private terminateTree(inst: ElementInstance, terminated: Set<string>): void {
    if (inst.state === 'TERMINATED' || inst.state === 'COMPLETED' || inst.state === 'TERMINATING') return;
    this.transition(inst, 'TERMINATING');
    for (const child of this.children(inst.key)) this.terminateTree(child, terminated);
    terminated.add(inst.key);
    const node = this.model.nodes[inst.elementId];
    if (node && inst.elementType !== 'multiInstanceBody') this.handler(node.type).terminate?.(this, inst, node);
    const incidentKeys = inst.waits.flatMap((w) => (w.kind === 'incident' ? [w.incidentKey] : []));
    this.closeWaits(inst);
    for (const key of incidentKeys) {
      const inc = this.state.incidents[key];
      if (inc) this.dropIncident(inc);
    }
    this.transition(inst, 'TERMINATED');
    this.dropInstance(inst);
  }

  dropInstance(inst: ElementInstance): void {
    this.budget.release(inst.key);
    delete this.state.instances[inst.key];
    delete this.state.variables[inst.key];
    if (inst.flowScopeKey !== null) {
      const siblings = this.childKeys.get(inst.flowScopeKey);
      siblings?.delete(inst.key);
      if (siblings?.size === 0) this.childKeys.delete(inst.flowScopeKey);
    }
  }

  rootVariables(): Variables {
    return { ...(this.state.variables[this.processInstanceKey] ?? {}) };
  }

  endProcess(result: ProcessInstanceResult): void {
    if (this.state.ended) return;
    this.state.ended = result;
    // A called instance that hands an error to its caller was terminated (as in Camunda 8, where
    // the caller's catch event terminates the call activity and with it the called instance).
    this.emit({ type: 'PROCESS_INSTANCE_ENDED', state: result.outcome === 'completed' ? 'COMPLETED' : 'TERMINATED' });
  }

  // ---------------------------------------------------------------- waits

  openWait(inst: ElementInstance, wait: Wait): void {
    inst.waits.push(wait);
    if (wait.kind === 'message') {
      this.emit({
        type: 'MESSAGE_SUBSCRIPTION_OPENED',
        elementInstanceKey: inst.key,
        elementId: wait.triggersElementId ?? inst.elementId,
        messageName: wait.messageName,
        correlationKey: wait.correlationKey,
      });
    } else if (wait.kind === 'signal') {
      this.emit({ type: 'SIGNAL_SUBSCRIPTION_OPENED', elementInstanceKey: inst.key, elementId: wait.triggersElementId ?? inst.elementId, signalName: wait.signalName });
    }
  }

  closeWaits(inst: ElementInstance, filter: (w: Wait) => boolean = () => true): void {
    const keep: Wait[] = [];
    let closedMessage = false;
    let closedSignal = false;
    for (const w of inst.waits) {
      if (!filter(w)) {
        keep.push(w);
        continue;
      }
      if (w.kind === 'message') closedMessage = true;
      if (w.kind === 'signal') closedSignal = true;
    }
    inst.waits = keep;
    const stillMessage = keep.some((w) => w.kind === 'message');
    const stillSignal = keep.some((w) => w.kind === 'signal');
    if (closedMessage && !stillMessage) this.emit({ type: 'MESSAGE_SUBSCRIPTION_CLOSED', elementInstanceKey: inst.key });
    if (closedSignal && !stillSignal) this.emit({ type: 'SIGNAL_SUBSCRIPTION_CLOSED', elementInstanceKey: inst.key });
  }

  // ---------------------------------------------------------------- incidents

  /** An error nothing here caught: the caller gets it if it catches it, else an incident holds the thrower. */
  unhandledError(inst: ElementInstance, errorCode: string, errorMessage: string | undefined, retry: IncidentRecord['retry']): void {
    const callerCatches = this.parentCatchesErrors === 'all' || this.parentCatchesErrors.includes(errorCode);
    if (this.hasParent && callerCatches) {
      const variables = this.rootVariables();
      const root = this.state.instances[this.processInstanceKey];
      if (root) this.terminate(root);
      this.endProcess({ outcome: 'error', errorCode, variables, ...(errorMessage ? { errorMessage } : {}) });
      return;
    }
    const detail = errorMessage ? ` (${errorMessage})` : '';
    this.raiseIncident(
      inst,
      'UNHANDLED_ERROR_EVENT',
      `error '${errorCode}'${detail} thrown by ${inst.elementId} was not caught: no error boundary event or error event subprocess matches it`,
      retry,
    );
  }

  raiseIncident(inst: ElementInstance, type: IncidentType, message: string, retry: IncidentRecord['retry']): IncidentRecord {
    const key = this.nextKey();
    const rec: IncidentRecord = { key, type, message, elementInstanceKey: inst.key, elementId: inst.elementId, retry };
    this.state.incidents[key] = rec;
    inst.waits.push({ kind: 'incident', incidentKey: key });
    this.emit({ type: 'INCIDENT_CREATED', key, elementInstanceKey: inst.key, elementId: inst.elementId, errorType: type, message });
    return rec;
  }

  dropIncident(inc: IncidentRecord): void {
    delete this.state.incidents[inc.key];
    this.emit({ type: 'INCIDENT_RESOLVED', key: inc.key });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
