import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { classify, feelSyntaxError, integerLiteral, listLiteral, stringLiteral } from '../../bpmn/feel.js';
import { compileProcess, expectProblem } from './helpers.js';
import { ext, linear } from './xml.js';

describe('FEEL syntax check', () => {
  it('refuses "= a +" and accepts "= a + 1"', async () => {
    expect(feelSyntaxError('a +')).toMatch(/FEEL syntax error: Incomplete <ArithmeticExpression> at character 4/);
    expect(feelSyntaxError('a + 1')).toBeUndefined();

    const task = (expr: string) =>
      linear(`<bpmn:serviceTask id="t">${ext(`<zeebe:taskDefinition type="${expr}" />`)}</bpmn:serviceTask>`, ['t']);
    const model = await compileProcess(task('= a + 1'));
    expect(model.nodes['t']).toMatchObject({ job: { type: 'a + 1' } });
    const problem = await expectProblem(task('= a +'), 't', 'zeebe:taskDefinition type "=a +" is not a valid FEEL expression');
    expect(problem.elementType).toBe('bpmn:ServiceTask');
  });

  it('accepts the usual expression forms and refuses broken ones', () => {
    for (const ok of ['x > 3 and y', 'for i in 1..3 return i', '{a: 1}.a', 'now() + duration("P2D")', 'if a then 1 else 2', 'order.total']) {
      expect(feelSyntaxError(ok), ok).toBeUndefined();
    }
    for (const bad of ['x > 3 and', ')', '', 'if a then 1', '[1, 2']) {
      expect(feelSyntaxError(bad), bad).toBeDefined();
    }
  });
});

describe('static values become FEEL literals', () => {
  it('classifies attribute values', () => {
    expect(classify(undefined)).toEqual({ kind: 'absent' });
    expect(classify('  ')).toEqual({ kind: 'absent' });
    expect(classify('=a')).toEqual({ kind: 'expression', source: 'a' });
    expect(classify(' = a ')).toEqual({ kind: 'expression', source: 'a' });
    expect(classify('abc')).toEqual({ kind: 'static', value: 'abc' });
  });

  it('round-trips strings through FEEL unchanged', () => {
    for (const s of ['abc', 'a"b', 'back\\slash', 'line\nbreak', 'tab\t', '营销部', '😀', '=not an expression here']) {
      expect(evaluate(stringLiteral(s), {}).value).toBe(s);
    }
  });

  it('turns comma-separated lists into FEEL lists', () => {
    expect(listLiteral('a, b')).toBe('["a","b"]');
    expect(listLiteral(' 营销部 ,,抢修班 ')).toBe('["营销部","抢修班"]');
    expect(evaluate(listLiteral('a, b'), {}).value).toEqual(['a', 'b']);
  });

  it('turns integers into FEEL numbers', () => {
    expect(integerLiteral('3')).toBe('3');
    expect(integerLiteral('007')).toBe('7');
    expect(integerLiteral('3.5')).toBeUndefined();
    expect(integerLiteral('three')).toBeUndefined();
  });

  it('applies the conversions in a compiled user task', async () => {
    const xml = linear(
      `<bpmn:userTask id="t">${ext(
        '<zeebe:assignmentDefinition assignee="wang.wei" candidateGroups="营销部, 客服中心" candidateUsers="=users" />' +
          '<zeebe:priorityDefinition priority="60" />',
      )}</bpmn:userTask>`,
      ['t'],
    );
    const t = (await compileProcess(xml)).nodes['t']!;
    expect(t).toMatchObject({ assignee: '"wang.wei"', candidateGroups: '["营销部","客服中心"]', candidateUsers: 'users', priority: '60' });
    if (t.type !== 'userTask') throw new Error('expected a user task');
    expect(evaluate(t.assignee!, {}).value).toBe('wang.wei');
    expect(evaluate(t.candidateGroups!, {}).value).toEqual(['营销部', '客服中心']);
    expect(evaluate(t.priority!, {}).value).toBe(60);
  });
});
