/**
 * form-js forms: what a user-task completion must satisfy. A deployed form's JSON schema is reduced
 * to a list of input fields (key, type, constraints) that is embedded in the user-task node at
 * deploy time, so the workflow's Update validator can check a completion without I/O.
 */
import { z } from 'zod';
import { compileFormPattern } from './form-pattern.js';
import { msg, type CodedMessage, type MessageParams } from './messages.js';

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

/** A plain Error (the deployment shows its message) that carries a catalogue code and params too. */
export type FormSchemaError = Error & { coded?: { code: string; params: MessageParams } };

function formError(m: CodedMessage, detail: string = m.message, cause?: unknown): FormSchemaError {
  const err: FormSchemaError = new Error(detail, cause === undefined ? undefined : { cause });
  err.coded = { code: m.code, params: m.params };
  return err;
}

/** Reads a form-js schema (JSON text); throws an Error naming what is wrong (with `coded`). */
export function parseFormSchema(json: string, resourceName: string): { formId: string; fields: FormField[] } {
  let schema: { id?: unknown; components?: Component[]; type?: unknown };
  try {
    schema = JSON.parse(json) as typeof schema;
  } catch (err) {
    throw formError(msg('formSchema.invalidJson', { resource: resourceName, error: (err as Error).message }), undefined, err);
  }
  if (typeof schema.id !== 'string' || !schema.id) throw formError(msg('formSchema.noId', { resource: resourceName }));
  if (!Array.isArray(schema.components)) throw formError(msg('formSchema.noComponents', { resource: resourceName }));
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
    const m = msg('formSchema.patternNotString', { resource: resourceName, field });
    throw formError(m, `表单 '${resourceName}' 的字段 ${field} 的 validate.pattern 不是字符串 / ${m.message}`);
  }
  try {
    compileFormPattern(pattern);
  } catch (err) {
    const m = msg('formSchema.patternRefused', { resource: resourceName, field, pattern: JSON.stringify(pattern), error: (err as Error).message });
    throw formError(m, `表单 '${resourceName}' 的字段 ${field} 的校验正则无法以线性时间执行 / ${m.message}`, err);
  }
}
