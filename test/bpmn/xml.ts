/** Test helper: wrap BPMN fragments in <bpmn:definitions> with the usual namespaces. */

export const NAMESPACES =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" ' +
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ' +
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:modeler="http://camunda.org/schema/modeler/1.0"';

/** Whole definitions with `content` (processes, messages, errors, collaborations...). */
export function definitions(content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NAMESPACES} id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">\n${content}\n</bpmn:definitions>\n`;
}

/** One executable process "p" with `body`, plus optional root elements after it (messages, errors...). */
export function processXml(body: string, roots = '', processId = 'p'): string {
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">\n${body}\n</bpmn:process>\n${roots}`);
}

/** A sequence flow, optionally with a FEEL condition (pass it with its leading "="). */
export function flow(id: string, source: string, target: string, condition?: string): string {
  if (condition === undefined) return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`;
  const body = condition.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">` +
    `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${body}</bpmn:conditionExpression>` +
    `</bpmn:sequenceFlow>`
  );
}

/** start → `middle` (elements with ids) → end, chaining the given ids with flows. */
export function chain(ids: string[]): string {
  return ids
    .slice(1)
    .map((id, i) => flow(`f_${ids[i]}_${id}`, ids[i]!, id))
    .join('\n');
}

/** A process: none start "start", the given element(s), none end "end", flows start→ids…→end. */
export function linear(elements: string, ids: string[], roots = ''): string {
  return processXml(
    `<bpmn:startEvent id="start" />\n${elements}\n<bpmn:endEvent id="end" />\n${chain(['start', ...ids, 'end'])}`,
    roots,
  );
}

/** zeebe extension elements wrapper. */
export function ext(content: string): string {
  return `<bpmn:extensionElements>${content}</bpmn:extensionElements>`;
}

/** A service task with a job type. */
export function serviceTask(id: string, type = 'work', extra = ''): string {
  return `<bpmn:serviceTask id="${id}">${ext(`<zeebe:taskDefinition type="${type}" />${extra}`)}</bpmn:serviceTask>`;
}

/** A bpmn:message with a name and (optionally) a correlation key. */
export function message(id: string, name: string, correlationKey?: string): string {
  const sub = correlationKey === undefined ? '' : ext(`<zeebe:subscription correlationKey="${correlationKey}" />`);
  return `<bpmn:message id="${id}" name="${name}">${sub}</bpmn:message>`;
}
