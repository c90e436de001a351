/**
 * What a form field starts with and how case data is shown, without the DOM (unit-tested in
 * test/forms/values.test.ts). form-js fields with `"disabled": true` or `"readonly": true` are case
 * data: shown read-only, filled from the variables, never submitted. Editable fields start with the
 * variable of their key when the instance has it (as in Camunda), else with their `defaultValue`.
 */

export interface FieldSchema {
  type?: string;
  key?: string;
  label?: string;
  defaultValue?: unknown;
  disabled?: unknown;
  readonly?: unknown;
  values?: Array<{ label?: string; value: unknown }>;
}

/**
 * Shown, not entered. A FEEL `readonly` ("=expression") depends on the variables and is treated as
 * editable, as the server does (bpmn/forms.ts isReadOnly).
 */
export function isReadOnly(c: FieldSchema): boolean {
  return c.disabled === true || c.readonly === true;
}

/** The value a field starts with: the variable of its key if present (not null), else its default value. */
export function initialValue(c: FieldSchema, variables: Readonly<Record<string, unknown>>): unknown {
  if (c.key !== undefined && Object.prototype.hasOwnProperty.call(variables, c.key) && variables[c.key] !== null) return variables[c.key];
  return c.defaultValue;
}

/** The text a read-only field shows for `value`: a value list's label, 是/否 for a checkbox, '—' when there is none. */
export function displayValue(c: FieldSchema, value: unknown, words: { yes: string; no: string } = { yes: '是', no: '否' }): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  const labelOf = (v: unknown): string => {
    const option = c.values?.find((o) => o.value === v);
    if (option) return option.label ?? String(option.value);
    if (typeof v === 'boolean') return v ? words.yes : words.no;
    if (typeof v === 'object' && v !== null) return JSON.stringify(v);
    return String(v);
  };
  return Array.isArray(value) ? value.map(labelOf).join('、') : labelOf(value);
}

/** Variable values as the API gives them (JSON text) turned into values; a value that is not JSON stays text. */
export function parseVariables(items: ReadonlyArray<{ name: string; value: string }>): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const { name, value } of items) {
    try {
      variables[name] = JSON.parse(value) as unknown;
    } catch {
      variables[name] = value;
    }
  }
  return variables;
}
