/** A labelled JSON textarea for process variables, read as a plain object or an error to show. */
import { h, uid } from '../dom.js';
import { failure, t, type MessageKey } from '../text.js';

export interface VariablesField {
  element: HTMLElement;
  textarea: HTMLTextAreaElement;
  /** The variables, or throws an Error whose message says what is wrong with the JSON. */
  read(): Record<string, unknown>;
}

export function variablesField(label: MessageKey, initial = '{}', name = 'variables'): VariablesField {
  const textarea = h('textarea', { id: uid('variables'), name, rows: 4, spellcheck: 'false', class: 'code' });
  textarea.value = initial;
  return {
    element: h('div', { class: 'field' }, h('label', { for: textarea.id }, t(label)), textarea),
    textarea,
    read() {
      const text = textarea.value.trim();
      if (!text) return {};
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new Error(failure('invalidJson', (err as Error).message), { cause: err });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(failure('invalidJson', '{"名称 name": value, …}'));
      return value as Record<string, unknown>;
    },
  };
}
