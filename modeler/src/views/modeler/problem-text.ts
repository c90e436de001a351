/**
 * Deploy problems in the user's language: their code and params rendered from the catalogue
 * bpmn/messages.ts (part of the modeler's chunk), else a conflict code, else the server's text.
 */
import { renderDeployMessage } from '../../../../bpmn/messages.js';
import { codedText, paramsOf } from '../../server-messages.js';
import { language } from '../../text.js';

export function problemText(code: unknown, params: unknown, fallback: string): string {
  const p = paramsOf(params);
  if (typeof code !== 'string' || !p) return fallback;
  return renderDeployMessage(code, p, language()) ?? codedText(code, p, fallback);
}
