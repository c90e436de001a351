/**
 * Attributes from namespaces moddle does not know end up in `$attrs` without a warning. They are
 * reported here (e.g. a Camunda 7 camunda:assignee would otherwise be dropped silently), except:
 * namespace declarations, xsi:* and Camunda Modeler's modeler:* attributes on bpmn:definitions.
 * Diagram interchange (bpmndi) and documentation are not inspected: they do not affect execution.
 */
import { idOf, isEl, typeOf, type El } from '../moddle.js';
import type { Problems } from '../problems.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const MODELER = 'http://camunda.org/schema/modeler/1.0';
const CAMUNDA7 = 'http://camunda.org/schema/1.0/bpmn';
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

function walk(el: El, problems: Problems, seen: Set<El>): void {
  if (seen.has(el)) return;
  seen.add(el);
  for (const key of Object.keys(el.$attrs ?? {})) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    const colon = key.indexOf(':');
    const uri = colon > 0 ? namespaceOf(el, key.slice(0, colon)) : undefined;
    if (uri === XSI) continue;
    if (uri === MODELER && el.$type === 'bpmn:Definitions') continue;
    const hint =
      uri === CAMUNDA7
        ? ' This is a Camunda 7 attribute; this engine follows Camunda 8 (Zeebe): use the zeebe:* extensions.'
        : ' Remove it.';
    problems.add(idOf(el), typeOf(el), `Unknown attribute "${key}" on <${el.$type}>${uri ? ` (namespace ${uri})` : ''}.${hint}`);
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
