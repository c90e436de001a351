/**
 * Invalid-diagram conformance: every test/conformance/invalid/NN-name.bpmn must be refused with
 * exactly one problem, the one described by its sibling NN-name.expected.json
 * ({ elementId, messageIncludes, elementType? }).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBpmn, isBpmnCompileError, type CompileProblem } from '../../bpmn/index.js';
import { expectCoded } from '../bpmn/helpers.js';

interface Expected {
  elementId: string;
  messageIncludes: string;
  elementType?: string;
}

const dir = new URL('./invalid/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();

async function problemsOf(xml: string): Promise<CompileProblem[]> {
  try {
    await compileBpmn(xml);
  } catch (err) {
    if (isBpmnCompileError(err)) return err.problems;
    throw err;
  }
  return [];
}

describe('invalid diagrams are refused with a precise error', () => {
  it('has at least 12 fixtures, each with an expectation', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    for (const f of fixtures) expect(readdirSync(dir)).toContain(f.replace(/\.bpmn$/, '.expected.json'));
  });

  for (const file of fixtures) {
    it(file, async () => {
      const xml = readFileSync(new URL(file, dir), 'utf8');
      const expected = JSON.parse(readFileSync(new URL(file.replace(/\.bpmn$/, '.expected.json'), dir), 'utf8')) as Expected;
      const problems = await problemsOf(xml);
      expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
      expectCoded(problems);
      const [problem] = problems;
      expect(problem!.elementId).toBe(expected.elementId);
      expect(problem!.message).toContain(expected.messageIncludes);
      if (expected.elementType) expect(problem!.elementType).toBe(expected.elementType);
    });
  }
});
