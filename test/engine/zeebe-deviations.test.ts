/**
 * Issue 7 item 4 (runtime parts), in memory; the same diagrams run on the real stack as conformance
 * cases 99–101. An exclusive gateway's only flow is taken only when its condition holds; dotted
 * mapping targets nest instead of creating a variable with a dot in its name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withValueAt } from '../../workflows/engine/variable-path.js';
import { memoryEngine } from './support/memory-engine.js';

const caseXml = (name: string) => readFileSync(new URL(`../conformance/cases/${name}.bpmn`, import.meta.url), 'utf8');

describe('exclusive gateway with one conditional flow', () => {
  it.each([
    [{}, 'EXTRACT_VALUE_ERROR'],
    [{ amount: 5 }, 'CONDITION_ERROR'],
  ])('with %j raises %s and does not take the flow', async (variables, type) => {
    const e = await memoryEngine(caseXml('99-exclusive-single-conditional-flow-null-incident'));
    e.engine.start(variables);
    expect(e.incidents()).toEqual([expect.objectContaining({ elementId: 'gw', type })]);
    expect(e.engine.result).toBeUndefined();
  });

  it('takes the flow when its condition holds', async () => {
    const e = await memoryEngine(caseXml('99-exclusive-single-conditional-flow-null-incident'));
    e.engine.start({ amount: 5000 });
    expect(e.incidents()).toEqual([]);
    expect(e.engine.result?.outcome).toBe('completed');
  });
});

describe('dotted mapping targets', () => {
  it('nest input mappings into one local object and merge outputs into the existing variable', async () => {
    const e = await memoryEngine(caseXml('101-io-mapping-nested-target'));
    e.engine.start({ token: 't-1', customer: { name: 'Li', address: { street: 'Wenyi Rd' } } });
    const [[key, job]] = [...e.jobs];
    expect(job!.variables).toMatchObject({ authentication: { type: 'bearer', token: 't-1' } });
    expect(job!.variables).not.toHaveProperty(['authentication.type']);
    e.engine.jobCompleted(key!, {});
    expect(e.engine.result).toEqual({
      outcome: 'completed',
      variables: {
        token: 't-1',
        customer: { name: 'Li', address: { street: 'Wenyi Rd', city: 'Hangzhou' } },
        result: { auth: { type: 'bearer', token: 't-1' } },
      },
    });
  });

  it('replaces a non-object on the way and never writes a prototype', () => {
    expect(withValueAt('text', ['a', 'b'], 1)).toEqual({ a: { b: 1 } });
    const v = withValueAt({}, ['__proto__', 'polluted'], true) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(v))).toEqual({ ['__proto__']: { polluted: true } });
  });
});
