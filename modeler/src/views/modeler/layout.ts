/**
 * Diagrams written by hand or by other tools often carry no diagram interchange (BPMNDiagram): the
 * engine runs them, but bpmn-js has nothing to draw. Such a file is laid out with bpmn-auto-layout
 * when opened. bpmn-auto-layout follows the flow nodes' <incoming>/<outgoing> references, which
 * hand-written files usually omit, so they are filled in from the sequence flows first.
 */
const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export function hasDiagramLayout(xml: string): boolean {
  return /<([\w.-]+:)?BPMNDiagram[\s>]/.test(xml);
}

/** The XML, laid out when it has no diagram interchange; `laidOut` tells whether it was. */
export async function ensureLayout(xml: string): Promise<{ xml: string; laidOut: boolean }> {
  if (hasDiagramLayout(xml)) return { xml, laidOut: false };
  const { layoutProcess } = await import('bpmn-auto-layout');
  return { xml: await layoutProcess(withFlowReferences(xml)), laidOut: true };
}

/** Adds the <incoming>/<outgoing> references that the sequence flows imply and that are missing. */
export function withFlowReferences(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml; // let the importer report it
  const byId = new Map<string, Element>();
  for (const el of Array.from(doc.getElementsByTagNameNS(BPMN_NS, '*'))) {
    const id = el.getAttribute('id');
    if (id) byId.set(id, el);
  }
  for (const flow of Array.from(doc.getElementsByTagNameNS(BPMN_NS, 'sequenceFlow'))) {
    const id = flow.getAttribute('id');
    if (!id) continue;
    const source = byId.get(flow.getAttribute('sourceRef') ?? '');
    const target = byId.get(flow.getAttribute('targetRef') ?? '');
    if (source) addReference(source, 'outgoing', id, flow.prefix);
    if (target) addReference(target, 'incoming', id, flow.prefix);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** Children that come before <incoming> / <outgoing> in a flow node. */
const BEFORE: Record<'incoming' | 'outgoing', Set<string>> = {
  incoming: new Set(['documentation', 'extensionElements', 'incoming']),
  outgoing: new Set(['documentation', 'extensionElements', 'incoming', 'outgoing']),
};

function addReference(node: Element, kind: 'incoming' | 'outgoing', flowId: string, prefix: string | null): void {
  const children = Array.from(node.children).filter((c) => c.namespaceURI === BPMN_NS);
  if (children.some((c) => c.localName === kind && c.textContent?.trim() === flowId)) return;
  const ref = node.ownerDocument.createElementNS(BPMN_NS, prefix ? `${prefix}:${kind}` : kind);
  ref.textContent = flowId;
  const after = Array.from(node.children).find((c) => !(c.namespaceURI === BPMN_NS && BEFORE[kind].has(c.localName)));
  node.insertBefore(ref, after ?? null);
}
