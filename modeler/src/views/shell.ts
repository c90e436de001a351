/**
 * The signed-in app: header (product, user, role, 退出 / Sign out), navigation and the pages, routed
 * by the location hash (#/modeler, #/tasks, #/processes). Each page is built once, on first visit,
 * and kept, so a diagram being drawn survives a look at the task list.
 */
import type { Me, Role } from '../api/types.js';
import { h, replace } from '../dom.js';
import { may } from '../roles.js';
import { savePreference } from '../api/endpoints.js';
import { language, t, type Language, type MessageKey } from '../text.js';
import { errorText, noticeArea, showNotice } from './notice.js';
import { processesView } from './processes.js';
import { tasksView } from './tasks/index.js';
import type { View } from './view.js';

interface Route {
  path: string;
  label: MessageKey;
  allowed: (role: Role) => boolean;
  create: (me: Me) => View | Promise<View>;
}

const ROUTES: Route[] = [
  // bpmn-js is loaded only by those who design.
  { path: 'modeler', label: 'navModeler', allowed: may.design, create: async () => (await import('./modeler/index.js')).modelerView() },
  { path: 'tasks', label: 'navTasks', allowed: () => true, create: (me) => tasksView(me) },
  { path: 'hub', label: 'navHub', allowed: may.readHub, create: async (me) => (await import('./hub/index.js')).hubView(me) },
  { path: 'board', label: 'navBoard', allowed: may.readBoard, create: async (me) => (await import('./board/index.js')).boardView(me) },
  { path: 'processes', label: 'navProcesses', allowed: () => true, create: (me) => processesView(me) },
  { path: 'instances', label: 'navInstances', allowed: may.readInstances, create: async (me) => (await import('./instances/index.js')).instancesView(me) },
  { path: 'assessment', label: 'navAssessment', allowed: may.readAssessment, create: async (me) => (await import('./assessment/index.js')).assessmentView(me) },
  { path: 'admin', label: 'navAdmin', allowed: may.viewAdmin, create: async (me) => (await import('./admin/index.js')).adminView(me) },
];

export interface Shell {
  element: HTMLElement;
  dispose(): void;
}

export function appShell(me: Me, onSignOut: () => void, onLanguage: (lang: Language) => void): Shell {
  const routes = ROUTES.filter((r) => r.allowed(me.role));
  const views = new Map<string, Promise<View>>();
  const main = h('main', { id: 'main', class: 'page', tabindex: '-1' });
  const links = new Map<string, HTMLAnchorElement>();
  let current: View | undefined;

  const nav = h(
    'nav',
    { 'aria-label': t('mainNav') },
    h(
      'ul',
      {},
      ...routes.map((r) => {
        const a = h('a', { href: `#/${r.path}`, id: `nav-${r.path}` }, t(r.label));
        links.set(r.path, a);
        return h('li', {}, a);
      }),
    ),
  );

  const header = h(
    'header',
    { class: 'bar' },
    h('h1', { class: 'product' }, t('product')),
    nav,
    h(
      'div',
      { class: 'user' },
      h('span', { class: 'user-name', id: 'user-name' }, me.displayName),
      h('span', { class: 'user-role', id: 'user-role' }, me.roleName),
      languageSwitch(onLanguage, true),
      h('button', { type: 'button', id: 'sign-out', onclick: onSignOut }, t('signOut')),
    ),
  );

  async function route(): Promise<void> {
    // '#/instances/123?x=1' → route 'instances', rest '123?x=1' (the view's own sub-path and query).
    const wanted = location.hash.replace(/^#\/?/, '');
    const cut = wanted.search(/[/?]/);
    const [head, rest] = cut < 0 ? [wanted, ''] : [wanted.slice(0, cut), wanted.slice(wanted[cut] === '/' ? cut + 1 : cut)];
    const found = routes.find((x) => x.path === head);
    const r = found ?? routes.find((x) => x.path === defaultPath(me.role))!;
    if (!found) {
      history.replaceState(null, '', `#/${r.path}`);
    }
    for (const [path, a] of links) {
      if (path === r.path) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${t(r.label)} · ${t('product')}`;
    let pending = views.get(r.path);
    if (!pending) {
      pending = Promise.resolve(r.create(me));
      views.set(r.path, pending);
    }
    let view: View;
    try {
      view = await pending;
    } catch (err) {
      views.delete(r.path);
      const notice = noticeArea();
      showNotice(notice, 'error', errorText(err));
      replace(main, notice);
      return;
    }
    if (current && current !== view) current.hide?.();
    current = view;
    if (view.element.parentElement !== main) replace(main, view.element);
    view.show?.(found ? rest : '');
  }

  const onHash = () => void route();
  window.addEventListener('hashchange', onHash);
  void route();

  return {
    element: h('div', { class: 'app' }, header, main),
    dispose() {
      window.removeEventListener('hashchange', onHash);
      current?.hide?.();
      for (const v of views.values()) void v.then((view) => view.dispose?.()).catch(() => undefined);
    },
  };
}

/**
 * The button that switches between 中文 and English. Signed in, the choice is saved on the server
 * (per user) before the app is rebuilt in the other language; on the sign-in page it is kept in this
 * browser only.
 */
export function languageSwitch(onLanguage: (lang: Language) => void, save: boolean): HTMLButtonElement {
  const other: Language = language() === 'en' ? 'zh-CN' : 'en';
  const button = h(
    'button',
    { type: 'button', id: 'language-switch', class: 'language-switch', lang: other, title: t('switchLanguage') },
    other === 'en' ? 'English' : '中文',
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    const saved = save ? savePreference('language', other).then(() => undefined) : Promise.resolve();
    void saved
      .then(() => onLanguage(other))
      .catch(() => onLanguage(other))
      .finally(() => {
        button.disabled = false;
      });
  });
  return button;
}

function defaultPath(role: Role): string {
  return may.design(role) && !may.workTasks(role) ? 'modeler' : 'tasks';
}
