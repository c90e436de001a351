/**
 * The interpreter in memory for engine tests: no Temporal, no PostgreSQL. Jobs, children and
 * signals are recorded instead of run; the clock is fixed.
 *
 *   const e = await memoryEngine(xml);          // compiled, not started
 *   e.engine.start({ x: 1 });
 *   expect(e.incidents()).toEqual([...]);
 */
import { compileBpmn } from '../../../bpmn/index.js';
import type { ElementHandler } from '../../../workflows/elements/handler.js';
import { handlers as defaultHandlers } from '../../../workflows/elements/registry.js';
import type { JobRequest, Runtime } from '../../../workflows/engine/engine.js';
import { Interpreter } from '../../../workflows/engine/interpreter.js';
import type { EngineLimits } from '../../../workflows/engine/limits.js';
import type { IncidentRecord } from '../../../workflows/types.js';

export interface MemoryEngine {
  engine: Interpreter;
  jobs: Map<string, JobRequest>;
  incidents(): IncidentRecord[];
}

export async function memoryEngine(
  xml: string,
  options: {
    handlers?: Record<string, ElementHandler<never>>;
    limits?: Partial<EngineLimits>;
    batching?: { innerPerStep: number; enabled: () => boolean };
    now?: number;
  } = {},
): Promise<MemoryEngine> {
  const { processes } = await compileBpmn(xml);
  const model = processes[0]!;
  const jobs = new Map<string, JobRequest>();
  const now = options.now ?? Date.UTC(2026, 0, 5, 8);
  const runtime: Runtime = {
    now: () => now,
    startJob: (key, job) => void jobs.set(key, job),
    cancelJob: (key) => void jobs.delete(key),
    startChild: () => undefined,
    cancelChild: () => undefined,
    broadcastSignal: () => undefined,
    escalateToParent: () => undefined,
  };
  const engine = new Interpreter({
    processInstanceKey: '1000',
    model,
    runtime,
    handlers: options.handlers ?? (defaultHandlers as unknown as Record<string, ElementHandler<never>>),
    hasParent: false,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.batching ? { batching: options.batching } : {}),
  });
  return { engine, jobs, incidents: () => Object.values(engine.state.incidents) };
}
