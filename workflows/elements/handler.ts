import type { FlowNode } from '../../bpmn/model.js';
import type { Engine } from '../engine/engine.js';
import type { ElementInstance, Variables, Wait } from '../types.js';

/** Something an element instance was waiting for has happened. */
export type Trigger =
  | { kind: 'job-completed'; variables: Variables }
  | { kind: 'user-task-completed'; variables: Variables }
  | { kind: 'child-completed'; variables: Variables }
  | { kind: 'timer'; wait: Extract<Wait, { kind: 'timer' }> }
  | { kind: 'message'; variables: Variables }
  | { kind: 'signal'; variables: Variables };

/**
 * One handler per BPMN element type (Zeebe's BpmnElementProcessor, in TypeScript). The engine owns
 * the lifecycle (states, input/output mappings, boundary subscriptions, events); a handler says what
 * the element does once it is active.
 */
export interface ElementHandler<N extends FlowNode = FlowNode> {
  /** The element is ACTIVE: complete it, or open the wait it needs. */
  activate(engine: Engine, inst: ElementInstance, node: N): void;
  /** An awaited trigger arrived. Default: complete the element with the trigger's variables. */
  trigger?(engine: Engine, inst: ElementInstance, node: N, trigger: Trigger): void;
  /** The element is being terminated: cancel outstanding work (jobs, children, tasks). */
  terminate?(engine: Engine, inst: ElementInstance, node: N): void;
  /** Take the outgoing flows after completion. Default: every outgoing flow. */
  leave?(engine: Engine, inst: ElementInstance, node: N): void;
}
