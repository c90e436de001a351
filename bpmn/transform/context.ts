/**
 * State shared by the transformers of one process: the nodes and flows built so far, what every
 * flow element id was in the source, and helpers that report problems against an element.
 */
import { classify, feelSyntaxError, integerLiteral, listLiteral, stringLiteral } from '../feel.js';
import { idOf, typeOf, type El } from '../moddle.js';
import type { Expression, FlowNode, SequenceFlow } from '../model.js';
import type { Problems } from '../problems.js';
import type { CompilerExtension } from '../extension.js';
import { DEFAULT_MIN_TIMER_CYCLE_MS } from '../timer-policy.js';
import { msg, type CodedMessage, type LabelCode, type MessageParams } from '../messages.js';

/**
 * What an attribute is, for messages: a label code ('label.assignee'), or a label code with the
 * params its template needs ({ label: 'label.messageName', messageId: 'Msg_1' }).
 */
export type LabelRef = LabelCode | ({ label: LabelCode } & MessageParams);

function labelParams(label: LabelRef): { label: LabelCode } & MessageParams {
  return typeof label === 'string' ? { label } : label;
}

/** The container a flow element lives in. */
export interface Scope {
  /** Subprocess id, or null for the process itself. */
  readonly id: string | null;
  readonly el: El;
  readonly kind: 'process' | 'subProcess' | 'eventSubProcess';
}

/** How a static (non-'=') attribute value becomes FEEL. */
export type StaticAs = 'string' | 'list' | 'integer' | 'forbidden';

export interface PendingFlow {
  readonly el: El;
  readonly scope: Scope;
}

const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const VARIABLE_PATH = /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

export class ProcessBuilder {
  readonly nodes: Record<string, FlowNode> = {};
  readonly flows: Record<string, SequenceFlow> = {};
  /** bpmn $type of every flow element met in the source (compiled, ignored or refused), by id. */
  readonly sourceTypes = new Map<string, string>();
  /** Container (null = process) of every flow element met in the source, by id. */
  readonly containerOf = new Map<string, string | null>();
  /** Ids of elements already refused: later checks skip them to avoid follow-on noise. */
  readonly refused = new Set<string>();
  /** Targets of refused sequence flows: not also reported as unreachable (that follows from the flow). */
  readonly brokenFlowTargets = new Set<string>();
  /** Sequence flows, transformed once every node exists. */
  readonly pendingFlows: PendingFlow[] = [];

  constructor(
    readonly processEl: El,
    readonly problems: Problems,
    readonly extensions: readonly CompilerExtension[],
    /** Shortest interval of a timer cycle that repeats many times or forever (timer-policy.ts). */
    readonly minTimerCycleMs: number = DEFAULT_MIN_TIMER_CYCLE_MS,
  ) {}

  report(el: El, m: CodedMessage): void {
    this.problems.add(idOf(el), typeOf(el), m);
  }

  /** Report a problem against an element by id (used by whole-model validators). */
  reportId(id: string, m: CodedMessage): void {
    this.problems.add(id, this.sourceTypes.get(id) ?? 'bpmn:FlowElement', m);
  }

  refuse(el: El, m: CodedMessage): void {
    if (el.id) this.refused.add(el.id);
    this.report(el, m);
  }

  /**
   * Convert an attribute to a FEEL expression: '=expr' is syntax-checked and kept, a static value is
   * converted according to `staticAs`. Reports and returns undefined when invalid (or absent and
   * `required`).
   */
  feel(el: El, labelRef: LabelRef, raw: string | undefined, staticAs: StaticAs, required = false): Expression | undefined {
    const label = labelParams(labelRef);
    const attr = classify(raw);
    if (attr.kind === 'absent') {
      if (required) this.report(el, msg('bpmn.value.required', label));
      return undefined;
    }
    if (attr.kind === 'expression') {
      const error = feelSyntaxError(attr.source);
      if (error) {
        this.report(el, msg('bpmn.value.invalidFeel', { ...label, source: attr.source, error }));
        return undefined;
      }
      return attr.source;
    }
    switch (staticAs) {
      case 'string':
        return stringLiteral(attr.value);
      case 'list':
        return listLiteral(attr.value);
      case 'integer': {
        const literal = integerLiteral(attr.value);
        if (literal === undefined) {
          this.report(el, msg('bpmn.value.notInteger', { ...label, value: attr.value }));
        }
        return literal;
      }
      case 'forbidden':
        this.report(el, msg('bpmn.value.feelRequired', { ...label, value: attr.value }));
        return undefined;
    }
  }

  /** A static text attribute (ids, codes, names of things): expressions are refused. */
  staticText(el: El, labelRef: LabelRef, raw: string | undefined, required = false): string | undefined {
    const label = labelParams(labelRef);
    const attr = classify(raw);
    if (attr.kind === 'absent') {
      if (required) this.report(el, msg('bpmn.value.required', label));
      return undefined;
    }
    if (attr.kind === 'expression') {
      this.report(el, msg('bpmn.value.staticOnly', { ...label, source: attr.source }));
      return undefined;
    }
    return attr.value;
  }

  /** A variable name (or a dotted path when `path` is true), e.g. a mapping target or result variable. */
  variableName(el: El, labelRef: LabelRef, raw: string | undefined, required: boolean, path = false): string | undefined {
    const value = this.staticText(el, labelRef, raw, required);
    if (value === undefined) return undefined;
    if (!(path ? VARIABLE_PATH : VARIABLE_NAME).test(value)) {
      this.report(el, msg(path ? 'bpmn.value.variablePath' : 'bpmn.value.variableName', { ...labelParams(labelRef), value }));
      return undefined;
    }
    return value;
  }
}
