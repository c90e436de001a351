/**
 * Parsing with bpmn-moddle + zeebe-bpmn-moddle, and a small typed view of moddle elements.
 *
 * moddle keeps going when it meets something it does not know (an unknown element is dropped, an
 * unknown attribute is kept aside, a dangling reference becomes undefined) and reports a warning.
 * Every warning becomes a compile problem here: nothing in a diagram is silently ignored.
 */
import { BpmnModdle, type ParseWarning } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { DOCUMENT, Problems } from './problems.js';
import { enclosingId, offsetOf } from './source-position.js';
import { msg, type CodedMessage } from './messages.js';

/** A moddle element as the compiler sees it: its type, parent, and untyped properties. */
export interface El {
  readonly $type: string;
  readonly $parent?: El;
  readonly $attrs?: Record<string, string>;
  readonly $descriptor?: { readonly properties?: readonly PropertyDescriptor[] };
  readonly $instanceOf?: (type: string) => boolean;
  readonly id?: string;
  readonly [key: string]: unknown;
}

export interface PropertyDescriptor {
  readonly name: string;
  readonly isMany?: boolean;
  readonly isReference?: boolean;
  readonly isAttr?: boolean;
}

export function isEl(value: unknown): value is El {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

export function str(el: El, key: string): string | undefined {
  const v = el[key];
  return typeof v === 'string' ? v : undefined;
}

export function bool(el: El, key: string): boolean | undefined {
  const v = el[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function one(el: El, key: string): El | undefined {
  const v = el[key];
  return isEl(v) ? v : undefined;
}

export function many(el: El, key: string): El[] {
  const v = el[key];
  return Array.isArray(v) ? v.filter(isEl) : [];
}

export function instanceOf(el: El, type: string): boolean {
  return el.$type === type || (typeof el.$instanceOf === 'function' && el.$instanceOf(type));
}

/** The element's own id, or the id of its nearest ancestor that has one. */
export function idOf(el: El | undefined): string {
  for (let e = el; e; e = e.$parent) if (e.id) return e.id;
  return DOCUMENT;
}

/** The element's bpmn type if it has an id, otherwise its nearest identified ancestor's type. */
export function typeOf(el: El | undefined): string {
  for (let e = el; e; e = e.$parent) if (e.id) return e.$type;
  return el?.$type ?? 'document';
}

/** Extension elements (zeebe:* and foreign ones) of an element. */
export function extensionValues(el: El): El[] {
  const ext = one(el, 'extensionElements');
  return ext ? many(ext, 'values') : [];
}

/**
 * Parse BPMN XML, adding every parse warning to `problems`. Returns undefined when the XML cannot
 * be read at all or is not well-formed: moddle recovers from syntax errors by skipping content, so
 * the tree would produce misleading follow-on problems.
 */
export async function parseDefinitions(
  xml: string,
  problems: Problems,
  extraPackages: Record<string, unknown> = {},
): Promise<El | undefined> {
  const moddle = BpmnModdle({ zeebe: zeebeDescriptor, ...extraPackages });
  let result;
  try {
    result = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (err) {
    // A TypeError is moddle tripping over markup where it expects text (e.g. an element inside
    // <bpmn:text>); its message is about moddle's internals, not the file, so it is not shown.
    let problem: CodedMessage;
    if (err instanceof TypeError) problem = msg('bpmn.xml.markupInText');
    else {
      const inner = describeUnparsable(err instanceof Error ? err.message : String(err), xml).problem;
      problem = msg('bpmn.xml.unreadable', { ...inner.params, innerLabel: inner.code });
    }
    problems.add(DOCUMENT, 'document', problem);
    return undefined;
  }
  let wellFormed = true;
  for (const w of result.warnings) wellFormed = warningToProblem(w, xml, problems) && wellFormed;
  return wellFormed && isEl(result.rootElement) ? result.rootElement : undefined;
}

/** Adds the problem; returns false when the warning is an XML syntax error. */
function warningToProblem(w: ParseWarning, xml: string, problems: Problems): boolean {
  const element = isEl(w.element) ? w.element : undefined;
  const unknownAttr = /^unknown attribute <(.+)>$/.exec(w.message);
  if (unknownAttr) {
    problems.add(idOf(element), typeOf(element), msg('bpmn.xml.unknownAttribute', { name: unknownAttr[1]!, type: element?.$type ?? '?' }));
    return true;
  }
  const unresolved = /^unresolved reference <(.+)>$/.exec(w.message);
  if (unresolved) {
    const propertyLabel = w.property ? `label.inProperty:${w.property.replace(/^bpmn:/, '')}` : 'label.nothing';
    problems.add(idOf(element), typeOf(element), msg('bpmn.xml.unresolvedReference', { ref: unresolved[1]!, propertyLabel }));
    return true;
  }
  const described = describeUnparsable(w.message, xml);
  problems.add(described.elementId, described.elementType, described.problem);
  return !described.malformed;
}

interface Described {
  elementId: string;
  elementType: string;
  problem: CodedMessage;
  /** An XML syntax error (as opposed to unknown or duplicate content in well-formed XML). */
  malformed?: boolean;
}

/** Turn moddle's "unparsable content ... line/column ... nested error" text into a readable problem. */
function describeUnparsable(message: string, xml: string): Described {
  const m = /^unparsable content (<[^\n]*?>|[^\n]*?) detected\s+line: (\d+)\s+column: (\d+)\s+nested error: (.*)$/s.exec(
    message,
  );
  if (!m) return { elementId: DOCUMENT, elementType: 'document', problem: msg('bpmn.xml.parser', { error: message }), malformed: true };
  const [, tag, lineText, columnText, nested] = m as unknown as [string, string, string, string, string];
  const line = Number(lineText) + 1;
  const column = Number(columnText) + 1;
  const duplicate = /^duplicate ID <(.+)>$/.exec(nested);
  if (duplicate) {
    return {
      elementId: duplicate[1]!,
      elementType: tagType(tag),
      problem: msg('bpmn.xml.duplicateId', { id: duplicate[1]!, line, column }),
    };
  }
  const unknownType = /^unknown type <(.+)>$/.exec(nested);
  if (unknownType) {
    return {
      elementId: enclosingId(xml, offsetOf(xml, Number(lineText), Number(columnText))) ?? DOCUMENT,
      elementType: unknownType[1]!,
      problem: msg('bpmn.xml.unknownElement', { tag, line, column }),
    };
  }
  const unrecognized = /^unrecognized element <(.+)>$/.exec(nested);
  if (unrecognized) {
    // An element of a namespace moddle does not know, outside an extension point (which would keep
    // it as a generic element for validate/extension-elements.ts): e.g. an XHTML <script> in the DI.
    const offset = offsetOf(xml, Number(lineText), Number(columnText));
    const uri = namespaceAt(xml, offset, tag);
    return {
      elementId: enclosingId(xml, offset) ?? DOCUMENT,
      elementType: unrecognized[1]!,
      problem: msg('bpmn.xml.unrecognizedElement', { tag, namespaceLabel: uri ? `label.namespace:${uri}` : 'label.nothing', line, column }),
      malformed: true,
    };
  }
  return {
    elementId: DOCUMENT,
    elementType: 'document',
    problem: msg('bpmn.xml.notWellFormedNear', { tag, line, column, error: nested }),
    malformed: true,
  };
}

/**
 * The namespace URI of the tag that starts at `offset`: its own xmlns declaration, else the last
 * declaration of its prefix before it (nearly always the one in scope; only for the message).
 */
function namespaceAt(xml: string, offset: number, tag: string): string | undefined {
  const prefix = /^<([\w.-]+):/.exec(tag)?.[1];
  const attribute = prefix ? `xmlns:${prefix}=` : 'xmlns=';
  const start = xml.lastIndexOf('<', offset);
  const end = xml.indexOf('>', offset);
  const own = start >= 0 && end > start ? xml.slice(start, end) : '';
  let at = own.indexOf(attribute);
  let source = own;
  if (at < 0) {
    source = xml;
    at = xml.lastIndexOf(attribute, start);
  }
  if (at < 0) return undefined;
  const quote = source.charAt(at + attribute.length);
  const close = source.indexOf(quote, at + attribute.length + 1);
  return close > at ? source.slice(at + attribute.length + 1, close) : undefined;
}

function tagType(tag: string): string {
  const m = /^<([\w.-]+:)?([\w.-]+)/.exec(tag);
  if (!m) return 'document';
  const local = m[2]!;
  return `${(m[1] ?? 'bpmn:').toLowerCase()}${local.charAt(0).toUpperCase()}${local.slice(1)}`;
}
