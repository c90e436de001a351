/** The fault tests' process: external job and user task in parallel, a timer, and a route by `n`. */
import { ext, flow, processXml } from '../../bpmn/xml.js';

export const JOB_TYPE = 'fault-ext';

/** start → fork ─ ext (external job) ─┐
 *               └ review (user task) ─┴ join → wait (2 s timer) → route ─ n even → endEven
 *                                                                       └ default → endOdd */
export const diagram = (processId: string) =>
  processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:parallelGateway id="fork" />
     <bpmn:serviceTask id="ext">${ext(`<zeebe:taskDefinition type="${JOB_TYPE}" retries="3" />`)}</bpmn:serviceTask>
     <bpmn:userTask id="review">${ext('<zeebe:userTask />')}</bpmn:userTask>
     <bpmn:parallelGateway id="join" />
     <bpmn:intermediateCatchEvent id="wait">
       <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT2S</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:intermediateCatchEvent>
     <bpmn:exclusiveGateway id="route" default="toOdd" />
     <bpmn:endEvent id="endEven" />
     <bpmn:endEvent id="endOdd" />
     ${flow('f1', 'start', 'fork')}
     ${flow('f2', 'fork', 'ext')}
     ${flow('f3', 'fork', 'review')}
     ${flow('f4', 'ext', 'join')}
     ${flow('f5', 'review', 'join')}
     ${flow('f6', 'join', 'wait')}
     ${flow('f7', 'wait', 'route')}
     ${flow('toEven', 'route', 'endEven', '= modulo(n, 2) = 0')}
     ${flow('toOdd', 'route', 'endOdd')}`,
    '',
    processId,
  );
export const expectedPath = (n: number) => ['start', 'fork', 'ext', 'review', 'join', 'wait', 'route', n % 2 === 0 ? 'endEven' : 'endOdd'];

