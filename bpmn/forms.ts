/**
 * form-js forms: what a user-task completion must satisfy. A deployed form's JSON schema is reduced
 * to a list of input fields (key, type, constraints) that is embedded in the user-task node at
 * deploy time, so the workflow's Update validator can check a completion without I/O.
 */
import { z } from 'zod';
import { compileFormPattern } from './form-pattern.js';

export const FormField = z.object({
  key: z.string(),
  label: z.string().optional(),
  type: z.enum(['text', 'number', 'boolean', 'choice', 'choices', 'datetime', 'any']),
  required: z.boolean().default(false),
  min: z.number().optional(),
  max: z.number().optional(),
  minLength: z.number().int().optional(),
  maxLength: z.number().int().optional(),
  pattern: z.string().optional(),
  /** Allowed values for select/radio/checklist/taglist. */
  values: z.array(z.unknown()).optional(),
  /**
   * Shown, not entered: `"disabled": true` or `"readonly": true` in the schema (case data at the top
   * of a task form). Not checked at completion, as in Camunda; absent in forms without such fields.
   */
  readOnly: z.literal(true).optional(),
});
export type FormField = z.infer<typeof FormField>;

export const FormSpec = z.object({
  formId: z.string(),
  /** Key of the deployed form version. */
  formKey: z.string(),
  version: z.number().int(),
  fields: z.array(FormField),
});
export type FormSpec = z.infer<typeof FormSpec>;

const TYPE_OF: Record<string, FormField['type']> = {
  textfield: 'text',
  textarea: 'text',
  password: 'text',
  number: 'number',
  checkbox: 'boolean',
  select: 'choice',
  radio: 'choice',
  checklist: 'choices',
  taglist: 'choices',
  datetime: 'datetime',
};

const DISPLAY_ONLY = new Set(['text', 'html', 'image', 'spacer', 'separator', 'button', 'iframe', 'table', 'documentPreview', 'expression']);

interface Component {
  type?: string;
  key?: string;
  label?: string;
  components?: Component[];
  values?: Array<{ value: unknown }>;
  valuesKey?: string;
  disabled?: unknown;
  readonly?: unknown;
  validate?: { required?: boolean; min?: number; max?: number; minLength?: number; maxLength?: number; pattern?: string };
}

/** Reads a form-js schema (JSON text); throws an Error naming what is wrong. */
export function parseFormSchema(json: string, resourceName: string): { formId: string; fields: FormField[] } {
  let schema: { id?: unknown; components?: Component[]; type?: unknown };
  try {
    schema = JSON.parse(json) as typeof schema;
  } catch (err) {
    throw new Error(`Resource '${resourceName}' is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof schema.id !== 'string' || !schema.id) throw new Error(`Form '${resourceName}' has no "id"; give the form an id (its formId)`);
  if (!Array.isArray(schema.components)) throw new Error(`Form '${resourceName}' has no "components" list; is it a form-js form?`);
  const fields: FormField[] = [];
  const walk = (components: Component[]) => {
    for (const c of components) {
      if (Array.isArray(c.components)) walk(c.components);
      if (!c.type || DISPLAY_ONLY.has(c.type) || !c.key) continue;
      const v = c.validate ?? {};
      if (v.pattern !== undefined) checkPattern(v.pattern, resourceName, c);
      const field: FormField = {
        key: c.key,
        type: TYPE_OF[c.type] ?? 'any',
        required: v.required === true,
        ...(c.label ? { label: c.label } : {}),
        ...(v.min !== undefined ? { min: v.min } : {}),
        ...(v.max !== undefined ? { max: v.max } : {}),
        ...(v.minLength !== undefined ? { minLength: v.minLength } : {}),
        ...(v.maxLength !== undefined ? { maxLength: v.maxLength } : {}),
        ...(v.pattern ? { pattern: v.pattern } : {}),
        ...(Array.isArray(c.values) && !c.valuesKey ? { values: c.values.map((o) => o.value) } : {}),
        ...(isReadOnly(c) ? { readOnly: true as const } : {}),
      };
      fields.push(field);
    }
  };
  walk(schema.components);
  return { formId: schema.id, fields };
}

/**
 * Whether a form-js field is shown but not entered: `disabled: true` or `readonly: true`. A FEEL
 * `readonly` ("=expression") depends on the variables and is treated as editable (checked, submitted).
 */
export function isReadOnly(c: { disabled?: unknown; readonly?: unknown }): boolean {
  return c.disabled === true || c.readonly === true;
}

/** A field's pattern must run on RE2 (linear time); otherwise the form is refused, naming the field. */
function checkPattern(pattern: unknown, resourceName: string, c: Component): void {
  const field = c.label ? `'${c.key}' (${c.label})` : `'${c.key}'`;
  if (typeof pattern !== 'string') {
    throw new Error(`表单 '${resourceName}' 的字段 ${field} 的 validate.pattern 不是字符串 / Form '${resourceName}' field ${field}: validate.pattern must be a string`);
  }
  try {
    compileFormPattern(pattern);
  } catch (err) {
    throw new Error(
      `表单 '${resourceName}' 的字段 ${field} 的校验正则无法以线性时间执行 / Form '${resourceName}' field ${field}: pattern ${JSON.stringify(pattern)} is refused: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
