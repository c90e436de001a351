/**
 * 流程设计 / Modeler page: toolbar (新建, 打开 .bpmn, 下载 XML, 随附表单, 部署), the bpmn-js canvas and
 * the deployment result. Loaded lazily by the shell, only for roles that design.
 */
import { h, uid } from '../../dom.js';
import { failure, messages, t } from '../../text.js';
import { errorText, noticeArea, showNotice, clearNotice } from '../notice.js';
import type { View } from '../view.js';
import { deployPanel } from './deploy.js';
import { Diagram, emptyDiagram } from './diagram.js';
import type { Directory } from './panel.js';
import { departments, directory as loadDirectory } from '../../api/modeler.js';
import './modeler.css';

const vx = messages({
  panelLabel: ['属性面板', 'Properties panel'],
});

export function modelerView(): View {
  const canvas = h('div', { class: 'canvas', id: 'canvas', role: 'application', 'aria-label': t('canvasLabel') });
  const propertiesPanel = h('aside', { class: 'properties-panel', id: 'properties-panel', 'aria-label': vx('panelLabel') });
  const directory: Directory = { departments: [], users: [] };
  const diagram = new Diagram(canvas, propertiesPanel, directory);
  // The pickers' choices; the panel works without them (ids typed by hand) if they fail to load.
  void departments()
    .then((list) => {
      directory.departments = list;
    })
    .catch(() => undefined);
  void loadDirectory()
    .then((r) => {
      directory.users = r.items;
    })
    .catch(() => undefined);
  const panel = deployPanel(diagram);
  const fileNotice = noticeArea();
  let fileName: string | undefined;

  const fileLabel = h('span', { class: 'file-name', id: 'file-name' });
  const setFileName = (name: string | undefined) => {
    fileName = name;
    fileLabel.textContent = name ? t('currentFile', name) : '';
  };

  async function open(xml: string, name: string | undefined): Promise<void> {
    panel.clear();
    clearNotice(fileNotice);
    try {
      const { laidOut, warnings } = await diagram.open(xml);
      setFileName(name);
      const notes = [laidOut ? t('laidOut') : '', ...warnings].filter(Boolean);
      if (notes.length > 0) showNotice(fileNotice, 'info', notes.join('\n'));
    } catch (err) {
      showNotice(fileNotice, 'error', failure('openFailed', errorText(err)));
    }
  }

  const openInput = h('input', { type: 'file', id: uid('open-bpmn'), accept: '.bpmn,.xml,application/xml,text/xml', class: 'visually-hidden' });
  openInput.addEventListener('change', () => {
    const file = openInput.files?.[0];
    if (!file) return;
    void file.text().then((xml) => open(xml, file.name));
    openInput.value = '';
  });

  const formsInput = h('input', { type: 'file', id: uid('forms'), accept: '.form,application/json', multiple: true });

  const deployName = () => {
    if (fileName && /\.bpmn$/i.test(fileName)) return fileName;
    return `${diagram.processId() ?? 'diagram'}.bpmn`;
  };

  async function download(): Promise<void> {
    try {
      const xml = await diagram.xml();
      const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
      const a = h('a', { href: url, download: deployName() });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      showNotice(fileNotice, 'error', failure('exportFailed', errorText(err)));
    }
  }

  const deployButton = h('button', { type: 'button', class: 'primary', id: 'deploy' }, t('deploy'));
  deployButton.addEventListener('click', () => {
    deployButton.disabled = true;
    void panel.deploy(deployName(), [...(formsInput.files ?? [])]).finally(() => {
      deployButton.disabled = false;
    });
  });

  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('navModeler') },
    h('button', { type: 'button', id: 'new-diagram', onclick: () => void open(emptyDiagram(), undefined) }, t('newDiagram')),
    openInput,
    h('label', { class: 'button', for: openInput.id }, t('openFile')),
    h('button', { type: 'button', id: 'download-xml', onclick: () => void download() }, t('download')),
    h('span', { class: 'field-inline' }, h('label', { for: formsInput.id }, t('formsToDeploy')), formsInput),
    deployButton,
    fileLabel,
  );

  void open(emptyDiagram(), undefined);

  return {
    element: h('section', { class: 'view modeler-view', 'aria-labelledby': 'modeler-title' }, h('h2', { id: 'modeler-title', class: 'visually-hidden' }, t('navModeler')), toolbar, fileNotice, panel.element, h('div', { class: 'modeler-work' }, canvas, propertiesPanel)),
    show: () => diagram.resized(),
    dispose: () => diagram.destroy(),
  };
}
