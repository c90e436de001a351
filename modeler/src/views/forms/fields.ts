/**
 * A simple renderer of form-js schemas (task forms and start forms): textfield, textarea, number, checkbox,
 * select and radio become labelled inputs, text components become paragraphs, groups are walked.
 * Other input types are shown as text inputs. The server checks the submission against the same
 * schema (a 400 names the fields), so the browser's own validation stays off.
 * Fields marked `disabled` or `readonly` (case data at the top of a task form) are shown as text,
 * filled from the variables (a value list's label), and not submitted; editable fields start with
 * the variable of their key, else their default value (values.ts).
 */
import { h, uid } from '../../dom.js';
import { t } from '../../text.js';
import { displayValue, initialValue, isReadOnly, type FieldSchema } from './values.js';

interface Component extends FieldSchema {
  text?: string;
  description?: string;
  components?: Component[];
  validate?: { required?: boolean; min?: number; max?: number; minLength?: number; maxLength?: number };
}

interface Input {
  key: string;
  read(): { value?: unknown; error?: string };
}

export interface RenderedForm {
  element: HTMLElement;
  /** The submitted variables; empty optional fields are left out. */
  read(): { variables: Record<string, unknown>; errors: string[] };
}

/** Renders the form; `variables` (the task's) fill read-only fields and prefill editable ones. */
export function renderForm(schemaText: string, variables: Readonly<Record<string, unknown>> = {}): RenderedForm {
  const schema = JSON.parse(schemaText) as { components?: Component[] };
  const inputs: Input[] = [];
  const element = h('div', { class: 'task-form' });
  walk(schema.components ?? [], element, inputs, variables);
  return {
    element,
    read() {
      const variables: Record<string, unknown> = {};
      const errors: string[] = [];
      for (const input of inputs) {
        const { value, error } = input.read();
        if (error) errors.push(error);
        else if (value !== undefined) variables[input.key] = value;
      }
      return { variables, errors };
    },
  };
}

function walk(components: Component[], parent: HTMLElement, inputs: Input[], variables: Readonly<Record<string, unknown>>): void {
  for (const c of components) {
    if (Array.isArray(c.components)) {
      const group = h('fieldset', { class: 'group' }, c.label ? h('legend', {}, c.label) : null);
      walk(c.components, group, inputs, variables);
      parent.append(group);
      continue;
    }
    if (c.type === 'text' && c.text) {
      parent.append(h('p', { class: 'form-text' }, c.text.replace(/^#+\s*/gm, '')));
      continue;
    }
    if (!c.key) continue;
    if (isReadOnly(c)) {
      parent.append(renderShown(c, c.key, initialValue(c, variables)));
      continue;
    }
    const field = renderField(c, c.key, initialValue(c, variables));
    if (field) {
      parent.append(field.element);
      inputs.push(field.input);
    }
  }
}

function labelFor(c: Component, key: string, id: string): HTMLLabelElement {
  const required = c.validate?.required === true;
  return h(
    'label',
    { for: id },
    c.label ?? key,
    required ? h('span', { class: 'required', title: t('required') }, ` *`) : null,
  );
}

function describe(c: Component, id: string): HTMLElement | null {
  return c.description ? h('small', { id: `${id}-desc`, class: 'description' }, c.description) : null;
}

/** A read-only field: its label and its value as text (not an input: not focused, not submitted). */
function renderShown(c: Component, key: string, value: unknown): HTMLElement {
  const id = uid(`form-${key}`);
  const text = displayValue(c, value, { yes: t('yes'), no: t('no') });
  return h(
    'div',
    { class: 'field field-readonly', dataset: { key } },
    h('label', { for: id }, c.label ?? key),
    h('output', { id, class: text === '—' ? 'empty' : undefined }, text),
    describe(c, id),
  );
}

function renderField(c: Component, key: string, start: unknown): { element: HTMLElement; input: Input } | undefined {
  const id = uid(`form-${key}`);
  const required = c.validate?.required === true;
  const common = { id, name: key, 'aria-required': required ? 'true' : undefined, 'aria-describedby': c.description ? `${id}-desc` : undefined };

  switch (c.type) {
    case 'checkbox': {
      const box = h('input', { ...common, type: 'checkbox', checked: start === true });
      return {
        element: h('div', { class: 'field field-check' }, box, labelFor(c, key, id), describe(c, id)),
        input: { key, read: () => ({ value: box.checked }) },
      };
    }
    case 'number': {
      const input = h('input', { ...common, type: 'number', step: 'any', value: typeof start === 'number' ? String(start) : undefined });
      return {
        element: h('div', { class: 'field' }, labelFor(c, key, id), input, describe(c, id)),
        input: {
          key,
          read: () => {
            const text = input.value.trim();
            if (!text) return {};
            const n = Number(text);
            return Number.isFinite(n) ? { value: n } : { error: t('notANumber', c.label ?? key) };
          },
        },
      };
    }
    case 'select':
    case 'radio': {
      const values = c.values ?? [];
      if (values.length === 0) break; // options from a variable (valuesKey): enter the value as text
      const select = h(
        'select',
        common,
        h('option', { value: '' }, `— ${t('choose')} —`),
        ...values.map((v, i) => h('option', { value: String(i), selected: v.value === start }, v.label ?? String(v.value))),
      );
      return {
        element: h('div', { class: 'field' }, labelFor(c, key, id), select, describe(c, id)),
        input: { key, read: () => (select.value === '' ? {} : { value: values[Number(select.value)]!.value }) },
      };
    }
    case 'textarea': {
      const area = h('textarea', { ...common, rows: 3 });
      if (typeof start === 'string') area.value = start;
      return {
        element: h('div', { class: 'field' }, labelFor(c, key, id), area, describe(c, id)),
        input: { key, read: () => (area.value === '' ? {} : { value: area.value }) },
      };
    }
  }
  const input = h('input', { ...common, type: 'text', value: typeof start === 'string' ? start : undefined });
  return {
    element: h('div', { class: 'field' }, labelFor(c, key, id), input, describe(c, id)),
    input: { key, read: () => (input.value === '' ? {} : { value: input.value }) },
  };
}
