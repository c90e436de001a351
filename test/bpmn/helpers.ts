/** Test helpers around compileBpmn. */
import { expect } from 'vitest';
import { compileBpmn, isBpmnCompileError, type CompileProblem, type ProcessModel } from '../../bpmn/index.js';
import { DEPLOY_MESSAGES, isReferenceParam, renderDeployMessage } from '../../bpmn/messages.js';

/** Placeholders left unfilled by a rendering ({set} is literal text of one API path). */
const unfilled = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((k) => k !== 'set');

/**
 * Every problem carries a code of the catalogue bpmn/messages.ts (a problem, not a label or reason),
 * its message is the English rendering of code and params, the Chinese rendering fills every
 * placeholder, and every reference param ({label}, {reason}, {…Label}) names a catalogue entry.
 */
export function expectCoded(problems: readonly { code: string; params: Record<string, string | number>; message: string }[]): void {
  for (const p of problems) {
    const where = JSON.stringify(p);
    expect(Object.keys(DEPLOY_MESSAGES), where).toContain(p.code);
    expect(p.code, where).not.toMatch(/^(label|reason)\./);
    expect(renderDeployMessage(p.code, p.params, 'en'), where).toBe(p.message);
    const zh = renderDeployMessage(p.code, p.params, 'zh-CN')!;
    expect(unfilled(zh), `${where} → ${zh}`).toEqual([]);
    expect(unfilled(p.message), where).toEqual([]);
    for (const [k, v] of Object.entries(p.params)) {
      if (isReferenceParam(k)) expect(Object.keys(DEPLOY_MESSAGES), where).toContain(String(v).split(':')[0]);
    }
  }
}

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
    if (isBpmnCompileError(err)) {
      expectCoded(err.problems);
      return err.problems;
    }
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
