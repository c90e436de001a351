/**
 * Attributes from namespaces moddle does not know end up in `$attrs` without a warning. They are
 * reported here (e.g. a Camunda 7 camunda:assignee would otherwise be dropped silently), except:
 * namespace declarations, xsi:*, and on bpmn:definitions the modelers' bookkeeping attributes that
 * Zeebe ignores too: Camunda Modeler's modeler:* (executionPlatform…) and Camunda Web Modeler's
 * camunda:diagramRelationId (it links the file to its Web Modeler project).
 * Diagram interchange (bpmndi) and documentation are not inspected: they do not affect execution.
 */
import { idOf, isEl, typeOf, type El } from '../moddle.js';
import type { Problems } from '../problems.js';
import { msg } from '../messages.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const MODELER = 'http://camunda.org/schema/modeler/1.0';
const CAMUNDA7 = 'http://camunda.org/schema/1.0/bpmn';
/** Attributes of the Camunda 7 namespace that Camunda's Web Modeler writes on bpmn:definitions. */
const WEB_MODELER_DEFINITIONS_ATTRIBUTES = new Set(['diagramRelationId']);
const SKIPPED_PROPERTIES = new Set(['diagrams', 'documentation']);

export function validateAttributes(definitions: El, problems: Problems): void {
  walk(definitions, problems, new Set());
}

function namespaceOf(el: El, prefix: string): string | undefined {
  for (let e: El | undefined = el; e; e = e.$parent) {
    const uri = e.$attrs?.[`xmlns:${prefix}`];
    if (uri !== undefined) return uri;
  }
  return undefined;
}

function isModelerBookkeeping(uri: string | undefined, localName: string): boolean {
  return uri === MODELER || (uri === CAMUNDA7 && WEB_MODELER_DEFINITIONS_ATTRIBUTES.has(localName));
}

function walk(el: El, problems: Problems, seen: Set<El>): void {
  if (seen.has(el)) return;
  seen.add(el);
  for (const key of Object.keys(el.$attrs ?? {})) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    const colon = key.indexOf(':');
    const uri = colon > 0 ? namespaceOf(el, key.slice(0, colon)) : undefined;
    if (uri === XSI) continue;
    if (el.$type === 'bpmn:Definitions' && isModelerBookkeeping(uri, key.slice(colon + 1))) continue;
    const params = { key, type: el.$type, namespaceLabel: uri ? `label.namespace:${uri}` : 'label.nothing' };
    problems.add(idOf(el), typeOf(el), msg(uri === CAMUNDA7 ? 'bpmn.attribute.camunda7' : 'bpmn.attribute.unknown', params));
  }
  for (const prop of el.$descriptor?.properties ?? []) {
    if (prop.isAttr || prop.isReference || SKIPPED_PROPERTIES.has(prop.name)) continue;
    const value = el[prop.name];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (isEl(child)) walk(child, problems, seen);
    }
  }
  // Extension elements from unknown namespaces have no descriptor: they are reported by the
  // transformers as unknown extension elements.
}
