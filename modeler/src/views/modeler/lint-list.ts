/**
 * The lint problems beside the canvas: every issue bpmn-js-bpmnlint found, errors first, each a button
 * that selects its element; and markers on the shapes and sequence flows concerned (red for errors,
 * amber for warnings, modeler.css), besides the linter's own overlays.
 */
import { h, replace } from '../../dom.js';
import { messages } from '../../text.js';
import type { Diagram } from './diagram.js';

const tx = messages({
  title: ['检查结果', 'Checks'],
  none: ['未发现问题', 'No problems found'],
  count: ['{0} 个错误，{1} 个警告', '{0} errors, {1} warnings'],
  error: ['错误', 'Error'],
  warning: ['警告', 'Warning'],
});

interface Issue {
  id: string;
  message: string;
  category: 'error' | 'warn' | 'info' | string;
  rule: string;
}

export const LINT_ERROR = 'lint-error';
export const LINT_WARN = 'lint-warn';

export function lintList(diagram: Diagram): HTMLElement {
  const summary = h('p', { class: 'lint-summary', id: 'lint-summary', 'aria-live': 'polite' });
  const list = h('ul', { class: 'lint-problems', id: 'lint-problems', 'aria-label': tx('title') });
  const box = h('section', { class: 'lint-box', 'aria-labelledby': 'lint-title' }, h('h3', { id: 'lint-title' }, tx('title')), summary, list);

  diagram.modeler.on('linting.completed', (event: { issues: Record<string, Issue[]> }) => {
    diagram.removeMarkerEverywhere(LINT_ERROR);
    diagram.removeMarkerEverywhere(LINT_WARN);
    const rows: Array<{ elementId: string; issue: Issue }> = [];
    for (const [elementId, issues] of Object.entries(event.issues)) {
      for (const issue of issues) rows.push({ elementId, issue });
      const worst = issues.some((i) => i.category === 'error') ? LINT_ERROR : LINT_WARN;
      diagram.addMarker(elementId, worst);
    }
    rows.sort((a, b) => Number(b.issue.category === 'error') - Number(a.issue.category === 'error') || a.elementId.localeCompare(b.elementId));
    const errors = rows.filter((r) => r.issue.category === 'error').length;
    summary.textContent = rows.length === 0 ? tx('none') : tx('count', errors, rows.length - errors);
    box.dataset.state = errors > 0 ? 'error' : rows.length > 0 ? 'warn' : 'ok';
    replace(
      list,
      ...rows.map(({ elementId, issue }) => {
        const name = diagram.nameOf(elementId);
        const level = issue.category === 'error' ? 'error' : 'warn';
        return h(
          'li',
          { class: `lint-${level}`, dataset: { elementId, rule: issue.rule } },
          h(
            'button',
            { type: 'button', class: 'link', dataset: { elementId }, onclick: () => diagram.focus(elementId) },
            h('span', { class: 'lint-level' }, level === 'error' ? tx('error') : tx('warning')),
            ` ${name ? `${name}（${elementId}）` : elementId}`,
          ),
          h('span', { class: 'problem-message' }, issue.message),
        );
      }),
    );
  });
  return box;
}
