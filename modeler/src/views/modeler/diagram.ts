/**
 * The bpmn-js Modeler with the Zeebe (Camunda 8) extensions and the SLA module's, so zeebe:userTask,
 * candidate groups, forms, task types and service-time limits survive open → edit → deploy. Helpers for the services the view uses.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/assets/properties-panel.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import camundaCloudBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Selection from 'diagram-js/lib/features/selection/Selection';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
// The SLA module's descriptor, the same file the compiler reads: <sla:limit> and <sla:span> survive editing.
import slaModdle from '../../../../sla/moddle.json';
import { ensureLayout } from './layout.js';
import { gongdianPanelModule, type Directory } from './panel.js';
import { translateModule } from './translate.js';
import lintModule from 'bpmn-js-bpmnlint';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import { bpmnlintConfig } from './lint.js';

/** A new executable process with one start event; the id is unique so two new diagrams don't collide. */
export function emptyDiagram(): string {
  const id = `Process_${Math.random().toString(36).slice(2, 9)}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  id="Definitions_${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="开始" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

export class Diagram {
  readonly modeler: BpmnModeler;

  /**
   * `panel`: where the properties panel goes; `directory`: the departments and people its pickers
   * offer (filled in when they arrive); `extraModules`: more diagram-js modules (the linter).
   */
  constructor(container: HTMLElement, panel: HTMLElement, directory: Directory, extraModules: unknown[] = [], extraConfig: Record<string, unknown> = {}) {
    this.modeler = new BpmnModeler({
      container,
      propertiesPanel: { parent: panel },
      additionalModules: [
        translateModule,
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        ZeebePropertiesProviderModule,
        camundaCloudBehaviors,
        gongdianPanelModule(directory),
        lintModule,
        ...extraModules,
      ],
      linting: { bpmnlint: bpmnlintConfig, active: true },
      moddleExtensions: { zeebe: zeebeModdle, sla: slaModdle },
      ...extraConfig,
    } as never);
  }

  private get canvas(): Canvas {
    return this.modeler.get<Canvas>('canvas');
  }

  /**
   * Opens XML (laid out first when it has no diagram interchange). Returns whether it was laid out
   * and the bpmn-js import warnings (unknown elements and the like).
   */
  async open(xml: string): Promise<{ laidOut: boolean; warnings: string[] }> {
    const prepared = await ensureLayout(xml);
    const { warnings } = await this.modeler.importXML(prepared.xml);
    // 'auto' centres the diagram (so small diagrams are not hidden behind the palette); the typings only know points.
    this.canvas.zoom('fit-viewport', 'auto' as never);
    return { laidOut: prepared.laidOut, warnings: warnings.map((w) => String((w as { message?: string }).message ?? w)) };
  }

  async xml(): Promise<string> {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml ?? '';
  }

  /** Lints again (after the departments the rules check against arrived). */
  relint(): void {
    this.modeler.get<{ update(): void }>('linting').update();
  }

  /** Id of the diagram's (first) process, for file names. */
  processId(): string | undefined {
    const root = this.canvas.getRootElement() as { businessObject?: { id?: string; $type?: string; processRef?: { id?: string } } };
    const bo = root.businessObject;
    if (!bo) return undefined;
    if (bo.$type === 'bpmn:Process') return bo.id;
    return undefined;
  }

  has(elementId: string): boolean {
    return Boolean(this.modeler.get<ElementRegistry>('elementRegistry').get(elementId));
  }

  /** Name of an element as drawn, when it has one. */
  nameOf(elementId: string): string | undefined {
    const el = this.modeler.get<ElementRegistry>('elementRegistry').get(elementId) as { businessObject?: { name?: string } } | undefined;
    return el?.businessObject?.name || undefined;
  }

  addMarker(elementId: string, marker: string): void {
    if (this.has(elementId)) this.canvas.addMarker(elementId, marker);
  }

  removeMarkerEverywhere(marker: string): void {
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    for (const el of registry.getAll()) this.canvas.removeMarker(el as never, marker);
  }

  /** Selects an element and scrolls it into view. */
  focus(elementId: string): void {
    const el = this.modeler.get<ElementRegistry>('elementRegistry').get(elementId);
    if (!el) return;
    this.canvas.scrollToElement(el as never);
    this.modeler.get<Selection>('selection').select(el as never);
  }

  resized(): void {
    this.canvas.resized();
  }

  destroy(): void {
    this.modeler.destroy();
  }
}
