/**
 * Issue 9 item 2: only the interpreter's own failure classes (errors.ts) become incidents; anything
 * else thrown while an element moves is a programming error that fails the workflow task (Temporal
 * retries it until a fixed worker is deployed). In memory: no Temporal needed to tell them apart.
 */
import { describe, expect, it } from 'vitest';
import type { ElementHandler } from '../../workflows/elements/handler.js';
import { handlers } from '../../workflows/elements/registry.js';
import { ExpressionError, ValueError } from '../../workflows/engine/errors.js';
import { memoryEngine } from './support/memory-engine.js';

const xml = (taskAttrs = '', inner = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:task id="work" ${taskAttrs}>${inner}</bpmn:task>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** The registry with the plain task's handler replaced. */
function withTaskHandler(activate: ElementHandler['activate']) {
  return { ...handlers, task: { activate } } as unknown as Record<string, ElementHandler<never>>;
}

describe('typed failures in the interpreter', () => {
  it('a programming error in a handler fails the step instead of becoming an incident', async () => {
    const e = await memoryEngine(xml(), {
      handlers: withTaskHandler(() => {
        const broken = undefined as unknown as { id: string };
        void broken.id; // TypeError: a bug, not bad data
      }),
    });
    expect(() => e.engine.start({})).toThrow(TypeError);
    expect(e.incidents()).toEqual([]);
  });

  it('a plain Error whose text says "expected" is not mistaken for an expression failure', async () => {
    const e = await memoryEngine(xml(), {
      handlers: withTaskHandler(() => {
        throw new Error('expected the cache to be warm');
      }),
    });
    expect(() => e.engine.start({})).toThrow('expected the cache to be warm');
    expect(e.incidents()).toEqual([]);
  });

  it.each([
    ['ExpressionError', () => new ExpressionError('=x', 'failed to evaluate x')],
    ['ValueError', () => new ValueError('=x', 'expected x to be a number')],
  ])('a %s becomes an incident on the element', async (_name, make) => {
    const e = await memoryEngine(xml(), {
      handlers: withTaskHandler(() => {
        throw make();
      }),
    });
    e.engine.start({});
    expect(e.incidents()).toEqual([expect.objectContaining({ elementId: 'work', type: 'EXTRACT_VALUE_ERROR' })]);
  });

  it('a malformed timer value from a variable is a value error (incident), not a crash', async () => {
    const timer = `<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    const doc = xml().replace('<bpmn:task id="work" ></bpmn:task>', timer).replaceAll('"work"', '"wait"');
    const e = await memoryEngine(doc);
    e.engine.start({ delay: 'five minutes' });
    expect(e.incidents()).toEqual([expect.objectContaining({ elementId: 'wait', type: 'EXTRACT_VALUE_ERROR' })]);
    expect(e.incidents()[0]!.message).toContain('five minutes');
  });
});
