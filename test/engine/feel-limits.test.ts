/**
 * Issue 7 item 6, in memory: FEEL evaluation and multi-instance cardinality are bounded (limits.ts);
 * an exceeded bound is an incident on the element, never a runaway or failed workflow task. The
 * same on the real stack, with other instances running meanwhile: test/security/runtime-feel-limits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ext, linear } from '../bpmn/xml.js';
import { memoryEngine } from './support/memory-engine.js';
import type { EngineLimits } from '../../workflows/engine/limits.js';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const script = (expression: string) =>
  linear(`<bpmn:scriptTask id="calc">${ext(`<zeebe:script expression="${escapeXml(`=${expression}`)}" resultVariable="r" />`)}</bpmn:scriptTask>`, ['calc']);

async function run(expression: string, variables: Record<string, unknown> = {}, limits?: Partial<EngineLimits>) {
  const e = await memoryEngine(script(expression), limits ? { limits } : {});
  const started = performance.now();
  e.engine.start(variables);
  return { ms: performance.now() - started, incidents: e.incidents(), result: e.engine.result };
}

describe('bounded FEEL', () => {
  it.each([
    ['for i in 1..100000000 return i', 'collectionItems'],
    ['for i in 1..10000 return for j in 1..10000 return i', 'feelSteps'],
    ['for i in 1..10000, j in 1..10000 return i', 'feelSteps'],
    ['for a in big, b in big return a', 'feelSteps'],
    ['for i in 1..40 return if i = 1 then "ab" else partial[-1] + partial[-1]', 'stringLength'],
    [`string join(for i in 1..3000 return "${'x'.repeat(400)}", "")`, 'stringLength'],
    ['for x in 0.5..3 return x', 'collectionItems'],
    ['{f: function(n) if n = 0 then 0 else f(n - 1) + f(n - 1)}.f(60)', 'feelSteps'],
    ['for i in 1..30 return if i = 1 then [1] else [partial[-1], partial[-1]]', 'collectionItems'],
  ])('%s becomes an incident (%s) quickly', async (expression, limit) => {
    const { ms, incidents, result } = await run(expression, { big: Array.from({ length: 5000 }, (_, i) => i) });
    expect(result).toBeUndefined();
    expect(incidents).toEqual([expect.objectContaining({ elementId: 'calc', type: 'EXTRACT_VALUE_ERROR' })]);
    expect(incidents[0]!.message).toContain(`limit ${limit}`);
    expect(ms).toBeLessThan(5000);
  });

  it('leaves ordinary expressions alone', async () => {
    for (const [expression, value] of [
      ['for i in 1..3 return i * 2', [2, 4, 6]],
      ['for i in [3, 1], j in 1..2 return i * j', [3, 6, 1, 2]],
      ['l[item > 2]', [3, 4]],
      ['l[2]', 2],
      ['some x in l satisfies x > 3', true],
      ['sum(for x in l return x)', 10],
      ['{"a b": 1}.a b + count(l)', 5],
      ['for i in 5..1 return i', [5, 4, 3, 2, 1]],
      ['string join(for c in ["a", "b"] return upper case(c), "-")', 'A-B'],
      ['sum(for x in big return x)', 4498500],
    ] as const) {
      const { incidents, result } = await run(expression, { l: [1, 2, 3, 4], big: Array.from({ length: 3_000 }, (_, i) => i) });
      expect(incidents, expression).toEqual([]);
      expect(result, expression).toEqual({ outcome: 'completed', variables: expect.objectContaining({ r: value }) });
    }
  });

  it('takes its bounds from the instance limits', async () => {
    expect((await run('for i in 1..10 return i', {}, { collectionItems: 10 })).incidents).toEqual([]);
    const over = await run('for i in 1..11 return i', {}, { collectionItems: 10 });
    expect(over.incidents[0]?.message).toContain('limit collectionItems');
    expect((await run('for i in 1..50 return i', {}, { feelSteps: 20 })).incidents[0]?.message).toContain('limit feelSteps');
  });
});

describe('FEEL regular expressions run on RE2', () => {
  it('answer a backtracking trap at once and keep the builtins\' results', async () => {
    const trap = await run('matches(s, "^(a+)+$")', { s: `${'a'.repeat(40)}!` });
    expect(trap.ms).toBeLessThan(2000);
    expect(trap.result).toEqual({ outcome: 'completed', variables: expect.objectContaining({ r: false }) });
    for (const [expression, value] of [
      ['matches("ABC", "b", "i")', true],
      ['matches("张三", "^[\\u4e00-\\u9fa5]+$")', true],
      ['replace("abc", "(b)", "[$1]")', 'a[b]c'],
      ['replace("abc", "b", "$0$0")', 'abbc'],
      ['split("a, b,c", ",\\s*")', ['a', 'b', 'c']],
      ['split("a-b-", "-")', ['a', 'b', '']],
    ] as const) {
      const { incidents, result } = await run(expression);
      expect(incidents, expression).toEqual([]);
      expect(result, expression).toEqual({ outcome: 'completed', variables: expect.objectContaining({ r: value }) });
    }
    const refused = await run('matches("aa", "(a)\\1")');
    expect(refused.incidents[0]?.message).toContain('cannot run in linear time');
  });
});

describe('multi-instance cardinality', () => {
  const mi = linear(
    `<bpmn:task id="each"><bpmn:multiInstanceLoopCharacteristics>${ext('<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" />')}</bpmn:multiInstanceLoopCharacteristics></bpmn:task>`,
    ['each'],
  );

  it('refuses more inner instances than allowed with an incident on the body', async () => {
    const e = await memoryEngine(mi, { limits: { multiInstanceCardinality: 5 } });
    e.engine.start({ items: [1, 2, 3, 4, 5, 6] });
    expect(e.incidents()).toEqual([expect.objectContaining({ elementId: 'each', type: 'EXTRACT_VALUE_ERROR' })]);
    expect(e.incidents()[0]!.message).toContain('limit multiInstanceCardinality');
    expect(Object.values(e.engine.state.instances).filter((i) => i.loopCounter !== undefined)).toEqual([]);

    const ok = await memoryEngine(mi, { limits: { multiInstanceCardinality: 5 } });
    ok.engine.start({ items: [1, 2, 3, 4, 5] });
    expect(ok.engine.result?.outcome).toBe('completed');
  });

  it('allows 10,000 by default and refuses 10,001', async () => {
    const e = await memoryEngine(mi);
    e.engine.start({ items: Array.from({ length: 10_001 }, (_, i) => i) });
    expect(e.incidents()[0]?.message).toContain('10001 items');
  });
});
