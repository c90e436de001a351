/**
 * Refusals the server sends with a stable code and params (conflicts, the hub's refusals:
 * services/problem-codes.ts), shown in the user's language. A message without a code, or with a code
 * this build does not know, is shown as the server wrote it. Deploy problems have their own, larger
 * catalogue, loaded with the modeler only (views/modeler/problem-text.ts).
 */
import type { MessageParams } from '../../bpmn/message-template.js';
import { renderServerMessage } from '../../services/problem-codes.js';
import { language } from './text.js';

/** Params as the server sends them: an object of strings and numbers (absent: none). */
export function paramsOf(value: unknown): MessageParams | undefined {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number') ? (value as MessageParams) : undefined;
}

/** The text of a conflict or refusal code in the current language, or `fallback`. */
export function codedText(code: unknown, params: unknown, fallback: string): string {
  const p = paramsOf(params);
  if (typeof code !== 'string' || !p) return fallback;
  return renderServerMessage(code, p, language()) ?? fallback;
}
