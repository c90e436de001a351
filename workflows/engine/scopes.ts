/**
 * Behaviours shared by many elements: boundary events, event subprocesses, joins, multi-instance
 * bodies, scope completion, and the propagation of thrown errors and escalations.
 */
import type { EventDefinition, FlowNode, NodeOf } from '../../bpmn/model.js';
import type { ElementInstance, Variables, Wait } from '../types.js';
import type { Engine } from './engine.js';
import { ElementFailure, LimitExceeded } from './errors.js';
import { evalBoolean, evalFeel, evalList } from './feel.js';
import { nextOccurrence, waitFor } from './waits.js';

export class Scopes {
  constructor(private readonly engine: Engine) {}

  // ---------------------------------------------------------------- subscriptions

  subscribeBoundaries(inst: ElementInstance, node: FlowNode): void {
    const e = this.engine;
    for (const b of e.index.boundaries.get(node.id) ?? []) {
      const w = waitFor(b.event, e.context(e.scopeOf(inst)), e.runtime.now(), b.id);
      if (w) e.openWait(inst, w);
    }
  }

  /** Opens the timer/message/signal starts of the event subprocesses directly inside `scope`. */
  subscribeEventSubprocesses(scope: ElementInstance): void {
    const e = this.engine;
    const scopeId = scope.elementType === 'process' ? '' : scope.elementId;
    for (const sub of e.index.eventSubprocesses.get(scopeId) ?? []) {
      const start = e.index.eventSubprocessStart(sub.id);
      const w = waitFor(start.event, e.context(scope.key), e.runtime.now(), start.id);
      if (w) e.openWait(scope, w);
    }
  }

  /** A wait of `inst` fired (timer, message or signal), with the variables it carries. */
  fire(inst: ElementInstance, wait: Wait, variables: Variables): void {
    const e = this.engine;
    const targetId = wait.triggersElementId;
    if (wait.kind === 'timer') {
      const next = nextOccurrence(wait);
      const i = inst.waits.indexOf(wait);
      if (i >= 0) inst.waits.splice(i, 1);
      if (next) inst.waits.push(next);
    }
    if (!targetId) {
      if (wait.kind !== 'timer') e.closeWaits(inst, (w) => w === wait);
      const trigger =
        wait.kind === 'timer' ? { kind: 'timer' as const, wait } : wait.kind === 'signal' ? { kind: 'signal' as const, variables } : { kind: 'message' as const, variables };
      e.trigger(inst, trigger);
      return;
    }
    const target = e.node(targetId);
    if (target.type === 'boundaryEvent') {
      if (target.cancelActivity && wait.kind !== 'timer') e.closeWaits(inst, (w) => w === wait);
      this.triggerBoundary(inst, target, variables);
    } else if (target.type === 'startEvent') {
      if (target.interrupting && wait.kind !== 'timer') e.closeWaits(inst, (w) => w === wait);
      this.triggerEventSubprocess(inst, target, variables);
    } else {
      // An event after an event-based gateway: the gateway completes and only this path continues.
      e.closeWaits(inst);
      e.complete(inst);
      const next = e.createInstance(targetId, target.type, inst.flowScopeKey!);
      e.transition(next, 'ACTIVE');
      e.complete(next, variables);
    }
  }

  triggerBoundary(attached: ElementInstance, boundary: NodeOf<'boundaryEvent'>, variables: Variables): void {
    const e = this.engine;
    const scopeKey = attached.flowScopeKey!;
    if (boundary.cancelActivity) e.terminate(attached);
    const b = e.createInstance(boundary.id, 'boundaryEvent', scopeKey);
    e.transition(b, 'ACTIVE');
    e.complete(b, variables);
  }

  triggerEventSubprocess(scope: ElementInstance, start: NodeOf<'startEvent'>, variables: Variables): void {
    const e = this.engine;
    const subId = start.parentId!;
    if (start.interrupting) {
      for (const child of e.children(scope.key)) e.terminate(child);
      e.state.joins = e.state.joins.filter((j) => j.scopeKey !== scope.key);
      e.closeWaits(scope, (w) => w.triggersElementId !== undefined && e.node(w.triggersElementId).type === 'startEvent');
    }
    const sub = e.createInstance(subId, 'subProcess', scope.key);
    sub.hasScope = true;
    e.state.variables[sub.key] = {};
    e.transition(sub, 'ACTIVE');
    this.subscribeEventSubprocesses(sub);
    const s = e.createInstance(start.id, 'startEvent', sub.key);
    e.transition(s, 'ACTIVE');
    e.complete(s, variables);
  }

