/**
 * 流程设计 / Modeler page: toolbar (新建, 打开 .bpmn, 草稿, 下载 XML/SVG, 随附表单, 部署), the bpmn-js
 * canvas with the properties panel and the live lint results beside it, and the deployment result.
 * The diagram is kept as a server-side draft (drafts.ts). Loaded lazily by the shell, only for roles
 * that design.
 */
import { confirmDialog } from '../../confirm.js';
import { departments, directory as loadDirectory, type Draft } from '../../api/modeler.js';
import { h, uid } from '../../dom.js';
import { failure, messages, t } from '../../text.js';
import { clearNotice, errorText, noticeArea, showNotice } from '../notice.js';
import type { View } from '../view.js';
import { ComparePanel } from './compare.js';
import { deployPanel } from './deploy.js';
import { Diagram, emptyDiagram } from './diagram.js';
import { deployedLabel, showDeployed } from './deployed.js';
import { formEditorLabel, showFormEditor } from './form-editor.js';
import { DraftKeeper, dx, showDraftList } from './drafts.js';
import { lintList } from './lint-list.js';
import { setKnownDepartments } from './lint.js';
import type { Directory } from './panel.js';
import './modeler.css';

const vx = messages({
  panelLabel: ['属性面板', 'Properties panel'],
  downloadSvg: ['下载 SVG', 'Download SVG'],
  discardQuestion: ['当前流程图有尚未保存的更改。仍然打开另一张图吗？', 'The diagram has changes that are not saved yet. Open another diagram anyway?'],
  discardOk: ['仍然打开', 'Open anyway'],
  formsInDraft: ['草稿中的表单：{0}', 'Forms in the draft: {0}'],
  formUnreadable: ['表单文件 {0} 不是 JSON：{1}', 'The form file {0} is not JSON: {1}'],
  untitled: ['未命名流程', 'Untitled process'],
});

