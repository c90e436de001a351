/**
 * 系统管理 / Administration: users, departments, working-day calendars, SLA policies and the audit
 * log, as tabs. Administrators change things; managers read (the server decides either way).
 */
import './admin.css';
import type { Me } from '../../api/types.js';
import { h } from '../../dom.js';
import { may } from '../../roles.js';
import type { View } from '../view.js';
import { auditSection } from './audit.js';
import { calendarsSection } from './calendars.js';
import { departmentsSection } from './departments.js';
import { policiesSection } from './policies.js';
import { tx } from './text.js';
import { usersSection } from './users.js';

export interface Section {
  element: HTMLElement;
  /** Each time the tab is shown: (re)load its data. */
  show(): void;
}

type TabKey = 'users' | 'departments' | 'calendars' | 'policies' | 'audit';

export function adminView(me: Me): View {
  const manage = may.manageAdmin(me.role);
  const tabs: Array<{ key: TabKey; label: string; build: () => Section }> = [
    { key: 'users', label: tx('tabUsers'), build: () => usersSection(me, manage) },
    { key: 'departments', label: tx('tabDepartments'), build: () => departmentsSection(manage, true) },
    { key: 'calendars', label: tx('tabCalendars'), build: () => calendarsSection(manage) },
    { key: 'policies', label: tx('tabPolicies'), build: () => policiesSection(manage) },
    { key: 'audit', label: tx('tabAudit'), build: () => auditSection() },
  ];
  const built = new Map<TabKey, Section>();
  const panel = h('div', { class: 'admin-panel', role: 'tabpanel', id: 'admin-panel', tabindex: '-1' });
  let current: TabKey = 'users';

  const buttons = tabs.map((tab) =>
    h(
      'button',
      { type: 'button', role: 'tab', id: `admin-tab-${tab.key}`, 'aria-controls': 'admin-panel', onclick: () => select(tab.key) },
      tab.label,
    ),
  );

  function select(key: TabKey, focus = false): void {
    current = key;
    buttons.forEach((b, i) => {
      const on = tabs[i]!.key === key;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    });
    panel.setAttribute('aria-labelledby', `admin-tab-${key}`);
    let section = built.get(key);
    if (!section) {
      section = tabs.find((t) => t.key === key)!.build();
      built.set(key, section);
    }
    panel.replaceChildren(section.element);
    section.show();
  }

  const tablist = h('div', { class: 'admin-tabs', role: 'tablist', 'aria-label': tx('tabs') }, ...buttons);
  // Arrow keys move between tabs (the tabs pattern); Tab goes on to the panel.
  tablist.addEventListener('keydown', (event) => {
    const i = tabs.findIndex((t) => t.key === current);
    const next = event.key === 'ArrowRight' ? i + 1 : event.key === 'ArrowLeft' ? i - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : undefined;
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length]!.key, true);
  });

  const element = h(
    'section',
    { class: 'view admin-view', 'aria-labelledby': 'admin-title' },
    h('h2', { id: 'admin-title', class: 'visually-hidden' }, tx('title')),
    manage ? null : h('p', { class: 'notice notice-info' }, tx('readOnly')),
    tablist,
    panel,
  );
  select('users');
  let first = true;
  return {
    element,
    show() {
      // The first show is the select() above; later visits reload the open tab.
      if (first) first = false;
      else built.get(current)?.show();
    },
  };
}
