/**
 * Plug-in point for our own moddle extensions (e.g. SLA limits stored in the diagram). An extension
 * contributes a moddle descriptor; its extension elements are not refused as unknown but handed to
 * `applyToNode`, which fills model fields (such as `sla`) and reports its own problems.
 */
import type { CodedMessage } from './messages.js';
import type { El } from './moddle.js';
import type { FlowNode, Lane, ProcessModel } from './model.js';

/**
 * Extensions report problems as catalogue messages (bpmn/messages.ts `msg`); a plain string is
 * accepted too and gets the code 'bpmn.extension.problem' (shown as written in every language).
 */
export interface CompilerExtension {
  /** The descriptor's prefix, e.g. "gd" for elements written as <gd:sla>. */
  readonly prefix: string;
  /** The moddle package descriptor (JSON with name, uri, prefix, types). */
  readonly descriptor: Record<string, unknown>;
  /**
   * Called for every compiled flow node. `extensions` are the node's extension elements of this
   * package (possibly none); `element` is the moddle element, for extension attributes.
   */
  applyToNode?(args: {
    element: El;
    node: FlowNode;
    extensions: El[];
    report: (m: CodedMessage | string) => void;
  }): void;
  /**
   * Called once per process after its nodes are compiled, with the process's extension elements of
   * this package; returns the model fields it contributes (e.g. `slaSpans`).
   */
  applyToProcess?(args: {
    element: El;
    nodes: Readonly<Record<string, FlowNode>>;
    lanes: readonly Lane[];
    extensions: El[];
    report: (elementId: string, elementType: string, m: CodedMessage | string) => void;
  }): Partial<Pick<ProcessModel, 'slaSpans'>>;
}
