/**
 * Entry of the web app: ask the server who is signed in, then show either 登录 / Sign in or the app
 * (header, navigation, pages). A 401 on any later call (session expired) returns to sign-in.
 */
import './style.css';
import { ApiError, onSessionLost } from './api/client.js';
import { currentUser, savePreference, signOut } from './api/endpoints.js';
import type { Me } from './api/types.js';
import { h, replace } from './dom.js';
import { language, setLanguage, t, type Language } from './text.js';
import { errorText } from './views/notice.js';
import { appShell, type Shell } from './views/shell.js';
import { signInView } from './views/sign-in.js';

const root = document.getElementById('app')!;
let shell: Shell | undefined;

function showSignIn(reason?: string): void {
  shell?.dispose();
  shell = undefined;
  document.title = `${t('signIn')} · ${t('product')}`;
  replace(root, signInView(signedIn, switchSignInLanguage, reason));
  root.querySelector<HTMLInputElement>('#sign-in-username')?.focus();
}

function showApp(me: Me): void {
  shell?.dispose();
  setLanguage(me.language);
  shell = appShell(
    me,
    () => {
      void signOut()
        .catch(() => undefined)
        .then(() => showSignIn());
    },
    // Rebuilt in the other language: the role's name comes from the server in it too.
    () => void currentUser().then(showApp, () => showSignIn()),
  );
  replace(root, shell.element);
}

/** A language chosen on the sign-in page becomes the user's own once they sign in. */
let chosenBeforeSignIn: Language | undefined;

function switchSignInLanguage(lang: Language): void {
  setLanguage(lang);
  chosenBeforeSignIn = lang;
  showSignIn();
}

function signedIn(me: Me): void {
  const chosen = chosenBeforeSignIn;
  chosenBeforeSignIn = undefined;
  if (!chosen || chosen === me.language) {
    showApp(me);
    return;
  }
  void savePreference('language', chosen)
    .then(() => currentUser())
    .then(showApp, () => showApp(me));
}

setLanguage(language());

onSessionLost(() => {
  if (shell) showSignIn(t('sessionLost'));
});

currentUser()
  .then(showApp)
  .catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) showSignIn();
    else replace(root, h('main', { class: 'page' }, h('p', { class: 'notice notice-error', role: 'alert' }, errorText(err))));
  });
