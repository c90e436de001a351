/**
 * Cheap checks that run before the XML parser sees the input, so hostile or broken uploads are
 * refused in linear time without building a document:
 * - size limit (default 5 MB of UTF-8),
 * - no document type declaration or entity declaration (no external entities, no "billion laughs"),
 * - no processing instruction but the XML declaration (no <?xml-stylesheet?> that a browser runs),
 * - element nesting depth limit (default 200; real diagrams stay well under 30),
 * - element count limit (default 50,000 XML elements, diagram interchange included: a diagram of
 *   500 tasks has about 3,500), which bounds the parser's and the compiler's work,
 * - the input must look like XML at all.
 *
 * The scanner only tracks what it needs: tags, quoted attribute values, comments, CDATA and
 * processing instructions. Well-formedness is left to the parser that runs afterwards.
 */
import { documentError } from './problems.js';
import { msg } from './messages.js';

export interface XmlSafetyLimits {
  /** Maximum size in bytes (UTF-8). */
  maxBytes?: number;
  /** Maximum element nesting depth. */
  maxDepth?: number;
  /** Maximum number of XML elements (start tags), diagram interchange included. */
  maxElements?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 200;
export const DEFAULT_MAX_ELEMENTS = 50_000;

/** Throws a BpmnCompileError (elementId '(document)') when the input is not safe to parse. */
export function assertSafeXml(xml: string, limits: XmlSafetyLimits = {}): void {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxElements = limits.maxElements ?? DEFAULT_MAX_ELEMENTS;

  if (typeof xml !== 'string') throw documentError(msg('bpmn.xml.notText'));
  // Cheap upper bound first (a UTF-16 code unit is at most 3 UTF-8 bytes), exact count if needed.
  if (xml.length > maxBytes || (xml.length * 3 > maxBytes && Buffer.byteLength(xml, 'utf8') > maxBytes)) {
    throw documentError(msg('bpmn.xml.tooManyBytes', { max: maxBytes }));
  }

  const start = firstSignificantIndex(xml);
  if (start < 0) throw documentError(msg('bpmn.xml.empty'));
  if (xml[start] !== '<') {
    throw documentError(msg('bpmn.xml.notXml'));
  }

  const elements = scan(xml, start, maxDepth);
  if (elements > maxElements) {
    throw documentError(msg('bpmn.xml.tooManyElements', { count: elements, max: maxElements }));
  }
}

function firstSignificantIndex(xml: string): number {
  let i = 0;
  if (xml.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  while (i < xml.length && /\s/.test(xml[i]!)) i++;
  return i < xml.length ? i : -1;
}

function lineOf(xml: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (xml.charCodeAt(i) === 10) line++;
  return line;
}

type Unclosed = 'bpmn.xml.commentNotClosed' | 'bpmn.xml.cdataNotClosed' | 'bpmn.xml.instructionNotClosed';

function skipPast(xml: string, from: number, terminator: string, what: Unclosed): number {
  const end = xml.indexOf(terminator, from);
  if (end < 0) {
    throw documentError(msg(what, { line: lineOf(xml, from) }));
  }
  return end + terminator.length;
}

/** Checks nesting and returns the number of elements. */
function scan(xml: string, from: number, maxDepth: number): number {
  let depth = 0;
  let elements = 0;
  let i = from;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      i = skipPast(xml, lt + 4, '-->', 'bpmn.xml.commentNotClosed');
    } else if (xml.startsWith('<![CDATA[', lt)) {
      i = skipPast(xml, lt + 9, ']]>', 'bpmn.xml.cdataNotClosed');
    } else if (xml.startsWith('<?', lt)) {
      const target = /^<\?([^\s?]*)/.exec(xml.slice(lt, lt + 40))?.[1] ?? '';
      // Only the XML declaration, and only at the start: <?xml-stylesheet …?> would make a browser
      // that opens the stored file run a stylesheet (and with it, script).
      if (!(target === 'xml' && lt === from)) {
        throw documentError(msg('bpmn.xml.processingInstruction', { target: target.slice(0, 30), line: lineOf(xml, lt) }));
      }
      i = skipPast(xml, lt + 2, '?>', 'bpmn.xml.instructionNotClosed');
    } else if (xml[lt + 1] === '!') {
      const word = /^<!([A-Za-z]*)/.exec(xml.slice(lt, lt + 12))?.[1]?.toUpperCase() ?? '';
      const kind = word === 'ENTITY' ? '<!ENTITY' : word === 'DOCTYPE' ? '<!DOCTYPE' : `<!${word}`;
      throw documentError(msg('bpmn.xml.declaration', { kind, line: lineOf(xml, lt) }));
    } else if (xml[lt + 1] === '/') {
      depth--;
      i = lt + 2;
    } else {
      const end = tagEnd(xml, lt + 1);
      if (end < 0) {
        throw documentError(msg('bpmn.xml.tagNotClosed', { line: lineOf(xml, lt) }));
      }
      elements++;
      if (xml[end - 1] !== '/') {
        depth++;
        if (depth > maxDepth) {
          throw documentError(msg('bpmn.xml.tooDeep', { max: maxDepth, line: lineOf(xml, lt) }));
        }
      }
      i = end + 1;
    }
  }
  return elements;
}

/** Index of the '>' that closes the tag starting before `from`, skipping quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}
