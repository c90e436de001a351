/**
 * 已部署版本 / Deployed versions: every version of every process, each opened read-only in a viewer
 * (bpmn-js NavigatedViewer: no palette, nothing to change), downloadable as BPMN or SVG, or copied
 * into the modeler as the start of a new diagram (how a designer starts from one of the company's
 * processes). Besides them, a few templates to start from.
 */
import { deployedVersions, deployedXml, type DeployedVersion } from '../../api/modeler.js';
import { h, replace } from '../../dom.js';
import { messages } from '../../text.js';
import { errorText } from '../notice.js';
import { TEMPLATES } from './templates.js';

const tx = messages({
  button: ['已部署版本与模板', 'Deployed versions and templates'],
  title: ['已部署版本与模板', 'Deployed versions and templates'],
  templates: ['模板', 'Templates'],
  deployed: ['已部署的流程', 'Deployed processes'],
  none: ['还没有已部署的流程', 'No process is deployed yet'],
  view: ['查看', 'View'],
  version: ['版本 {0}', 'version {0}'],
  useTemplate: ['以此新建', 'Start from this'],
  copy: ['复制为新流程图', 'Copy into a new diagram'],
  downloadBpmn: ['下载 BPMN', 'Download BPMN'],
  downloadSvg: ['下载 SVG', 'Download SVG'],
  back: ['返回列表', 'Back to the list'],
  close: ['关闭', 'Close'],
  readOnly: ['只读查看：{0} 版本 {1}', 'Read-only: {0} version {1}'],
  loading: ['加载中…', 'Loading…'],
  failed: ['无法加载：{0}', 'Cannot load: {0}'],
});

export const deployedLabel = () => tx('button');

export interface DeployedActions {
  /** Opens XML in the modeler as a new diagram (asks first when changes are unsaved). */
  startFrom(xml: string, fileName: string | undefined): void;
  save(content: string, type: string, name: string): void;
}

export function showDeployed(actions: DeployedActions): void {
  const body = h('div', { class: 'deployed-body' }, h('p', {}, tx('loading')));
  const close = h('button', { type: 'button', id: 'close-deployed' }, tx('close'));
  const dialog = h(
    'dialog',
    { class: 'draft-dialog deployed-dialog', id: 'deployed-dialog', 'aria-labelledby': 'deployed-title' },
    h('h3', { id: 'deployed-title' }, tx('title')),
    body,
    h('div', { class: 'dialog-actions' }, close),
  );
  let viewer: { destroy(): void } | undefined;
  const finish = () => {
    viewer?.destroy();
    dialog.close();
    dialog.remove();
  };
  close.addEventListener('click', finish);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish();
  });
  document.body.append(dialog);
  dialog.showModal();

  const fail = (err: unknown) => replace(body, h('p', { role: 'alert' }, tx('failed', errorText(err))));

  async function view(d: DeployedVersion): Promise<void> {
    replace(body, h('p', {}, tx('loading')));
    try {
      const [xml, { default: NavigatedViewer }] = await Promise.all([deployedXml(d.processDefinitionKey), import('bpmn-js/lib/NavigatedViewer')]);
      const container = h('div', { class: 'deployed-canvas', id: 'deployed-canvas', role: 'region', 'aria-label': tx('readOnly', d.name ?? d.processDefinitionId, d.version) });
      const file = d.resourceName || `${d.processDefinitionId}.bpmn`;
      replace(
        body,
        h('p', { class: 'deployed-heading' }, tx('readOnly', d.name ?? d.processDefinitionId, d.version)),
        h(
          'div',
          { class: 'toolbar' },
          h('button', { type: 'button', onclick: () => void list() }, tx('back')),
          h('button', { type: 'button', onclick: () => actions.save(xml, 'application/xml', file) }, tx('downloadBpmn')),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                const v = viewer as unknown as { saveSVG(): Promise<{ svg: string }> };
                void v.saveSVG().then(({ svg }) => actions.save(svg, 'image/svg+xml', file.replace(/\.bpmn$/i, '') + '.svg'));
              },
            },
            tx('downloadSvg'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: () => {
                finish();
                actions.startFrom(xml, file);
              },
            },
            tx('copy'),
          ),
        ),
        container,
      );
      viewer?.destroy();
      const v = new NavigatedViewer({ container });
      viewer = v;
      await v.importXML(xml);
      (v.get('canvas') as { zoom(level: string, center: unknown): void }).zoom('fit-viewport', 'auto');
    } catch (err) {
      fail(err);
    }
  }

  async function list(): Promise<void> {
    viewer?.destroy();
    viewer = undefined;
    replace(body, h('p', {}, tx('loading')));
    try {
      const { items } = await deployedVersions();
      replace(
        body,
        h('h4', {}, tx('templates')),
        h(
          'ul',
          { class: 'draft-list', id: 'template-list' },
          ...TEMPLATES.map((tpl) =>
            h(
              'li',
              { dataset: { template: tpl.id } },
              h('span', { class: 'draft-name' }, tpl.name()),
              h('span', { class: 'draft-meta' }, tpl.description()),
              h(
                'span',
                { class: 'draft-actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    onclick: () => {
                      finish();
                      actions.startFrom(tpl.xml(), undefined);
                    },
                  },
                  tx('useTemplate'),
                ),
              ),
            ),
          ),
        ),
        h('h4', {}, tx('deployed')),
        items.length === 0
          ? h('p', { class: 'empty' }, tx('none'))
          : h(
              'ul',
              { class: 'draft-list', id: 'deployed-list' },
              ...items.map((d) =>
                h(
                  'li',
                  { dataset: { processId: d.processDefinitionId, version: String(d.version) } },
                  h('span', { class: 'draft-name' }, d.name ? `${d.name}（${d.processDefinitionId}）` : d.processDefinitionId),
                  h('span', { class: 'draft-meta' }, tx('version', d.version)),
                  h('span', { class: 'draft-actions' }, h('button', { type: 'button', onclick: () => void view(d) }, tx('view'))),
                ),
              ),
            ),
      );
    } catch (err) {
      fail(err);
    }
  }
  void list();
}
