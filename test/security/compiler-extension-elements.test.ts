/**
 * Issue 7 item 10: an XHTML <script> hidden in definitions-level extensionElements passed the
 * compiler, and the stored XML ran it in an administrator's browser. Extension elements of unknown
 * namespaces are refused wherever they sit, naming the element and its namespace.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { expectProblem, problemsOf } from '../bpmn/helpers.js';
import { definitions, ext, linear, processXml } from '../bpmn/xml.js';

const XHTML = 'http://www.w3.org/1999/xhtml';
const SCRIPT = `<script xmlns="${XHTML}">fetch('/api/users',{method:'POST'})</script>`;
const PROCESS = '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" /></bpmn:process>';

async function expectScriptRefused(xml: string, elementId: string, elementType: string) {
  await expectProblem(xml, elementId, `Unknown extension element <script> (namespace ${XHTML}) in <${elementType}>`, elementType);
}

describe('extension elements of unknown namespaces are refused at every level', () => {
  it('on bpmn:definitions (the reported stored-XSS upload)', async () => {
    const xml = definitions(`${ext(SCRIPT)}\n${PROCESS}`);
    await expectScriptRefused(xml, 'Definitions_1', 'bpmn:Definitions');
  });

  it('with a prefix instead of a default namespace', async () => {
    const xml = definitions(`${ext('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>')}\n${PROCESS}`);
    const problem = await expectProblem(xml, 'Definitions_1', 'Unknown extension element <h:script> (namespace http://www.w3.org/1999/xhtml)');
    expect(problem.elementType).toBe('bpmn:Definitions');
  });

  it('on root elements, sequence flows, lanes, participants and the process', async () => {
    await expectScriptRefused(definitions(`${PROCESS}<bpmn:error id="err" errorCode="E">${ext(SCRIPT)}</bpmn:error>`), 'err', 'bpmn:Error');
    await expectScriptRefused(
      definitions(`${PROCESS}<bpmn:message id="msg" name="m">${ext(SCRIPT)}</bpmn:message>`),
      'msg',
      'bpmn:Message',
    );
    await expectScriptRefused(
      definitions(
        `<bpmn:collaboration id="c">${ext(SCRIPT)}<bpmn:participant id="pp" processRef="p">${ext(SCRIPT)}</bpmn:participant></bpmn:collaboration>${PROCESS}`,
      ),
      'c',
      'bpmn:Collaboration',
    );
    await expectScriptRefused(
      definitions(`<bpmn:collaboration id="c"><bpmn:participant id="pp" processRef="p">${ext(SCRIPT)}</bpmn:participant></bpmn:collaboration>${PROCESS}`),
      'pp',
      'bpmn:Participant',
    );
    await expectScriptRefused(
      processXml(`<bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e">${ext(SCRIPT)}</bpmn:sequenceFlow>`),
      'f',
      'bpmn:SequenceFlow',
    );
    await expectScriptRefused(
      processXml(`<bpmn:laneSet id="ls"><bpmn:lane id="l" name="营销部">${ext(SCRIPT)}<bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:startEvent id="s" />`),
      'l',
      'bpmn:Lane',
    );
    await expectScriptRefused(processXml(`${ext(SCRIPT)}<bpmn:startEvent id="s" />`), 'p', 'bpmn:Process');
  });

  it('on flow nodes, once (no second, differently worded problem)', async () => {
    const xml = linear(`<bpmn:task id="t">${ext(SCRIPT)}</bpmn:task>`, ['t']);
    await expectScriptRefused(xml, 't', 'bpmn:Task');
    expect((await problemsOf(xml)).filter((p) => p.elementId === 't')).toHaveLength(1);
  });

  it('inside the diagram interchange (di:extension)', async () => {
    const xml = definitions(
      `${PROCESS}<bpmndi:BPMNDiagram id="dg"><bpmndi:BPMNPlane id="pl" bpmnElement="p"><di:extension>${SCRIPT}</di:extension></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`,
    );
    await expectScriptRefused(xml, 'pl', 'bpmndi:BPMNPlane');
  });

  it('any foreign namespace, not only XHTML: SVG and made-up ones', async () => {
    await expectProblem(
      definitions(`${ext('<svg:svg xmlns:svg="http://www.w3.org/2000/svg" onload="alert(1)" />')}${PROCESS}`),
      'Definitions_1',
      'Unknown extension element <svg:svg> (namespace http://www.w3.org/2000/svg)',
    );
    await expectProblem(
      definitions(`${ext('<acme:note xmlns:acme="urn:acme">hello</acme:note>')}${PROCESS}`),
      'Definitions_1',
      'Unknown extension element <acme:note> (namespace urn:acme)',
    );
  });

  it('outside extension points, foreign elements are refused as unknown elements, also naming the namespace', async () => {
    const inDi = definitions(
      `${PROCESS}<bpmndi:BPMNDiagram id="dg"><bpmndi:BPMNPlane id="pl" bpmnElement="p">${SCRIPT}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`,
    );
    const problems = await problemsOf(inDi);
    expect(problems).toEqual([
      expect.objectContaining({ elementId: 'pl', message: expect.stringMatching(/^Unknown element <script> \(namespace http:\/\/www\.w3\.org\/1999\/xhtml\) \(line \d+, column \d+\)/) }),
    ]);
    const inProperties = processXml(
      `<bpmn:startEvent id="s">${ext('<zeebe:properties><h:script xmlns:h="http://www.w3.org/1999/xhtml" /></zeebe:properties>')}</bpmn:startEvent>`,
    );
    await expectProblem(inProperties, 's', 'Unknown element <h:script> (namespace http://www.w3.org/1999/xhtml)');
    await expectProblem(processXml(`<bpmn:startEvent id="s" />${SCRIPT}`), 'p', 'Unknown element <script> (namespace http://www.w3.org/1999/xhtml)');
  });

  it('markup inside a text element is refused without the parser\'s internal error text', async () => {
    const xml = processXml(`<bpmn:startEvent id="s" /><bpmn:textAnnotation id="ta"><bpmn:text>${SCRIPT}</bpmn:text></bpmn:textAnnotation>`);
    const problems = await problemsOf(xml);
    expect(problems).toEqual([
      expect.objectContaining({ elementId: '(document)', message: expect.stringContaining('markup where BPMN allows only text') }),
    ]);
    expect(problems[0]!.message).not.toMatch(/Cannot read properties|undefined/);
  });

  it('known extension elements stay accepted at process and node level', async () => {
    const xml = processXml(
      `${ext('<zeebe:versionTag value="3" /><zeebe:properties><zeebe:property name="a" value="b" /></zeebe:properties>')}` +
        `<bpmn:startEvent id="s">${ext('<zeebe:properties><zeebe:property name="x" value="y" /></zeebe:properties>')}</bpmn:startEvent>`,
    );
    const { processes } = await compileBpmn(xml);
    expect(processes[0]!.versionTag).toBe('3');
  });
});