export function modelerView(): View {
  const canvas = h('div', { class: 'canvas', id: 'canvas', role: 'application', 'aria-label': t('canvasLabel') });
  const propertiesPanel = h('aside', { class: 'properties-panel', id: 'properties-panel', 'aria-label': vx('panelLabel') });
  const directory: Directory = { departments: [], users: [] };
  const diagram = new Diagram(canvas, propertiesPanel, directory);
  const panel = deployPanel(diagram);
  const lintBox = lintList(diagram);
  const compare = new ComparePanel(diagram);
  const fileNotice = noticeArea();
  let fileName: string | undefined;
  /** Forms kept with the diagram (file name → form JSON): chosen files, or those of the draft opened. */
  let forms: Record<string, unknown> = {};

  // The pickers' choices and the lint rule's departments; the panel works without them (ids typed by hand).
  void departments()
    .then((list) => {
      directory.departments = list;
      setKnownDepartments(list.map((d) => d.id));
      diagram.relint();
    })
    .catch(() => undefined);
  void loadDirectory()
    .then((r) => {
      directory.users = r.items;
    })
    .catch(() => undefined);

  const fileLabel = h('span', { class: 'file-name', id: 'file-name' });
  const formsLabel = h('span', { class: 'forms-in-draft', id: 'forms-in-draft' });
  const setFileName = (name: string | undefined) => {
    fileName = name;
    fileLabel.textContent = name ? t('currentFile', name) : '';
  };
  const setForms = (next: Record<string, unknown>) => {
    forms = next;
    const names = Object.keys(forms);
    formsLabel.textContent = names.length > 0 ? vx('formsInDraft', names.join('、')) : '';
  };

  /** The draft's name: the (first) process's name, else the file's name, else the process id. */
  function draftName(): string {
    const definitions = diagram.modeler.getDefinitions() as { rootElements?: Array<{ $type: string; id?: string; name?: string }> } | undefined;
    const process = definitions?.rootElements?.find((r) => r.$type === 'bpmn:Process');
    const name = process?.name?.trim() || fileName || process?.id || vx('untitled');
    return name.slice(0, 200);
  }

  const keeper = new DraftKeeper(async () => ({ name: draftName(), xml: await diagram.xml(), forms }));

  diagram.modeler.on('commandStack.changed', (event: { trigger?: string | null }) => {
    if (event.trigger !== 'clear') keeper.changed();
  });

  /** Asks before replacing a diagram whose changes are not saved yet. */
  async function mayReplace(): Promise<boolean> {
    if (!keeper.dirty) return true;
    await keeper.save();
    if (!keeper.dirty) return true;
    return confirmDialog(vx('discardQuestion'), { confirmLabel: vx('discardOk'), danger: true });
  }

  async function open(xml: string, name: string | undefined, draft?: Draft): Promise<void> {
    panel.clear();
    compare.stop();
    clearNotice(fileNotice);
    try {
      const { laidOut, warnings } = await diagram.open(xml);
      setFileName(name);
      keeper.reset(draft);
      if (!draft) setForms({});
      const notes = [laidOut ? t('laidOut') : '', ...warnings].filter(Boolean);
      if (notes.length > 0) showNotice(fileNotice, 'info', notes.join('\n'));
    } catch (err) {
      showNotice(fileNotice, 'error', failure('openFailed', errorText(err)));
    }
  }

  function openDraft(draft: Draft): void {
    setForms(draft.forms);
    void open(draft.xml, undefined, draft);
  }

  const openInput = h('input', { type: 'file', id: uid('open-bpmn'), accept: '.bpmn,.xml,application/xml,text/xml', class: 'visually-hidden' });
  openInput.addEventListener('change', () => {
    const file = openInput.files?.[0];
    openInput.value = '';
    if (!file) return;
    void mayReplace().then(async (yes) => {
      if (yes) await open(await file.text(), file.name);
    });
  });

  const formsInput = h('input', { type: 'file', id: uid('forms'), accept: '.form,application/json', multiple: true });
  /** Reading the chosen form files; 部署 waits for it. */
  let formsRead: Promise<void> = Promise.resolve();
  formsInput.addEventListener('change', () => {
    const files = [...(formsInput.files ?? [])];
    formsRead = Promise.all(files.map(async (f) => [f.name, await f.text()] as const)).then((read) => {
      const next: Record<string, unknown> = {};
      for (const [name, text] of read) {
        try {
          next[name] = JSON.parse(text) as unknown;
        } catch (err) {
          showNotice(fileNotice, 'error', vx('formUnreadable', name, errorText(err)));
          return;
        }
      }
      setForms(next);
      keeper.changed();
    });
  });

  const deployName = () => {
    if (fileName && /\.bpmn$/i.test(fileName)) return fileName;
    return `${diagram.processId() ?? 'diagram'}.bpmn`;
  };

  function saveFile(content: string, type: string, name: string): void {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function download(): Promise<void> {
    try {
      saveFile(await diagram.xml(), 'application/xml', deployName());
    } catch (err) {
      showNotice(fileNotice, 'error', failure('exportFailed', errorText(err)));
    }
  }

  async function downloadSvg(): Promise<void> {
    try {
      const { svg } = await diagram.modeler.saveSVG();
      saveFile(svg, 'image/svg+xml', deployName().replace(/\.bpmn$/i, '.svg'));
    } catch (err) {
      showNotice(fileNotice, 'error', failure('exportFailed', errorText(err)));
    }
  }

  const deployButton = h('button', { type: 'button', class: 'primary', id: 'deploy' }, t('deploy'));
  deployButton.addEventListener('click', () => {
    deployButton.disabled = true;
    void formsRead
      .then(() => keeper.save())
      .then(() => panel.deploy(deployName(), Object.entries(forms).map(([name, json]) => new File([JSON.stringify(json)], name, { type: 'application/json' }))))
      .finally(() => {
        deployButton.disabled = false;
      });
  });

  const newDiagram = async () => {
    if (await mayReplace()) await open(emptyDiagram(), undefined);
  };

  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('navModeler') },
    h('button', { type: 'button', id: 'new-diagram', onclick: () => void newDiagram() }, t('newDiagram')),
    openInput,
    h('label', { class: 'button', for: openInput.id }, t('openFile')),
    h(
      'button',
      {
        type: 'button',
        id: 'open-drafts',
        onclick: () =>
          showDraftList(
            (d) => void mayReplace().then((yes) => yes && openDraft(d)),
            () => keeper.id,
            (id) => {
              if (keeper.id === id) keeper.reset();
            },
          ),
      },
      dx('drafts'),
    ),
    h(
      'button',
      {
        type: 'button',
        id: 'open-deployed',
        onclick: () =>
          showDeployed({
            startFrom: (xml, name) =>
              void mayReplace().then(async (yes) => {
                if (yes) await open(xml, name);
              }),
            save: saveFile,
          }),
      },
      deployedLabel(),
    ),
    compare.button,
    h('button', { type: 'button', id: 'download-xml', onclick: () => void download() }, t('download')),
    h('button', { type: 'button', id: 'download-svg', onclick: () => void downloadSvg() }, vx('downloadSvg')),
    h('span', { class: 'field-inline' }, h('label', { for: formsInput.id }, t('formsToDeploy')), formsInput),
    h(
      'button',
      {
        type: 'button',
        id: 'open-form-editor',
        onclick: () =>
          showFormEditor(forms, (name, schema) => {
            setForms({ ...forms, [name]: schema });
            keeper.changed();
          }),
      },
      formEditorLabel(),
    ),
    deployButton,
    fileLabel,
    formsLabel,
    keeper.status,
  );

  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (!keeper.dirty) return;
    void keeper.save();
    e.preventDefault();
  };
  window.addEventListener('beforeunload', beforeUnload);

  // Reopen the draft this browser worked on last; else a new diagram.
  void DraftKeeper.remembered().then((draft) => (draft ? openDraft(draft) : open(emptyDiagram(), undefined)));

  return {
    element: h(
      'section',
      { class: 'view modeler-view', 'aria-labelledby': 'modeler-title' },
      h('h2', { id: 'modeler-title', class: 'visually-hidden' }, t('navModeler')),
      toolbar,
      fileNotice,
      panel.element,
      h('div', { class: 'modeler-work' }, canvas, h('div', { class: 'modeler-side' }, compare.element, lintBox, propertiesPanel)),
    ),
    show: () => diagram.resized(),
    // Another page: the view is kept, but save what is pending now.
    hide: () => void keeper.save(),
    dispose: () => {
      window.removeEventListener('beforeunload', beforeUnload);
      void keeper.save();
      diagram.destroy();
    },
  };
}
