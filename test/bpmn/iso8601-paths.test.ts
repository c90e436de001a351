/**
 * Issue 9 item 3: one ISO 8601 grammar. Every string of the table goes through both paths — the
 * compiler (a static timer value in a diagram) and the interpreter (workflows/engine/time.ts, as a
 * FEEL expression's value at run time) — and both must agree with the table and with each other.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { compileBpmn, isBpmnCompileError } from '../../bpmn/index.js';
import { firstDue } from '../../workflows/engine/time.js';
import { linear, processXml } from './xml.js';

type TimerType = 'date' | 'duration' | 'cycle';
const ELEMENT: Record<TimerType, string> = { date: 'timeDate', duration: 'timeDuration', cycle: 'timeCycle' };

const TABLE: Array<[TimerType, string, boolean]> = [
  ['duration', 'PT15M', true],
  ['duration', 'P3D', true],
  ['duration', 'P1DT12H', true],
  ['duration', 'PT0.5S', true],
  ['duration', 'PT1,5S', true],
  ['duration', 'P2W', true],
  ['duration', 'P1Y2M', true],
  ['duration', 'PT0S', true],
  ['duration', 'P', false],
  ['duration', 'PT', false],
  ['duration', 'P1DT', false],
  ['duration', '15M', false],
  ['duration', 'PT-5M', false],
  ['duration', '-PT5M', false],
  ['duration', 'P1.5D', false],
  ['duration', 'PT1.5M', false],
  ['duration', 'pt5m', false],
  ['duration', '5 minutes', false],
  ['duration', 'P1001Y', false],
  ['duration', 'PT1234567890S', false],
  ['duration', `P${'1'.repeat(120)}D`, false],
  ['date', '2025-03-01T09:00:00+08:00', true],
  ['date', '2025-03-01T01:00:00Z', true],
  ['date', '2025-03-01T01:00Z', true],
  ['date', '2024-02-29T00:00:00.123Z', true],
  ['date', '2025-03-01T09:00:00+08:00[Asia/Shanghai]', true],
  ['date', '2025-03-01T09:00:00-05:30', true],
  ['date', '2025-03-01T09:00:00', false],
  ['date', '2025-03-01', false],
  ['date', '2025-02-29T00:00:00Z', false],
  ['date', '2025-13-01T00:00:00Z', false],
  ['date', '2025-01-01T24:00:00Z', false],
  ['date', '2025-01-01T12:00:60Z', false],
  ['date', '2025-01-01T12:00:00+19:00', false],
  ['date', '2025-01-01T12:00:00+0800', false],
  ['date', '2025-01-01 12:00:00Z', false],
  ['date', '2025-01-01t12:00:00z', false],
  ['date', 'tomorrow', false],
  ['date', 'Sat, 01 Mar 2025 09:00:00 GMT', false],
  ['cycle', 'R3/PT10M', true],
  ['cycle', 'R/P1D', true],
  ['cycle', 'R5/2025-03-01T09:00:00+08:00/PT1H', true],
  ['cycle', 'R1/PT1S', true],
  ['cycle', 'R0/PT1H', false],
  ['cycle', 'R/PT0S', false],
  ['cycle', 'PT10M', false],
  ['cycle', 'R3/10M', false],
  ['cycle', 'R3/2025-03-01/PT1H', false],
  ['cycle', 'Rx/PT1M', false],
  ['cycle', 'R3/PT1M/PT1M/PT1M', false],
  ['cycle', 'R/2025-03-01T09:00:00Z/2025-03-02T09:00:00Z', false],
  ['cycle', 'R-1/PT1H', false],
  ['cycle', '0 0 9 * * MON-FRI', false],
];

/** A diagram holding the value as a static timer where that timer type is allowed. */
function diagram(type: TimerType, value: string): string {
  const def = `<bpmn:timerEventDefinition><bpmn:${ELEMENT[type]}>${value}</bpmn:${ELEMENT[type]}></bpmn:timerEventDefinition>`;
  if (type === 'cycle') return processXml(`<bpmn:startEvent id="s">${def}</bpmn:startEvent>`);
  return linear(`<bpmn:intermediateCatchEvent id="w">${def}</bpmn:intermediateCatchEvent>`, ['w']);
}

async function compilerAccepts(type: TimerType, value: string): Promise<boolean> {
  try {
    await compileBpmn(diagram(type, value));
    return true;
  } catch (err) {
    if (isBpmnCompileError(err)) return false;
    throw err;
  }
}

function interpreterAccepts(type: TimerType, value: string): boolean {
  try {
    firstDue(type, value, Date.UTC(2025, 0, 31));
    return true;
  } catch (err) {
    expect((err as Error).name).toBe('ExpressionError');
    return false;
  }
}

describe('compiler and interpreter accept exactly the same ISO 8601 timer values', () => {
  it.each(TABLE)('%s %j → accepted: %s', async (type, value, accepted) => {
    expect({ compiler: await compilerAccepts(type, value), interpreter: interpreterAccepts(type, value) }).toEqual({
      compiler: accepted,
      interpreter: accepted,
    });
  });
});

describe('what the interpreter computes from the shared grammar', () => {
  const jan31 = Date.UTC(2025, 0, 31, 8);
  it('dates: the offset decides the instant; a zone name is informational', () => {
    expect(firstDue('date', '2025-03-01T09:00:00+08:00[Asia/Shanghai]', 0).dueAt).toBe(Date.UTC(2025, 2, 1, 1));
    expect(firstDue('date', '2025-03-01T09:00:00.5-05:30', 0).dueAt).toBe(Date.UTC(2025, 2, 1, 14, 30, 0, 500));
  });
  it('durations: months keep the day or take the month end; days and times are exact', () => {
    expect(firstDue('duration', 'P1M', jan31).dueAt).toBe(Date.UTC(2025, 1, 28, 8));
    expect(firstDue('duration', 'P1Y1M', Date.UTC(2024, 0, 29)).dueAt).toBe(Date.UTC(2025, 1, 28));
    expect(firstDue('duration', 'P1W1DT1H1M1,25S', 0).dueAt).toBe(((8 * 24 + 1) * 3600 + 61.25) * 1000);
  });
  it('cycles: unbounded is -1, a start in the past fires now, a future start fires then', () => {
    expect(firstDue('cycle', 'R/PT1H', jan31)).toEqual({ dueAt: jan31 + 3_600_000, repeat: -1, interval: 'PT1H' });
    expect(firstDue('cycle', 'R3/2025-01-01T00:00:00Z/P1D', jan31)).toEqual({ dueAt: jan31, repeat: 3, interval: 'P1D' });
    expect(firstDue('cycle', 'R2/2025-02-01T00:00:00Z/P1D', jan31).dueAt).toBe(Date.UTC(2025, 1, 1));
  });
});

describe('the shared grammar is held to the workflow rules', () => {
  it('eslint refuses the clock and Node built-ins in bpmn/iso8601.ts as in workflows/', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const eslint = new ESLint({
      cwd: root,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parserOptions: { projectService: false, project: null } },
          rules: { '@typescript-eslint/no-floating-promises': 'off' },
        },
      ],
    });
    const code = "import { readFileSync } from 'node:fs';\nexport const a = Date.now() + readFileSync.length;\n";
    const [result] = await eslint.lintText(code, { filePath: `${root}bpmn/iso8601.ts` });
    const text = result!.messages.filter((m) => m.severity === 2).map((m) => m.message).join('\n');
    expect(text).toMatch(/no Node built-ins/);
    expect(text).toMatch(/Date\.now/);
  }, 60_000);
});
