/** 登录 / Sign in: shown when /api/auth/me answers 401. */
import { ApiError } from '../api/client.js';
import { signIn } from '../api/endpoints.js';
import type { Me } from '../api/types.js';
import { h } from '../dom.js';
import { failure, t, type Language } from '../text.js';
import { errorText, noticeArea, showNotice } from './notice.js';
import { languageSwitch } from './shell.js';

export function signInView(onSignedIn: (me: Me) => void, onLanguage: (lang: Language) => void, reason?: string): HTMLElement {
  const username = h('input', { id: 'sign-in-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'sign-in-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const notice = noticeArea();
  if (reason) showNotice(notice, 'info', reason);

  const form = h(
    'form',
    { class: 'sign-in card', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, t('signIn')),
    h('label', { for: username.id }, t('username')),
    username,
    h('label', { for: password.id }, t('password')),
    password,
    notice,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = t('signingIn');
    signIn(username.value.trim(), password.value)
      .then(onSignedIn)
      .catch((err: unknown) => {
        showNotice(notice, 'error', signInError(err));
        password.select();
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = t('signIn');
      });
  });

  return h(
    'main',
    { class: 'sign-in-page' },
    h('div', { class: 'sign-in-language' }, languageSwitch(onLanguage, false)),
    h('h1', { class: 'product' }, t('product')),
    form,
  );
}

function signInError(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return t('wrongCredentials');
  if (err instanceof ApiError && err.status === 429) return t('rateLimited');
  return failure('signInFailed', errorText(err));
}
