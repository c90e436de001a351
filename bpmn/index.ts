/** Public API of the BPMN compiler. */
import { createHash } from 'node:crypto';

export { compileBpmn, type CompiledResource, type CompileOptions } from './compile.js';
export { isBpmnCompileError } from './problems.js';
export type { CompilerExtension } from './extension.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, type XmlSafetyLimits } from './xml-safety.js';
export { DEFAULT_MAX_MODEL_BYTES, modelBytes, modelSizeProblem } from './model-size.js';
export { DEFAULT_MIN_TIMER_CYCLE_MS } from './timer-policy.js';
export * from './model.js';

/** sha256 (hex) of a BPMN resource as deployed, to detect re-deployments of identical XML. */
export function hashResource(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}