  // ---------------------------------------------------------------- scope completion and joins

  scheduleCompletionCheck(scopeKey: string): void {
    this.engine.schedule(() => {
      this.checkInclusiveJoins(scopeKey);
      this.checkCompletion(scopeKey);
    });
  }

  private checkCompletion(scopeKey: string): void {
    const e = this.engine;
    const scope = e.instance(scopeKey);
    if (!scope || scope.state !== 'ACTIVE' || scope.elementType === 'multiInstanceBody') return;
    if (scope.waits.some((w) => w.kind === 'incident')) return;
    if (e.hasChildren(scopeKey)) return;
    if (e.state.joins.some((j) => j.scopeKey === scopeKey && Object.values(j.arrived).some((n) => n > 0))) return;
    e.complete(scope);
  }

  arriveAtJoin(node: NodeOf<'parallelGateway'> | NodeOf<'inclusiveGateway'>, scopeKey: string, flowId: string): void {
    const e = this.engine;
    let join = e.state.joins.find((j) => j.scopeKey === scopeKey && j.gatewayId === node.id);
    if (!join) {
      join = { scopeKey, gatewayId: node.id, arrived: {} };
      e.state.joins.push(join);
    }
    join.arrived[flowId] = (join.arrived[flowId] ?? 0) + 1;
    if (node.type === 'parallelGateway') {
      if (node.incoming.every((f) => (join.arrived[f] ?? 0) > 0)) {
        for (const f of node.incoming) join.arrived[f] = join.arrived[f]! - 1;
        this.dropEmptyJoins();
        e.activate(node.id, scopeKey);
      }
    } else {
      this.scheduleCompletionCheck(scopeKey);
    }
  }

  /** An inclusive join fires once no active path in its scope can still reach it. */
  private checkInclusiveJoins(scopeKey: string): void {
    const e = this.engine;
    for (const join of [...e.state.joins]) {
      if (join.scopeKey !== scopeKey) continue;
      const node = e.model.nodes[join.gatewayId];
      if (node?.type !== 'inclusiveGateway' || !Object.values(join.arrived).some((n) => n > 0)) continue;
      const blockedByInstance = e
        .children(scopeKey)
        .some((i) => i.elementId !== node.id && e.index.reachable(i.elementId).has(node.id));
      const blockedByJoin = e.state.joins.some(
        (j) =>
          j !== join &&
          j.scopeKey === scopeKey &&
          Object.values(j.arrived).some((n) => n > 0) &&
          e.index.reachable(j.gatewayId).has(node.id),
      );
      if (blockedByInstance || blockedByJoin) continue;
      join.arrived = {};
      this.dropEmptyJoins();
      e.activate(node.id, scopeKey);
    }
  }

  private dropEmptyJoins(): void {
    const e = this.engine;
    e.state.joins = e.state.joins.filter((j) => Object.values(j.arrived).some((n) => n > 0));
  }

  // ---------------------------------------------------------------- multi-instance

  activateMultiInstanceBody(node: FlowNode, flowScopeKey: string): ElementInstance {
    const e = this.engine;
    const body = e.createInstance(node.id, 'multiInstanceBody', flowScopeKey);
    body.hasScope = true;
    e.state.variables[body.key] = {};
    e.transition(body, 'ACTIVE');
    this.subscribeBoundaries(body, node);
    this.startLoop(body);
    return body;
  }

