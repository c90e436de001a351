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

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function heatmapViewer(container: HTMLElement): HeatmapViewer {
  const viewer = new NavigatedViewer({ container });
  // the shapes that have figures: the view is centred on them (at most at 75 %), the rest a pan away
  let focus: Box | undefined;
  const canvas = () => viewer.get<Canvas>('canvas');

  function fit(): void {
    const c = canvas();
    c.zoom('fit-viewport');
    if (!focus) return;
    const outer = c.getSize();
    const pad = 80;
    const scale = Math.min(0.75, outer.width / (focus.width + 2 * pad), outer.height / (focus.height + 2 * pad));
    const width = outer.width / scale;
    const height = outer.height / scale;
    c.viewbox({ x: focus.x + focus.width / 2 - width / 2, y: focus.y + focus.height / 2 - height / 2, width, height });
  }

  // one import at a time: a second show waits for the first to finish
  let chain: Promise<unknown> = Promise.resolve();

  async function show(xml: string, elements: HeatElement[], overlay: (e: HeatElement) => HTMLElement): Promise<void> {
    const laid = await ensureLayout(xml);
    await viewer.importXML(laid.xml);
    const registry = viewer.get<ElementRegistry>('elementRegistry');
    const overlays = viewer.get<Overlays>('overlays');
    const shapes: Box[] = [];
    for (const e of elements) {
      const shape = registry.get(e.elementId) as Partial<Box> | undefined;
      if (!shape || shape.x === undefined) continue; // an element of another version
      shapes.push(shape as Box);
      canvas().addMarker(e.elementId, `heat-${heatLevel(e.breachRate)}`);
      overlays.add(e.elementId, 'sla-heat', { position: { bottom: -6, left: -6 }, html: overlay(e) });
    }
    if (shapes.length) {
      const x = Math.min(...shapes.map((b) => b.x));
      const y = Math.min(...shapes.map((b) => b.y));
      focus = { x, y, width: Math.max(...shapes.map((b) => b.x + b.width)) - x, height: Math.max(...shapes.map((b) => b.y + b.height)) - y + 24 };
    } else {
      focus = undefined;
    }
    fit();
  }

  return {
    show(xml, elements, overlay) {
      const run = chain.then(() => show(xml, elements, overlay));
      chain = run.catch(() => undefined);
      return run;
    },
    resize() {
      try {
        canvas().resized();
        fit();
      } catch {
        // nothing imported yet
      }
    },
    dispose: () => viewer.destroy(),
  };
}
