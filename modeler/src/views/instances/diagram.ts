/**
 * The instance's diagram (bpmn-js NavigatedViewer, loaded only when an instance page opens) with
 * the completed path (completed elements and the flows taken between them), badges with the count
 * of active tokens on active elements and red badges on elements with open incidents.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { ElementInstance, Incident } from '../../api/instances.js';
import { h } from '../../dom.js';
import { ensureLayout } from '../modeler/layout.js';
import { tx } from './text.js';

interface Shape {
  id: string;
  type: string;
  waypoints?: unknown[];
  source?: { id: string };
  target?: { id: string };
}

export interface InstanceDiagram {
  /** Draws `xml` and marks the instance's state on it. */
  show(xml: string, elements: ElementInstance[], incidents: Incident[]): Promise<void>;
  destroy(): void;
}

/** How many of `items` there are per key. */
function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const item of items) m.set(key(item), (m.get(key(item)) ?? 0) + 1);
  return m;
}

export function instanceDiagram(container: HTMLElement): InstanceDiagram {
  const viewer = new NavigatedViewer({ container });
  return {
    async show(xml, elements, incidents) {
      // A diagram deployed without layout (written by hand or by another tool) is laid out as the modeler does.
      await viewer.importXML((await ensureLayout(xml)).xml);
      const canvas = viewer.get<Canvas>('canvas');
      const registry = viewer.get<ElementRegistry>('elementRegistry');
      const overlays = viewer.get<Overlays>('overlays');
      overlays.clear();
      // the process instance itself has an element instance too; its diagram is the whole canvas, not a shape
      const steps = elements.filter((e) => e.elementInstanceKey !== e.processInstanceKey);
      const completed = new Set(steps.filter((e) => e.state === 'COMPLETED').map((e) => e.elementId));
      const visited = new Set(steps.map((e) => e.elementId));
      const active = countBy(
        steps.filter((e) => e.state === 'ACTIVE'),
        (e) => e.elementId,
      );
      const failing = countBy(
        incidents.filter((i) => i.state === 'ACTIVE'),
        (i) => i.elementId,
      );
      const flowsTaken = new Set(steps.filter((e) => e.type === 'SEQUENCE_FLOW').map((e) => e.elementId));
      for (const el of registry.getAll() as Shape[]) {
        if (el.type === 'bpmn:SequenceFlow') {
          // The read model records elements, not flows: a flow was taken when its source completed and its target was reached.
          const taken = flowsTaken.has(el.id) || (el.source && el.target && completed.has(el.source.id) && visited.has(el.target.id));
          if (taken) canvas.addMarker(el.id, 'mon-taken');
          continue;
        }
        if (completed.has(el.id) && !active.has(el.id)) canvas.addMarker(el.id, 'mon-completed');
        const n = active.get(el.id);
        if (n) {
          canvas.addMarker(el.id, 'mon-active');
          overlays.add(el.id, 'mon-badge', {
            position: { bottom: 8, left: -8 },
            html: h('span', { class: 'mon-badge mon-badge-active', title: tx('activeBadge', n), dataset: { elementId: el.id } }, String(n)),
          });
        }
        const f = failing.get(el.id);
        if (f) {
          canvas.addMarker(el.id, 'mon-incident');
          overlays.add(el.id, 'mon-badge', {
            position: { top: -10, right: 10 },
            html: h('span', { class: 'mon-badge mon-badge-incident', title: tx('incidentBadge', f), dataset: { elementId: el.id } }, `⚠ ${f}`),
          });
        }
      }
      canvas.zoom('fit-viewport', 'auto' as never);
      // A large diagram in a small box (a phone) is unreadable whole: show where the instance is, readable
      // (the whole is a pinch or wheel away).
      const focus = [...failing.keys(), ...active.keys()].find((id) => registry.get(id));
      const scale = canvas.zoom();
      if (focus && (scale < 0.35 || (scale < 0.6 && container.clientWidth < 700))) {
        canvas.zoom(0.9);
        canvas.scrollToElement(focus, 40);
      }
    },
    destroy() {
      viewer.destroy();
    },
  };
}
