/**
 * A process diagram in bpmn-js's NavigatedViewer (pan and zoom, no editing) with the SLA figures of
 * each element as an overlay (count · mean duration · breach rate) and the shape coloured by its breach
 * rate. Loaded by dynamic import when the board first shows a heatmap.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { HeatElement } from '../../api/board.js';
import { ensureLayout } from '../modeler/layout.js';
import { heatLevel } from './heat.js';

export interface HeatmapViewer {
  show(xml: string, elements: HeatElement[], overlay: (e: HeatElement) => HTMLElement): Promise<void>;
  resize(): void;
  dispose(): void;
}

export function heatmapViewer(container: HTMLElement): HeatmapViewer {
  const viewer = new NavigatedViewer({ container });
  const marked: Array<[string, string]> = [];
  return {
    async show(xml, elements, overlay) {
      const laid = await ensureLayout(xml);
      await viewer.importXML(laid.xml);
      const canvas = viewer.get<Canvas>('canvas');
      const registry = viewer.get<ElementRegistry>('elementRegistry');
      const overlays = viewer.get<Overlays>('overlays');
      marked.length = 0;
      for (const e of elements) {
        if (!registry.get(e.elementId)) continue; // an element of another version
        const cls = `heat-${heatLevel(e.breachRate)}`;
        canvas.addMarker(e.elementId, cls);
        marked.push([e.elementId, cls]);
        overlays.add(e.elementId, 'sla-heat', { position: { bottom: -6, left: -6 }, html: overlay(e) });
      }
      canvas.zoom('fit-viewport');
    },
    resize() {
      try {
        viewer.get<Canvas>('canvas').resized();
      } catch {
        // nothing imported yet
      }
    },
    dispose: () => viewer.destroy(),
  };
}
