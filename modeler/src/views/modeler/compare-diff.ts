/**
 * What differs between two BPMN diagrams, computed over their moddle trees (bpmn-moddle with the
 * zeebe and SLA extensions), never over XML text: elements are matched by id; an element is added,
 * removed, changed (its type, name, attributes, references, conditions, extension elements such as
 * zeebe:assignmentDefinition / formDefinition / taskDefinition or sla:limit differ), or only moved
 * (its shape's bounds or its edge's waypoints differ while its meaning does not).
 *
 * Pure code (no DOM, no bpmn-js): the modeler's compare panel and the unit tests use it alike.
 */

/** The little of a moddle element this module reads. */
export interface ModdleElement {
  $type: string;
  $descriptor?: { properties?: ModdleProperty[] };
  $attrs?: Record<string, unknown>;
  id?: string;
  name?: string;
  [key: string]: unknown;
}

interface ModdleProperty {
  name: string;
  isMany?: boolean;
  isReference?: boolean;
}

export interface PropertyChange {
  /** A path such as `name`, `conditionExpression.body`, `extensionElements.zeebe:AssignmentDefinition.candidateGroups`. */
  path: string;
  before?: string;
  after?: string;
  /** The path is a nested element (its value is the element's type): it appeared, went, or changed type. */
  element?: boolean;
}

export interface ElementDiff {
  id: string;
  /** The element's type now (before, for a removed element). */
  type: string;
  name?: string;
  kind: 'added' | 'removed' | 'changed' | 'layout';
  /** For `changed`: what changed ($type for a change of type). */
  changes: PropertyChange[];
}

export interface DiagramDiff {
  added: ElementDiff[];
  removed: ElementDiff[];
  changed: ElementDiff[];
  /** Same meaning, other position or routing. */
  layout: ElementDiff[];
}

/** Containers walked for elements with an identity of their own (not compared as properties). */
const CHILDREN = new Set(['rootElements', 'flowElements', 'artifacts', 'laneSets', 'lanes', 'childLaneSet', 'participants', 'messageFlows']);
/** Properties left out of the comparison: identity, the diagram interchange, the derived incoming/outgoing lists, lane membership (follows the layout). */
const SKIPPED = new Set(['id', 'di', 'diagrams', 'incoming', 'outgoing', 'flowNodeRef', 'boundaryEventRefs', 'categoryValueRef', 'extensionDefinitions']);

function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

/** Read directly, not by el.get(): moddle's get() creates an empty list on the live element for a list property. */
function propertyValue(el: ModdleElement, p: ModdleProperty): unknown {
  return el[p.name];
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The element's comparable content as path → text (nested elements flattened, references by id). */
export function flatten(el: ModdleElement, prefix = '', out: Map<string, string> = new Map(), elements: Set<string> = new Set()): Map<string, string> {
  for (const p of el.$descriptor?.properties ?? []) {
    if (SKIPPED.has(p.name) || CHILDREN.has(p.name)) continue;
    const value = propertyValue(el, p);
    if (value === undefined || value === null) continue;
    const path = prefix + p.name;
    if (p.isReference) {
      const ids = (Array.isArray(value) ? value : [value]).map((v) => (isElement(v) ? v.id : text(v))).filter((v): v is string => Boolean(v));
      if (ids.length > 0) out.set(path, ids.sort().join(', '));
      continue;
    }
    if (Array.isArray(value)) {
      // Several of one type are numbered in order (zeebe:input #1, #2); one alone keeps the plain name.
      const seen = new Map<string, number>();
      const total = new Map<string, number>();
      for (const v of value) if (isElement(v)) total.set(v.$type, (total.get(v.$type) ?? 0) + 1);
      value.forEach((v, i) => {
        if (isElement(v)) {
          const n = (seen.get(v.$type) ?? 0) + 1;
          seen.set(v.$type, n);
          const itemPath = `${path}.${v.$type}${(total.get(v.$type) ?? 0) > 1 ? `#${n}` : ''}`;
          out.set(itemPath, v.$type);
          elements.add(itemPath);
          flatten(v, `${itemPath}.`, out, elements);
        } else {
          const t = text(v);
          if (t !== undefined) out.set(`${path}#${i + 1}`, t);
        }
      });
      continue;
    }
    if (isElement(value)) {
      out.set(path, value.$type);
      elements.add(path);
      flatten(value, `${path}.`, out, elements);
      continue;
    }
    const t = text(value);
    if (t !== undefined) out.set(path, t);
  }
  for (const [name, value] of Object.entries(el.$attrs ?? {})) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const t = text(value);
    if (t !== undefined) out.set(prefix + name, t);
  }
  return out;
}

