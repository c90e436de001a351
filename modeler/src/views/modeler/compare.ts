/**
 * 与运行版本比较 / Compare with the running version: the draft on the canvas against the newest
 * deployed version of its process. Added elements are marked green on the canvas, changed ones
 * amber, moved-only ones blue; a list beside the canvas says what differs ("修改 用户任务 「受理」：
 * 候选组 由 A 改为 B"), each entry selecting its element. A removed element is not on the canvas: its
 * entry opens the running version read-only with the removed elements marked red. While comparing,
 * edits update the comparison; leaving removes the markers.
 */
import { deployedXml, latestDeployed, type DeployedVersion } from '../../api/modeler.js';
import { h, replace } from '../../dom.js';
import { errorText } from '../notice.js';
import { diffDefinitions, type DiagramDiff, type ElementDiff, type ModdleElement } from './compare-diff.js';
import { cx, describe } from './compare-text.js';
import type { Diagram } from './diagram.js';
import './compare.css';

const MARKERS = { added: 'diff-added', changed: 'diff-changed', layout: 'diff-moved' } as const;

interface Moddle {
  fromXML(xml: string, type: string): Promise<{ rootElement: ModdleElement }>;
}

/** The process a draft is about: the first executable process of the diagram, else the first process. */
export function processOf(diagram: Diagram): string | undefined {
  const definitions = diagram.modeler.getDefinitions() as { rootElements?: Array<{ $type: string; id?: string; isExecutable?: boolean }> } | undefined;
  const processes = (definitions?.rootElements ?? []).filter((r) => r.$type === 'bpmn:Process');
  return (processes.find((p) => p.isExecutable) ?? processes[0])?.id;
}

