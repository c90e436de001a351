// The SLA extension in the compiler: <sla:limit> on elements and <sla:span> on the process.
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { slaCompilerExtension } from '../../sla/compiler-extension.js';
import { chain, definitions } from '../bpmn/xml.js';
import { expectCoded } from '../bpmn/helpers.js';
import { renderDeployMessage } from '../../bpmn/messages.js';
import type { BpmnCompileError } from '../../bpmn/model.js';

const SLA_NS = 'xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0"';
const ext = (inner: string) => `<bpmn:extensionElements>${inner}</bpmn:extensionElements>`;

function diagram(opts: { survey?: string; spans?: string; lanes?: boolean } = {}) {
  const lanes = opts.lanes === false
    ? ''
    : `<bpmn:laneSet id="ls"><bpmn:lane id="hub" name="marketing"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>accept</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane>
       <bpmn:lane id="station" name="station-urban"><bpmn:flowNodeRef>survey</bpmn:flowNodeRef><bpmn:flowNodeRef>wait</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>`;
  const body = `${lanes}${opts.spans ? ext(opts.spans) : ''}
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="accept"${opts.lanes === false ? '' : ''}>${ext('<sla:limit duration="PT2H" />')}</bpmn:userTask>
    <bpmn:userTask id="survey">${ext(opts.survey ?? '<sla:limit policy="bx.site-visit" />')}</bpmn:userTask>
    <bpmn:userTask id="wait" />
    <bpmn:endEvent id="end" />
    ${chain(['start', 'accept', 'survey', 'wait', 'end'])}`;
  // extensionElements must come first inside a process (before laneSet): moddle keeps either order.
  return definitions(`<bpmn:process id="p" isExecutable="true">${body}</bpmn:process>`).replace('<bpmn:definitions ', `<bpmn:definitions ${SLA_NS} `);
}

const compile = (xml: string) => compileBpmn(xml, { extensions: [slaCompilerExtension] });

describe('SLA in the diagram', () => {
  it('limits by policy or explicit duration, with responsible departments from the lanes', async () => {
    const { processes } = await compile(diagram());
    const nodes = processes[0]!.nodes;
    expect(nodes['accept']!.sla).toEqual({ duration: '"PT2H"', timeBase: 'natural', warnings: [{ at: 0.5 }, { at: 0.8 }], departments: ['marketing'] });
    expect(nodes['survey']!.sla).toEqual({ policy: '"bx.site-visit"', departments: ['station-urban'] });
  });

  it('FEEL policy keys, working time with a calendar, and warning levels', async () => {
    const { processes } = await compile(
      diagram({ survey: '<sla:limit duration="=if area = &quot;urban&quot; then &quot;P2D&quot; else &quot;P3D&quot;" timeBase="workingDays" warnings="50%, PT2H" departments="station-a station-b" />' }),
    );
    expect(processes[0]!.nodes['survey']!.sla).toEqual({
      duration: 'if area = "urban" then "P2D" else "P3D"',
      timeBase: 'workingDays',
      calendar: 'cn',
      warnings: [{ at: 0.5 }, { before: 'PT2H' }],
      departments: ['station-a', 'station-b'],
    });
  });

  it('a span over several steps with a pause', async () => {
    const { processes } = await compile(diagram({ spans: '<sla:span id="own" name="own steps" from="accept" to="survey" pauseDuring="wait" policy="bx.own-steps.hv-single" />' }));
    expect(processes[0]!.slaSpans).toEqual([
      { id: 'own', name: 'own steps', from: 'accept', to: 'survey', pauseDuring: ['wait'], policy: '"bx.own-steps.hv-single"', departments: ['marketing'] },
    ]);
  });

  it.each([
    ['<sla:limit />', 'survey', 'either a policy'],
    ['<sla:limit policy="A B" />', 'survey', 'is not a policy key'],
    ['<sla:limit duration="3 days" />', 'survey', 'is not an ISO 8601 duration'],
    ['<sla:limit duration="P3D" timeBase="weekdays" />', 'survey', 'timeBase "weekdays" must be one of'],
    ['<sla:limit policy="bx.site-visit" warnings="50%" />', 'survey', 'a policy brings its own warning levels'],
    ['<sla:limit duration="P3D" warnings="150%" />', 'survey', 'must be a percentage'],
    ['<sla:limit duration="=if then" />', 'survey', 'not a valid FEEL expression'],
  ])('refuses %s naming the element', async (limit, element, message) => {
    await expect(compile(diagram({ survey: limit }))).rejects.toThrow(new RegExp(`${element} \\(.*\\): .*${message}`));
    const refused = await compile(diagram({ survey: limit })).catch((err: BpmnCompileError) => err);
    expectCoded((refused as BpmnCompileError).problems);
  });

  it('refuses a limit without a responsible department, and spans naming missing elements', async () => {
    await expect(compile(diagram({ lanes: false }))).rejects.toThrow(/accept \(bpmn:FlowNode\): The SLA limit has no responsible department/);
    await expect(compile(diagram({ spans: '<sla:span id="own" from="accept" to="nowhere" policy="x" />' }))).rejects.toThrow(
      /p \(bpmn:Process\): SLA span "own": to names "nowhere", but the process has no such element/,
    );
    const span = (await compile(diagram({ spans: '<sla:span id="own" from="accept" to="nowhere" policy="x" />' })).catch((err: BpmnCompileError) => err)) as BpmnCompileError;
    expectCoded(span.problems);
    expect(span.problems.map((p) => renderDeployMessage(p.code, p.params, 'zh-CN'))).toContain('SLA 区间 "own"：to 指向 "nowhere"，但流程中没有这个元素。');
  });
});
