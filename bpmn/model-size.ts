/**
 * A process instance carries its compiled model in its Temporal workflow input (and again in every
 * continue-as-new), next to its variables. Temporal refuses payloads over 2 MB by default, so a
 * model that large could be deployed but never started. Models are limited at deployment to a
 * share of that (default 1 MiB), leaving the rest for variables and engine state.
 */
import type { CompileProblem, ProcessModel } from './model.js';
import { msg } from './messages.js';

export const DEFAULT_MAX_MODEL_BYTES = 1024 * 1024;

export function modelBytes(model: ProcessModel): number {
  return Buffer.byteLength(JSON.stringify(model), 'utf8');
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

/** The problem when the model is larger than `maxBytes`, else undefined. */
export function modelSizeProblem(model: ProcessModel, maxBytes: number): CompileProblem | undefined {
  const bytes = modelBytes(model);
  if (bytes <= maxBytes) return undefined;
  return {
    elementId: model.id,
    elementType: 'bpmn:Process',
    ...msg('bpmn.process.tooLarge', { processId: model.id, size: megabytes(bytes), bytes, maxSize: megabytes(maxBytes), maxBytes }),
  };
}