  startLoop(body: ElementInstance): void {
    const e = this.engine;
    const node = e.node(body.elementId);
    const mi = node.multiInstance!;
    e.guard(body, 'EXTRACT_VALUE_ERROR', 'activate', () => {
      const items = evalList(mi.inputCollection, e.context(body.key), 'input collection');
      if (items.length > e.limits.multiInstanceCardinality) {
        throw new LimitExceeded(
          'multiInstanceCardinality',
          `多实例数量超出限制 / too many instances: the input collection '${mi.inputCollection}' of ${node.id} has ${items.length} items; at most ${e.limits.multiInstanceCardinality} inner instances are allowed (limit multiInstanceCardinality)`,
        );
      }
      body.loop = { items, next: 0, completed: 0, outputs: items.map(() => null), innerActive: 0 };
      if (mi.outputCollection) e.setLocal(body.key, mi.outputCollection, [...body.loop.outputs]);
      if (items.length === 0) {
        this.completeBody(body);
      } else if (mi.sequential) {
        this.spawnInner(body, node);
      } else {
        this.spawnParallel(body, node);
      }
    });
  }

  /** Creates the inner instances of a parallel body, as many as this step may; the rest wait in pendingBodies. */
  spawnParallel(body: ElementInstance, node: FlowNode): void {
    const e = this.engine;
    const loop = body.loop!;
    while (loop.next < loop.items.length) {
      if (!e.takeSpawnSlot()) {
        e.pendingBodies.add(body.key);
        return;
      }
      this.spawnInner(body, node);
    }
  }

  private spawnInner(body: ElementInstance, node: FlowNode): void {
    const loop = body.loop!;
    const i = loop.next;
    loop.next += 1;
    loop.innerActive += 1;
    const locals: Variables = { loopCounter: i + 1 };
    const inputElement = node.multiInstance!.inputElement;
    if (inputElement) locals[inputElement] = loop.items[i];
    this.engine.activate(node.id, body.key, { locals, loopCounter: i + 1, inner: true });
  }

  /** Evaluates the output element of an inner instance before its scope is dropped. */
  innerOutput(inner: ElementInstance): unknown {
    const e = this.engine;
    const mi = e.node(inner.elementId).multiInstance!;
    if (!mi.outputElement) return null;
    try {
      return evalFeel(mi.outputElement, e.context(inner.key));
    } catch (err) {
      if (err instanceof ElementFailure) return null;
      throw err;
    }
  }

  innerCompleted(body: ElementInstance, inner: ElementInstance, output: unknown): void {
    const e = this.engine;
    const loop = body.loop!;
    const mi = e.node(body.elementId).multiInstance!;
    loop.outputs[inner.loopCounter! - 1] = output;
    loop.completed += 1;
    loop.innerActive -= 1;
    // An output collection grown past the variable limits holds the body with an incident; resolving it resumes the loop.
    if (mi.outputCollection && !e.guard(body, 'IO_MAPPING_ERROR', 'complete', () => e.setLocal(body.key, mi.outputCollection!, [...loop.outputs]))) return;
    this.resumeLoop(body);
  }

  /** After an inner instance completed (or a completion-condition incident was resolved). */
  resumeLoop(body: ElementInstance): void {
    const e = this.engine;
    const loop = body.loop!;
    const node = e.node(body.elementId);
    const mi = node.multiInstance!;
    let done = loop.completed >= loop.items.length;
    if (!done && mi.completionCondition) {
      const ctx = {
        ...e.context(body.key),
        numberOfInstances: loop.items.length,
        numberOfActiveInstances: loop.innerActive,
        numberOfCompletedInstances: loop.completed,
      };
      const ok = e.guard(body, 'CONDITION_ERROR', 'complete', () => {
        done = evalBoolean(mi.completionCondition!, ctx);
      });
      if (!ok) return;
    }
    if (done) {
      for (const child of e.children(body.key)) e.terminate(child);
      this.completeBody(body);
    } else if (mi.sequential && loop.next < loop.items.length) {
      this.spawnInner(body, node);
    }
  }

  completeBody(body: ElementInstance): void {
    const e = this.engine;
    if (body.state !== 'ACTIVE') return;
    const mi = e.node(body.elementId).multiInstance!;
    // Set before COMPLETING: over the variable limits, an incident holds the body ACTIVE (resolving it tries again).
    if (mi.outputCollection && !e.guard(body, 'IO_MAPPING_ERROR', 'complete', () => e.propagate(body.flowScopeKey, mi.outputCollection!, [...body.loop!.outputs]))) {
      return;
    }
    e.transition(body, 'COMPLETING');
    e.closeWaits(body);
    e.finishCompletion(body);
  }