export class ComparePanel {
  readonly element: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly status = h('p', { class: 'compare-status', id: 'compare-status', role: 'status' });
  private readonly heading = h('p', { class: 'compare-against', id: 'compare-against' });
  private readonly list = h('ul', { class: 'compare-list', id: 'compare-list', 'aria-label': cx('title') });
  private running: { version: DeployedVersion; definitions: ModdleElement; xml: string } | undefined;
  private active = false;
  /** Bumped on every start/stop, so an answer arriving after leaving is dropped. */
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly diagram: Diagram) {
    this.button = h('button', { type: 'button', id: 'compare-running', 'aria-pressed': 'false', onclick: () => void this.toggle() }, cx('button'));
    const leave = h('button', { type: 'button', id: 'compare-leave', onclick: () => this.stop() }, cx('leave'));
    this.element = h(
      'section',
      { class: 'compare-box', id: 'compare-box', 'aria-labelledby': 'compare-title', hidden: true },
      h('div', { class: 'compare-head' }, h('h3', { id: 'compare-title' }, cx('title')), leave),
      this.heading,
      this.status,
      this.list,
    );
    diagram.modeler.on('commandStack.changed', () => {
      if (!this.active || !this.running) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.render(), 250);
    });
  }

  get comparing(): boolean {
    return this.active;
  }

  async toggle(): Promise<void> {
    if (this.active) this.stop();
    else await this.start();
  }

  /** Loads the running version of the diagram's process and shows what differs. */
  async start(): Promise<void> {
    const generation = ++this.generation;
    this.active = true;
    this.running = undefined;
    this.button.setAttribute('aria-pressed', 'true');
    this.element.hidden = false;
    this.heading.textContent = '';
    replace(this.list);
    this.clearMarkers();
    this.status.textContent = cx('loading');
    const processId = processOf(this.diagram);
    if (!processId) {
      this.status.textContent = cx('noProcess');
      return;
    }
    try {
      const version = await latestDeployed(processId);
      if (generation !== this.generation) return;
      if (!version) {
        this.status.textContent = cx('notDeployed', processId);
        return;
      }
      const xml = await deployedXml(version.processDefinitionKey);
      const { rootElement } = await this.diagram.modeler.get<Moddle>('moddle').fromXML(xml, 'bpmn:Definitions');
      if (generation !== this.generation) return;
      this.running = { version, definitions: rootElement, xml };
      this.heading.textContent = cx('against', version.name ?? version.processDefinitionId, version.version);
      this.render();
    } catch (err) {
      if (generation === this.generation) this.status.textContent = cx('failed', errorText(err));
    }
  }

  /** Leaves compare mode: markers and the list go. */
  stop(): void {
    this.generation += 1;
    this.active = false;
    this.running = undefined;
    clearTimeout(this.timer);
    this.clearMarkers();
    this.button.setAttribute('aria-pressed', 'false');
    this.element.hidden = true;
    replace(this.list);
  }

  /** The running version read-only in a dialog, the removed elements marked red, `focus` selected. */
  private async showRunning(removed: string[], focus: string): Promise<void> {
    const running = this.running;
    if (!running) return;
    const title = cx('runningTitle', running.version.name ?? running.version.processDefinitionId, running.version.version);
    const container = h('div', { class: 'deployed-canvas', id: 'compare-running-canvas', role: 'region', 'aria-label': title });
    const close = h('button', { type: 'button', id: 'compare-running-close' }, cx('close'));
    const dialog = h(
      'dialog',
      { class: 'draft-dialog deployed-dialog', id: 'compare-running-dialog', 'aria-labelledby': 'compare-running-title' },
      h('h3', { id: 'compare-running-title' }, title),
      h('p', { class: 'compare-against' }, cx('runningNote')),
      container,
      h('div', { class: 'dialog-actions' }, close),
    );
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let viewer: { destroy(): void } | undefined;
    dialog.addEventListener('close', () => {
      viewer?.destroy();
      dialog.remove();
      opener?.focus();
    });
    close.addEventListener('click', () => dialog.close());
    document.body.append(dialog);
    dialog.showModal();
    try {
      const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
      const v = new NavigatedViewer({ container });
      viewer = v;
      await v.importXML(running.xml);
      const canvas = v.get<{ addMarker(id: string, m: string): void; zoom(level: string, center: unknown): void; scrollToElement(el: unknown): void }>('canvas');
      const registry = v.get<{ get(id: string): unknown }>('elementRegistry');
      canvas.zoom('fit-viewport', 'auto');
      for (const id of removed) if (registry.get(id)) canvas.addMarker(id, 'diff-removed');
      const el = registry.get(focus);
      if (el) canvas.scrollToElement(el);
    } catch (err) {
      container.replaceWith(h('p', { role: 'alert' }, cx('failed', errorText(err))));
    }
  }

  private clearMarkers(): void {
    for (const marker of Object.values(MARKERS)) this.diagram.removeMarkerEverywhere(marker);
  }

  private render(): void {
    if (!this.running) return;
    const diff: DiagramDiff = diffDefinitions(this.running.definitions, this.diagram.modeler.getDefinitions() as unknown as ModdleElement);
    this.clearMarkers();
    for (const d of diff.added) this.diagram.addMarker(d.id, MARKERS.added);
    for (const d of diff.changed) this.diagram.addMarker(d.id, MARKERS.changed);
    for (const d of diff.layout) this.diagram.addMarker(d.id, MARKERS.layout);
    const total = diff.added.length + diff.removed.length + diff.changed.length + diff.layout.length;
    this.status.textContent = total === 0 ? cx('same') : cx('summary', diff.added.length, diff.removed.length, diff.changed.length, diff.layout.length);
    const item = (d: ElementDiff) => {
      const text = describe(d);
      const open = d.kind === 'removed' ? () => void this.showRunning(diff.removed.map((r) => r.id), d.id) : () => this.diagram.focus(d.id);
      const body = h('button', { type: 'button', class: 'link compare-text', dataset: { elementId: d.id }, onclick: open }, text);
      return h('li', { class: `compare-${d.kind}`, dataset: { elementId: d.id, kind: d.kind } }, body);
    };
    replace(
      this.list,
      ...diff.added.map(item),
      ...diff.changed.map(item),
      ...diff.removed.map(item),
      ...diff.layout.map(item),
    );
    if (diff.removed.length > 0) this.list.append(h('li', { class: 'compare-note' }, cx('removedNote')));
  }
}
