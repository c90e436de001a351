/** Inline messages: success, information and errors (errors are announced with role="alert"). */
import { ApiError } from '../api/client.js';
import { h, replace } from '../dom.js';
import { codedText } from '../server-messages.js';

export type NoticeKind = 'ok' | 'info' | 'error';

/** An empty message area to fill with showNotice(). */
export function noticeArea(extraClass = ''): HTMLDivElement {
  return h('div', { class: `notice-area ${extraClass}`.trim(), 'aria-live': 'polite' });
}

export function showNotice(area: Element, kind: NoticeKind, ...content: Array<Node | string>): void {
  replace(area, h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...content));
}

export function clearNotice(area: Element): void {
  area.replaceChildren();
}

/**
 * What to tell a person about a failed call: the server's message code in the user's language when
 * it sends one (services/problem-codes.ts), else its detail (403, 400 …), or the error message.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return codedText(err.problem['code'], err.problem['params'], err.problem.detail ?? err.message);
  if (err instanceof Error) return err.message;
  return String(err);
}
