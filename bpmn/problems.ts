/**
 * Collects every problem found while compiling one BPMN resource, so a designer sees all of them
 * at once instead of fixing one error per deployment attempt.
 */
import type { CodedMessage } from './messages.js';
import { BpmnCompileError, type CompileProblem } from './model.js';

/** Pseudo element id for problems that concern the document as a whole (size, XML syntax). */
export const DOCUMENT = '(document)';

export class Problems {
  readonly list: CompileProblem[] = [];
  private readonly seen = new Set<string>();

  add(elementId: string, elementType: string, m: CodedMessage): void {
    const key = `${elementId}\u0000${elementType}\u0000${m.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ elementId, elementType, message: m.message, code: m.code, params: m.params });
  }

  get size(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new BpmnCompileError([...this.list]);
  }
}

export function isBpmnCompileError(err: unknown): err is BpmnCompileError {
  return err instanceof BpmnCompileError;
}

/** Throw a compile error about the document as a whole. */
export function documentError(m: CodedMessage): BpmnCompileError {
  return new BpmnCompileError([{ elementId: DOCUMENT, elementType: 'document', message: m.message, code: m.code, params: m.params }]);
}
