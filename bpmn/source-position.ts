/**
 * Locating elements in the XML source for parse problems that moddle reports only by line and
 * column (unknown elements are dropped before they have an object we could ask for its id).
 */

/** Offset of a 0-based line/column, or -1 when out of range. */
export function offsetOf(xml: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = xml.indexOf('\n', offset);
    if (nl < 0) return -1;
    offset = nl + 1;
  }
  return offset + column;
}

const ID_ATTR = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/**
 * The id of the element whose start tag begins at `offset`, or else the id of the nearest enclosing
 * element that has one (e.g. the task around an unknown extension element).
 */
export function enclosingId(xml: string, offset: number): string | undefined {
  const stack: (string | undefined)[] = [];
  let i = 0;
  while (i <= offset && i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0 || lt > offset) break;
    if (xml.startsWith('<!--', lt)) {
      i = closeAfter(xml, lt, '-->');
    } else if (xml.startsWith('<![CDATA[', lt)) {
      i = closeAfter(xml, lt, ']]>');
    } else if (xml[lt + 1] === '?' || xml[lt + 1] === '!') {
      i = closeAfter(xml, lt, '>');
    } else if (xml[lt + 1] === '/') {
      stack.pop();
      i = closeAfter(xml, lt, '>');
    } else {
      const end = closeAfter(xml, lt, '>');
      const tag = xml.slice(lt, end);
      const m = ID_ATTR.exec(tag);
      const id = m ? (m[1] ?? m[2]) : undefined;
      if (lt === offset && id) return id;
      if (!tag.endsWith('/>')) stack.push(id);
      i = end;
    }
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k]) return stack[k];
  return undefined;
}

function closeAfter(xml: string, from: number, terminator: string): number {
  const end = xml.indexOf(terminator, from);
  return end < 0 ? xml.length : end + terminator.length;
}
