/**
 * Messages the server sends as a stable code with params (deploy problems: bpmn/messages.ts;
 * conflicts and refusals: server/http/messages.ts), shown in the user's language. A message
 * without a code, or with a code this build does not know, is shown as the server wrote it.
 */
import { renderDeployMessage, type MessageParams } from '../../bpmn/messages.js';
import { renderServerMessage } from '../../server/http/messages.js';
import { language } from './text.js';

function isParams(value: unknown): value is MessageParams {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number')
  );
}

/** The text of `code` with `params` in the current language, or `fallback` when it cannot be rendered. */
export function codedText(code: unknown, params: unknown, fallback: string): string {
  if (typeof code !== 'string') return fallback;
  const p = params === undefined ? {} : params;
  if (!isParams(p)) return fallback;
  const lang = language();
  return renderDeployMessage(code, p, lang) ?? renderServerMessage(code, p, lang) ?? fallback;
}
