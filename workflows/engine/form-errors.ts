/**
 * What is wrong with one field of a form submission, as a stable code and its parameters, so that
 * whoever shows it (the server's English detail, the web app in the user's language) words it
 * itself. Pure data and string filling: used by the workflow's validator, the services and the web.
 */

export type FieldErrorCode =
  | 'form.required'
  | 'form.text'
  | 'form.minLength'
  | 'form.maxLength'
  | 'form.pattern'
  | 'form.datetime'
  | 'form.number'
  | 'form.min'
  | 'form.max'
  | 'form.boolean'
  | 'form.oneOf'
  | 'form.list'
  | 'form.notOffered';

export interface FieldError {
  /** The form field's key (the variable it fills). */
  field: string;
  /** The field's label in the form, if it has one. */
  label?: string;
  code: FieldErrorCode;
  /** Values that go into the message: min, max, pattern, values. */
  params: Record<string, string | number>;
}

/** [中文, English] per code; {name} is the field, other {…} its params. */
export const FIELD_ERROR_TEXT: Record<FieldErrorCode, readonly [string, string]> = {
  'form.required': ['{name}：必填', '{name} is required'],
  'form.text': ['{name}：应为文本', '{name} must be text'],
  'form.minLength': ['{name}：至少 {min} 个字符', '{name} must have at least {min} characters'],
  'form.maxLength': ['{name}：最多 {max} 个字符', '{name} must have at most {max} characters'],
  'form.pattern': ['{name}：格式不正确（应符合 {pattern}）', '{name} does not match the pattern {pattern}'],
  'form.datetime': ['{name}：应为日期或时间', '{name} must be a date or time'],
  'form.number': ['{name}：应为数字', '{name} must be a number'],
  'form.min': ['{name}：不能小于 {min}', '{name} must be at least {min}'],
  'form.max': ['{name}：不能大于 {max}', '{name} must be at most {max}'],
  'form.boolean': ['{name}：应为是或否', '{name} must be true or false'],
  'form.oneOf': ['{name}：只能是 {values} 之一', '{name} must be one of {values}'],
  'form.list': ['{name}：应为列表', '{name} must be a list'],
  'form.notOffered': ['{name}：含有未提供的选项 {values}', '{name} has values that are not offered: {values}'],
};

/**
 * The message of one field error in one language. `name` defaults to "key (label)" as the server's
 * English detail has always named fields; the web app passes the label alone.
 */
export function fieldErrorText(error: FieldError, lang: 'zh-CN' | 'en', name?: string): string {
  const [zh, en] = FIELD_ERROR_TEXT[error.code];
  const values: Record<string, string | number> = { ...error.params, name: name ?? (error.label ? `${error.field} (${error.label})` : error.field) };
  return (lang === 'en' ? en : zh).replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
