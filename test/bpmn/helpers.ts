/** Test helpers around compileBpmn. */
import { expect } from 'vitest';
import { compileBpmn, isBpmnCompileError, type CompileProblem, type ProcessModel } from '../../bpmn/index.js';

/** Compile XML holding exactly one process and return its model. */
export async function compileProcess(xml: string): Promise<ProcessModel> {
  const { processes } = await compileBpmn(xml);
  expect(processes).toHaveLength(1);
  return processes[0]!;
}

/** Compile XML that must be refused and return every problem. */
export async function problemsOf(xml: string): Promise<CompileProblem[]> {
  try {
    await compileBpmn(xml);
  } catch (err) {
    if (isBpmnCompileError(err)) return err.problems;
    throw err;
  }
  throw new Error('expected the diagram to be refused, but it compiled');
}

/** Assert the diagram is refused with (at least) a problem on `elementId` whose message includes `text`. */
export async function expectProblem(xml: string, elementId: string, text: string, elementType?: string): Promise<CompileProblem> {
  const problems = await problemsOf(xml);
  const match = problems.find((p) => p.elementId === elementId && p.message.includes(text));
  expect(match, `no problem on ${elementId} including "${text}"; got ${JSON.stringify(problems, null, 2)}`).toBeDefined();
  if (elementType) expect(match!.elementType).toBe(elementType);
  return match!;
}
