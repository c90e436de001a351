/**
 * Issue 7 item 9: R/PT1S on a start or boundary event fired every second for ever. Cycles that
 * repeat without end or more than 10 times need the configured minimum interval (default PT1M).
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { isoMillis } from '../../bpmn/timer-policy.js';
import { compileProcess, expectProblem, problemsOf } from './helpers.js';
import { linear, processXml } from './xml.js';

const timer = (value: string) => `<bpmn:timerEventDefinition><bpmn:timeCycle>${value}</bpmn:timeCycle></bpmn:timerEventDefinition>`;
const start = (cycle: string) => processXml(`<bpmn:startEvent id="s">${timer(cycle)}</bpmn:startEvent>`);
const boundary = (cycle: string) =>
  linear(
    `<bpmn:userTask id="u" /><bpmn:boundaryEvent id="b" cancelActivity="false" attachedToRef="u">${timer(cycle)}</bpmn:boundaryEvent>`,
    ['u'],
  );
const eventSubprocess = (cycle: string) =>
  linear(
    `<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="es" isInterrupting="false">${timer(cycle)}</bpmn:startEvent></bpmn:subProcess>`,
    [],
  );

describe('the minimum interval of timer cycles', () => {
  it.each([
    ['start event', start, 's'],
    ['non-interrupting boundary event', boundary, 'b'],
    ['event subprocess start', eventSubprocess, 'es'],
  ] as const)('refuses R/PT1S on a %s, naming the element and the minimum', async (_, xml, id) => {
    const problem = await expectProblem(xml('R/PT1S'), id, '"R/PT1S" fires without end with an interval shorter than the minimum of PT1M');
    expect(problem.message).toContain('for example R/PT1M');
  });

  it('counts a long bounded cycle like an unbounded one, and lets short ones through', async () => {
    await expectProblem(start('R11/PT1S'), 's', '"R11/PT1S" fires 11 times');
    await expectProblem(start('R/2025-01-01T00:00:00Z/PT59S'), 's', 'fires without end');
    for (const ok of ['R10/PT1S', 'R2/PT1S', 'R/PT1M', 'R/P1D', 'R500/PT1H', 'R/P1M']) {
      expect((await compileProcess(start(ok))).nodes['s'], ok).toBeDefined();
    }
  });

  it('is configurable per compilation', async () => {
    await expect(compileBpmn(start('R/PT1S'), { minTimerCycleMs: 1000 })).resolves.toBeDefined();
    const problems = await compileBpmn(boundary('R/PT1H'), { minTimerCycleMs: 2 * 3_600_000 }).then(
      () => [],
      (err: { problems: { elementId: string; message: string }[] }) => err.problems,
    );
    expect(problems).toEqual([expect.objectContaining({ elementId: 'b', message: expect.stringContaining('minimum of PT2H') })]);
  });

  it('leaves cycles computed by FEEL to run time', async () => {
    expect((await problemsOf(start('R/PT1S'))).length).toBe(1);
    expect((await compileProcess(start('=schedule'))).nodes['s']).toBeDefined();
  });

  it('prints minimums as ISO 8601 durations', () => {
    expect([60_000, 3_600_000, 5_400_000, 500, 90_500].map(isoMillis)).toEqual(['PT1M', 'PT1H', 'PT1H30M', 'PT0.5S', 'PT1M30.5S']);
  });
});
