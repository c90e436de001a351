// Minimal web app: a bpmn-js modeler on an empty diagram and the readiness of the platform.
// The full modeler, task list and dashboards come later.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import './style.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';

const EMPTY_DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="开始" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const modeler = new BpmnModeler({ container: '#canvas' });
modeler
  .importXML(EMPTY_DIAGRAM)
  .then(() => (modeler.get('canvas') as { zoom(level: string): void }).zoom('fit-viewport'))
  .catch((err: unknown) => console.error('could not open the empty diagram', err));

const status = document.querySelector('#status');
fetch('/api/ready')
  .then(async (res) => {
    if (!status) return;
    if (res.ok) {
      status.textContent = '就绪 / ready';
    } else {
      const problem = (await res.json()) as { detail?: string };
      status.textContent = `未就绪 / not ready: ${problem.detail ?? res.status}`;
    }
  })
  .catch(() => status && (status.textContent = '无法连接 / unreachable'));
