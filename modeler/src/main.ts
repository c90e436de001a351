/**
 * Entry of the web app: ask the server who is signed in, then show either 登录 / Sign in or the app
 * (header, navigation, pages). A 401 on any later call (session expired) returns to sign-in.
 */
import './style.css';
import { ApiError, onSessionLost } from './api/client.js';
import { currentUser, signOut } from './api/endpoints.js';
import type { Me } from './api/types.js';
import { h, replace } from './dom.js';
import { t } from './text.js';
import { errorText } from './views/notice.js';
import { appShell, type Shell } from './views/shell.js';
import { signInView } from './views/sign-in.js';

const root = document.getElementById('app')!;
let shell: Shell | undefined;

function showSignIn(reason?: string): void {
  shell?.dispose();
  shell = undefined;
  document.title = `${t('signIn')} · ${t('product')}`;
  replace(root, signInView(showApp, reason));
  root.querySelector<HTMLInputElement>('#sign-in-username')?.focus();
}

function showApp(me: Me): void {
  shell?.dispose();
  shell = appShell(me, () => {
    void signOut()
      .catch(() => undefined)
      .then(() => showSignIn());
  });
  replace(root, shell.element);
}

onSessionLost(() => {
  if (shell) showSignIn(t('sessionLost'));
});

currentUser()
  .then(showApp)
  .catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) showSignIn();
    else replace(root, h('main', { class: 'page' }, h('p', { class: 'notice notice-error', role: 'alert' }, errorText(err))));
  });
