/**
 * The catalogue of deploy problem messages (bpmn/messages.ts): every entry has both languages with
 * the same placeholders, every problem code is used by the compiler, and the renderer fills labels
 * and reasons in the chosen language. That each compile problem carries a catalogue code whose
 * English rendering is its message is checked by test/bpmn/helpers.ts `problemsOf` (every refusal
 * in test/bpmn and test/conformance/invalid goes through it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY_MESSAGES, msg, renderDeployMessage } from '../../bpmn/messages.js';
import { CONFLICT_MESSAGES, renderServerMessage } from '../../services/problem-codes.js';
import { ext, linear, processXml } from './xml.js';
import { problemsOf } from './helpers.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith(join('bpmn', 'messages.ts')) ? [path] : [];
  });
}

describe('message catalogue', () => {
  for (const [name, catalogue] of [
    ['deploy problems', DEPLOY_MESSAGES],
    ['conflicts and refusals', CONFLICT_MESSAGES],
  ] as const) {
    it(`${name}: every entry has Chinese and English with the same placeholders`, () => {
      const entries = Object.entries(catalogue as Record<string, readonly [string, string]>);
      expect(entries.length).toBeGreaterThan(10);
      for (const [code, [zh, en]] of entries) {
        expect(code).toMatch(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/);
        if (code !== 'label.nothing') {
          expect(zh.trim(), code).not.toBe('');
          expect(en.trim(), code).not.toBe('');
        }
        expect(placeholders(zh), code).toEqual(placeholders(en));
        // Chinese text for a person: at least one CJK character unless it is only a value or a name.
        if (!/^[{}\w\s:.。：]*$/.test(zh) && !/^(label|reason)\./.test(code)) expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }

  it('every problem code is used by the compiler or the SLA extension', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const text = [...sources(join(root, 'bpmn')), ...sources(join(root, 'sla')), ...sources(join(root, 'services'))].map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = Object.keys(DEPLOY_MESSAGES).filter(
      (code) => !/^label\.(usage|usageCap|kind)\.|^label\.(dueDate|followUpDate)$/.test(code) && !text.includes(`'${code}`) && !text.includes(`\`${code}`),
    );
    expect(unused).toEqual([]);
  });

  it('renders labels, reasons and references in the chosen language', () => {
    const m = msg('bpmn.value.invalid', { label: 'label.timerDuration', reason: 'reason.duration', value: 'PT' });
    expect(m).toEqual({
      code: 'bpmn.value.invalid',
      params: { label: 'label.timerDuration', reason: 'reason.duration', value: 'PT' },
      message: 'The timer duration "PT" is not an ISO 8601 duration such as PT15M, P3D or P1DT12H.',
    });
    expect(renderDeployMessage(m.code, m.params, 'zh-CN')).toBe('定时器的时长 timeDuration "PT" 不是 ISO 8601 时长，例如 PT15M、P3D 或 P1DT12H。');
    const crossing = msg('bpmn.flow.crossesBoundary', {
      sourceId: 'a',
      sourceWhereLabel: 'label.theProcess',
      targetId: 'b',
      targetWhereLabel: 'label.subprocess:Sub_1',
      flowWhereLabel: 'label.theProcess',
    });
    expect(crossing.message).toContain('connects "a" (in the process) to "b" (in subprocess "Sub_1") and is drawn in the process;');
    expect(renderDeployMessage(crossing.code, crossing.params, 'zh-CN')).toContain('"b"（在子流程 "Sub_1"中）');
    expect(renderDeployMessage('no.such.code', {}, 'en')).toBeUndefined();
    expect(renderServerMessage('no.such.code', {}, 'en')).toBeUndefined();
  });

  it('a refused diagram carries codes whose Chinese names the element and the fix', async () => {
    const xml = linear(
      `<bpmn:userTask id="u">${ext('<zeebe:assignmentDefinition candidateGroups="=[" /><zeebe:taskSchedule dueDate="tomorrow" />')}</bpmn:userTask>`,
      ['u'],
    );
    const problems = await problemsOf(xml);
    expect(problems.map((p) => p.code).sort()).toEqual(['bpmn.userTask.scheduleDate', 'bpmn.value.invalidFeel']);
    const due = problems.find((p) => p.code === 'bpmn.userTask.scheduleDate')!;
    expect(due.params).toEqual({ reason: 'reason.dateTime', value: 'tomorrow', label: 'label.dueDate' });
    expect(renderDeployMessage(due.code, due.params, 'zh-CN')).toBe(
      '截止时间 dueDate "tomorrow" 不是带时区的 ISO 8601 日期时间，例如 2025-03-01T09:00:00+08:00 或 2025-03-01T01:00:00Z；或使用 FEEL 表达式，例如 =now() + duration("P2D")。',
    );
    const none = await problemsOf(processXml('<bpmn:task id="t" />'));
    expect(none.map((p) => [p.code, renderDeployMessage(p.code, p.params, 'zh-CN')])).toContainEqual([
      'bpmn.start.none',
      '流程没有开始事件：请添加空、消息、定时或信号开始事件。',
    ]);
  });
});