  // ---------------------------------------------------------------- errors and escalations

  /**
   * Throws an escalation from `from`; if nothing here catches it, a called instance hands it to its
   * call activity in the caller. An escalation nobody catches is not an incident.
   */
  escalate(from: ElementInstance, code: string, variables: Variables): void {
    if (!this.throwEvent(from, 'escalation', code, variables) && this.engine.hasParent) {
      this.engine.runtime.escalateToParent(code, variables);
    }
  }

  /**
   * The error codes that would be caught if `from` threw an error ('all' when a catch-all would
   * catch it), including what the callers of this instance catch. Used for call activities.
   */
  catchableErrors(from: ElementInstance): string[] | 'all' {
    const e = this.engine;
    const codes = new Set<string>(e.hasParent && e.parentCatchesErrors !== 'all' ? e.parentCatchesErrors : []);
    if (e.hasParent && e.parentCatchesErrors === 'all') return 'all';
    let cur: ElementInstance | undefined = from;
    let below: ElementInstance | undefined;
    while (cur) {
      const level: ElementInstance = cur;
      const events: EventDefinition[] = [];
      if (level.elementType === 'process' || level.elementType === 'subProcess') {
        for (const sub of e.index.eventSubprocesses.get(level.elementType === 'process' ? '' : level.elementId) ?? []) {
          if (sub.id !== below?.elementId) events.push(e.index.eventSubprocessStart(sub.id).event);
        }
      }
      if (level.elementType !== 'process' && level.loopCounter === undefined) {
        for (const b of e.index.boundaries.get(level.elementId) ?? []) events.push(b.event);
      }
      for (const ev of events) {
        if (ev.kind !== 'error') continue;
        if (ev.errorCode === undefined) return 'all';
        codes.add(ev.errorCode);
      }
      below = level;
      cur = level.flowScopeKey ? e.instance(level.flowScopeKey) : undefined;
    }
    return [...codes];
  }

  /**
   * Finds the catcher of a thrown error or escalation, from the thrower outwards. Each enclosing
   * instance is one level: the event subprocesses of a (sub)process instance, then the boundary
   * events of the activity. Within a level a catch event with the thrown code wins over a catch-all
   * one (no code), as in Zeebe. Returns false if nothing catches it.
   */
  throwEvent(from: ElementInstance, kind: 'error' | 'escalation', code: string, variables: Variables = {}): boolean {
    const e = this.engine;
    const codeOf = (def: EventDefinition) => (def.kind === 'error' ? def.errorCode : def.kind === 'escalation' ? def.escalationCode : undefined);
    let cur: ElementInstance | undefined = from;
    let below: ElementInstance | undefined;
    while (cur) {
      const level: ElementInstance = cur;
      const catchers: Array<{ event: EventDefinition; fire: () => void }> = [];
      if (level.elementType === 'process' || level.elementType === 'subProcess') {
        for (const sub of e.index.eventSubprocesses.get(level.elementType === 'process' ? '' : level.elementId) ?? []) {
          if (sub.id === below?.elementId) continue; // an event subprocess does not catch what it throws itself
          const start = e.index.eventSubprocessStart(sub.id);
          catchers.push({ event: start.event, fire: () => this.triggerEventSubprocess(level, start, variables) });
        }
      }
      // Boundary events belong to the multi-instance body, not to its inner instances.
      if (level.elementType !== 'process' && level.loopCounter === undefined) {
        for (const b of e.index.boundaries.get(level.elementId) ?? []) {
          catchers.push({ event: b.event, fire: () => this.triggerBoundary(level, b, variables) });
        }
      }
      const ofKind = catchers.filter((c) => c.event.kind === kind);
      const hit = ofKind.find((c) => codeOf(c.event) === code) ?? ofKind.find((c) => codeOf(c.event) === undefined);
      if (hit) {
        hit.fire();
        return true;
      }
      below = level;
      cur = level.flowScopeKey ? e.instance(level.flowScopeKey) : undefined;
    }
    return false;
  }
}
