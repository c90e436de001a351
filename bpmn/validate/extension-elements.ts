/**
 * Elements of namespaces moddle does not know. Outside extension points moddle already refuses
 * them; inside extension points (bpmn:extensionElements on every element, definitions included,
 * and di:extension in the diagram interchange) it keeps them as "generic" elements. A stored
 * diagram is served back to browsers, so an XHTML <script> or an SVG element hidden there is no
 * harmless leftover: every generic element is refused, naming it and its namespace.
 *
 * Known namespaces are those of the packages the compiler loads: BPMN 2.0 (model, DI, DC, DI),
 * bpmn-io's colour attributes, Zeebe (Camunda 8) and our own compiler extensions (extension.ts).
 * Elements of a known namespace but an unknown type are refused by moddle ("unknown type").
 */
import { idOf, isEl, typeOf, type El } from '../moddle.js';
import type { Problems } from '../problems.js';
import { msg } from '../messages.js';

interface GenericDescriptor {
  readonly isGeneric?: boolean;
  readonly ns?: { readonly uri?: string; readonly prefix?: string; readonly localName?: string };
}

function isGeneric(el: El): boolean {
  return (el.$descriptor as GenericDescriptor | undefined)?.isGeneric === true;
}

export function validateExtensionElements(definitions: El, problems: Problems): void {
  walk(definitions, problems, new Set());
}

function walk(el: El, problems: Problems, seen: Set<El>): void {
  if (seen.has(el)) return;
  seen.add(el);
  for (const prop of el.$descriptor?.properties ?? []) {
    if (prop.isAttr || prop.isReference) continue;
    const value = el[prop.name];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (!isEl(child)) continue;
      if (isGeneric(child)) report(child, el, problems);
      else walk(child, problems, seen);
    }
  }
}

function report(unknown: El, container: El, problems: Problems): void {
  const ns = (unknown.$descriptor as GenericDescriptor | undefined)?.ns;
  // moddle names an element of a default (unprefixed) namespace ns0:…; show it as written.
  const name = ns?.localName && /^ns\d+$/.test(ns.prefix ?? '') ? ns.localName : unknown.$type;
  problems.add(
    idOf(container),
    typeOf(container),
    msg('bpmn.extension.unknownNamespace', {
      name,
      namespaceLabel: ns?.uri ? `label.namespace:${ns.uri}` : 'label.nothing',
      container: typeOf(container),
    }),
  );
}
