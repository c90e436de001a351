/** Lookups over a ProcessModel that the interpreter needs often, computed once per run. */
import type { FlowNode, NodeOf, ProcessModel } from '../../bpmn/model.js';

export class ModelIndex {
  readonly boundaries = new Map<string, NodeOf<'boundaryEvent'>[]>();
  readonly eventSubprocesses = new Map<string, NodeOf<'subProcess'>[]>();
  private readonly byParent = new Map<string, FlowNode[]>();
  private readonly reachCache = new Map<string, Set<string>>();

  constructor(readonly model: ProcessModel) {
    for (const node of Object.values(model.nodes)) {
      const parent = node.parentId ?? '';
      if (!this.byParent.has(parent)) this.byParent.set(parent, []);
      this.byParent.get(parent)!.push(node);
      if (node.type === 'boundaryEvent') {
        if (!this.boundaries.has(node.attachedToRef)) this.boundaries.set(node.attachedToRef, []);
        this.boundaries.get(node.attachedToRef)!.push(node);
      }
      if (node.type === 'subProcess' && node.triggeredByEvent) {
        if (!this.eventSubprocesses.has(parent)) this.eventSubprocesses.set(parent, []);
        this.eventSubprocesses.get(parent)!.push(node);
      }
    }
  }

  /** Direct children of a scope (null = the process). */
  childrenOf(scopeId: string | null): FlowNode[] {
    return this.byParent.get(scopeId ?? '') ?? [];
  }

  /** The none start event of a scope. */
  noneStart(scopeId: string | null): FlowNode | undefined {
    return this.childrenOf(scopeId).find((n) => n.type === 'startEvent' && n.event.kind === 'none');
  }

  /** The start event of an event subprocess. */
  eventSubprocessStart(subprocessId: string): NodeOf<'startEvent'> {
    const start = this.childrenOf(subprocessId).find((n) => n.type === 'startEvent');
    if (!start || start.type !== 'startEvent') throw new Error(`event subprocess ${subprocessId} has no start event`);
    return start;
  }

  /** Nodes reachable from `nodeId` along sequence flows (and the flows of its boundary events). */
  reachable(nodeId: string): Set<string> {
    const cached = this.reachCache.get(nodeId);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack = [nodeId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const node = this.model.nodes[id];
      if (!node) continue;
      const next = [...node.outgoing.map((f) => this.model.flows[f]!.targetRef), ...(this.boundaries.get(id) ?? []).map((b) => b.id)];
      for (const t of next) {
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
      }
    }
    this.reachCache.set(nodeId, seen);
    return seen;
  }

  /** The link catch event with `linkName` in the same scope as `fromId`. */
  linkCatch(fromId: string, linkName: string): FlowNode | undefined {
    const parent = this.model.nodes[fromId]?.parentId ?? null;
    return this.childrenOf(parent).find(
      (n) => n.type === 'intermediateCatchEvent' && n.event.kind === 'link' && n.event.linkName === linkName,
    );
  }
}
