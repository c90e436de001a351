/** Small graph helpers shared by the whole-model validators. */
import type { ElementType, FlowNode } from '../model.js';

export const ACTIVITY_TYPES: ReadonlySet<ElementType> = new Set<ElementType>([
  'task',
  'manualTask',
  'userTask',
  'serviceTask',
  'sendTask',
  'scriptTask',
  'receiveTask',
  'subProcess',
  'callActivity',
]);

export function isActivity(node: FlowNode): boolean {
  return ACTIVITY_TYPES.has(node.type);
}

export function isEventSubProcess(node: FlowNode | undefined): boolean {
  return node?.type === 'subProcess' && node.triggeredByEvent;
}

/** Nodes grouped by containing scope (null = the process). */
export function byScope(nodes: Record<string, FlowNode>): Map<string | null, FlowNode[]> {
  const map = new Map<string | null, FlowNode[]>();
  for (const node of Object.values(nodes)) {
    const list = map.get(node.parentId) ?? [];
    list.push(node);
    map.set(node.parentId, list);
  }
  return map;
}

/** Boundary events by the id of the activity they are attached to. */
export function boundariesByActivity(nodes: Record<string, FlowNode>): Map<string, FlowNode[]> {
  const map = new Map<string, FlowNode[]>();
  for (const node of Object.values(nodes)) {
    if (node.type !== 'boundaryEvent') continue;
    const list = map.get(node.attachedToRef) ?? [];
    list.push(node);
    map.set(node.attachedToRef, list);
  }
  return map;
}
