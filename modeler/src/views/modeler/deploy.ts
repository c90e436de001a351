/**
 * 部署 / Deploy: POST /v2/deployments with the diagram (and forms), then either the deployed process
 * id and version, or every problem the compiler found — listed, marked in red on the canvas, and
 * selectable by click.
 */
import { ApiError } from '../../api/client.js';
import { deploy } from '../../api/endpoints.js';
import type { DeployProblem, DeploymentResult } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { failure, messages, t } from '../../text.js';
import { problemText } from './problem-text.js';
import { clearNotice, errorText, noticeArea, showNotice } from '../notice.js';
import type { Diagram } from './diagram.js';

const tx = messages({
  problemCount: ['图中有 {0} 处问题，见下方列表', '{0} problem(s) in the diagram, listed below'],
});

/** Canvas marker of elements named by a refused deployment (red outline, style.css). */
export const PROBLEM_MARKER = 'deploy-problem';

export interface DeployPanel {
  element: HTMLElement;
  deploy(diagramName: string, forms: File[]): Promise<void>;
  clear(): void;
}

export function deployPanel(diagram: Diagram): DeployPanel {
  const notice = noticeArea('deploy-result');
  const problemList = h('ul', { class: 'problems', id: 'deploy-problems', 'aria-label': t('deployProblems') });
  const problemBox = h('section', { class: 'problem-box', hidden: true }, h('h3', {}, t('deployProblems')), problemList);

  function clear(): void {
    clearNotice(notice);
    problemList.replaceChildren();
    problemBox.hidden = true;
    diagram.removeMarkerEverywhere(PROBLEM_MARKER);
  }

  function showSuccess(result: DeploymentResult): void {
    const lines = result.deployments.map((d) =>
      'processDefinition' in d
        ? h('li', {}, t('deployed', d.processDefinition.processDefinitionId, d.processDefinition.processDefinitionVersion))
        : h('li', {}, t('deployedForm', d.form.formId, d.form.version)),
    );
    showNotice(notice, 'ok', h('ul', { class: 'plain' }, ...lines));
  }

  function showProblems(problems: DeployProblem[]): void {
    replace(
      problemList,
      ...problems.map((p) => {
        const onCanvas = diagram.has(p.elementId);
        diagram.addMarker(p.elementId, PROBLEM_MARKER);
        const name = diagram.nameOf(p.elementId);
        const label = `${p.elementId}${name ? `「${name}」` : ''}${p.elementType ? ` (${p.elementType})` : ''}`;
        const head = onCanvas
          ? h('button', { type: 'button', class: 'link', dataset: { elementId: p.elementId }, onclick: () => diagram.focus(p.elementId) }, label)
          : h('strong', {}, label);
        return h('li', {}, head, h('span', { class: 'problem-message' }, problemText(p.code, p.params, p.message)));
      }),
    );
    problemBox.hidden = problems.length === 0;
  }

  async function run(diagramName: string, forms: File[]): Promise<void> {
    clear();
    showNotice(notice, 'info', t('deploying'));
    try {
      const xml = await diagram.xml();
      const result = await deploy([
        ...forms.map((f) => ({ name: f.name, content: f as Blob })),
        { name: diagramName, content: new Blob([xml], { type: 'application/xml' }) },
      ]);
      showSuccess(result);
    } catch (err) {
      const problems = err instanceof ApiError ? problemsOf(err) : [];
      // Element problems are listed below in the user's language; the detail repeats them in English.
      const coded = problems.length > 0 && problems.every((p) => problemText(p.code, p.params, '') !== '');
      const detail = err instanceof ApiError ? problemText(err.problem['code'], err.problem['params'], errorText(err)) : errorText(err);
      showNotice(notice, 'error', failure('deployFailed', coded ? tx('problemCount', problems.length) : detail));
      if (err instanceof ApiError) showProblems(problems);
    }
  }

  return { element: h('div', { class: 'deploy-panel' }, notice, problemBox), deploy: run, clear };
}

/** The element problems of a refused deployment: a list, or one element named at the top level. */
function problemsOf(err: ApiError): DeployProblem[] {
  const p = err.problem;
  if (Array.isArray(p.problems)) return p.problems.filter((x) => x && typeof x.elementId === 'string');
  if (typeof p.elementId === 'string') {
    const coded = typeof p['code'] === 'string' ? { code: p['code'] as string, params: p['params'] as DeployProblem['params'] } : {};
    return [{ elementId: p.elementId, message: p.detail ?? '', ...coded }];
  }
  return [];
}