/** Every element with an id, in document order (processes, their flow elements and lanes, pools, message flows). */
export function collect(definitions: ModdleElement): Map<string, ModdleElement> {
  const found = new Map<string, ModdleElement>();
  const visit = (el: ModdleElement) => {
    if (el.id && el.$type !== 'bpmn:Definitions' && !found.has(el.id)) found.set(el.id, el);
    for (const p of el.$descriptor?.properties ?? []) {
      if (!CHILDREN.has(p.name)) continue;
      const value = propertyValue(el, p);
      for (const child of Array.isArray(value) ? value : [value]) if (isElement(child)) visit(child);
    }
  };
  visit(definitions);
  return found;
}

/** Position of every drawn element: a shape's bounds, an edge's waypoints (rounded to whole pixels). */
export function layoutOf(definitions: ModdleElement): Map<string, string> {
  const where = new Map<string, string>();
  const diagrams = definitions.diagrams as ModdleElement[] | undefined;
  for (const diagram of diagrams ?? []) {
    const plane = diagram.plane as ModdleElement | undefined;
    for (const di of (plane?.planeElement as ModdleElement[] | undefined) ?? []) {
      const target = di.bpmnElement as ModdleElement | undefined;
      if (!target?.id) continue;
      const bounds = di.bounds as { x: number; y: number; width: number; height: number } | undefined;
      const waypoints = di.waypoint as Array<{ x: number; y: number }> | undefined;
      const r = Math.round;
      if (bounds) where.set(target.id, `${r(bounds.x)},${r(bounds.y)},${r(bounds.width)},${r(bounds.height)}`);
      else if (waypoints) where.set(target.id, waypoints.map((p) => `${r(p.x)},${r(p.y)}`).join(' '));
    }
  }
  return where;
}

function entry(el: ModdleElement, kind: ElementDiff['kind'], changes: PropertyChange[] = []): ElementDiff {
  const name = typeof el.name === 'string' && el.name.trim() ? el.name.trim() : undefined;
  return { id: el.id ?? '', type: el.$type, name, kind, changes };
}

/** What `after` (the draft) changes against `before` (the running version). */
export function diffDefinitions(before: ModdleElement, after: ModdleElement): DiagramDiff {
  const old = collect(before);
  const now = collect(after);
  const oldLayout = layoutOf(before);
  const newLayout = layoutOf(after);
  const diff: DiagramDiff = { added: [], removed: [], changed: [], layout: [] };
  for (const [id, el] of now) {
    const was = old.get(id);
    if (!was) {
      diff.added.push(entry(el, 'added'));
      continue;
    }
    const changes: PropertyChange[] = [];
    if (was.$type !== el.$type) changes.push({ path: '$type', before: was.$type, after: el.$type });
    const elements = new Set<string>();
    const a = flatten(was, '', new Map(), elements);
    const b = flatten(el, '', new Map(), elements);
    for (const path of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(path) === b.get(path)) continue;
      const change: PropertyChange = { path, before: a.get(path), after: b.get(path) };
      if (elements.has(path)) change.element = true;
      changes.push(change);
    }
    // The type and the name first (what a reader looks for), the rest in the descriptor's order.
    const rank = (c: PropertyChange) => (c.path === '$type' ? 0 : c.path === 'name' ? 1 : 2);
    changes.sort((x, y) => rank(x) - rank(y));
    if (changes.length > 0) diff.changed.push(entry(el, 'changed', changes));
    else if (oldLayout.get(id) !== newLayout.get(id)) diff.layout.push(entry(el, 'layout'));
  }
  for (const [id, el] of old) if (!now.has(id)) diff.removed.push(entry(el, 'removed'));
  return diff;
}
