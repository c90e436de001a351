/**
 * Case data in forms (pure code): which form-js fields are read-only, what a field starts with and how
 * a read-only value is shown (modeler/src/views/forms/values.ts); the deployed form marks such fields
 * and the completion check leaves them out (bpmn/forms.ts, workflows/engine/form-validation.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseFormSchema } from '../../bpmn/forms.js';
import { displayValue, initialValue, isReadOnly, parseVariables } from '../../modeler/src/views/forms/values.js';
import { validateFormSubmission } from '../../workflows/engine/form-validation.js';

const AREA = { type: 'select', key: 'area', label: '区域', values: [{ label: '城区', value: 'urban' }, { label: '农村', value: 'rural' }] };

describe('form fields in the web app', () => {
  it('disabled: true or readonly: true is read-only; a FEEL readonly and false are not', () => {
    expect(isReadOnly({ disabled: true })).toBe(true);
    expect(isReadOnly({ readonly: true })).toBe(true);
    expect(isReadOnly({ disabled: false, readonly: false })).toBe(false);
    expect(isReadOnly({ readonly: '=state = "open"' })).toBe(false);
    expect(isReadOnly({})).toBe(false);
  });

  it('a field starts with the variable of its key, else its default value', () => {
    expect(initialValue({ key: 'crew', defaultValue: '一班' }, {})).toBe('一班');
    expect(initialValue({ key: 'crew', defaultValue: '一班' }, { crew: '二班' })).toBe('二班');
    expect(initialValue({ key: 'important', defaultValue: true }, { important: false })).toBe(false);
    expect(initialValue({ key: 'crew', defaultValue: '一班' }, { crew: null })).toBe('一班');
    expect(initialValue({ key: 'crew' }, {})).toBeUndefined();
    // not an inherited property
    expect(initialValue({ key: 'toString' }, {})).toBeUndefined();
  });

  it('a read-only value shows the label of a value list, 是/否, list items and — for nothing', () => {
    expect(displayValue(AREA, 'rural')).toBe('农村');
    expect(displayValue(AREA, 'remote')).toBe('remote');
    expect(displayValue({ type: 'checkbox' }, true)).toBe('是');
    expect(displayValue({ type: 'checkbox' }, false)).toBe('否');
    expect(displayValue({ type: 'checklist', values: AREA.values }, ['urban', 'rural'])).toBe('城区、农村');
    expect(displayValue({ type: 'number' }, 0)).toBe('0');
    expect(displayValue({ type: 'textfield' }, { a: 1 })).toBe('{"a":1}');
    for (const none of [undefined, null, '', []]) expect(displayValue({ type: 'textfield' }, none)).toBe('—');
  });

  it('variables from the API (JSON text) become values', () => {
    expect(parseVariables([{ name: 'a', value: '"张三"' }, { name: 'b', value: 'true' }, { name: 'c', value: '{"x":1}' }, { name: 'd', value: 'not json' }])).toEqual({
      a: '张三',
      b: true,
      c: { x: 1 },
      d: 'not json',
    });
  });
});

describe('read-only fields on the server', () => {
  const FORM = JSON.stringify({
    id: 'dispatch-form',
    components: [
      { type: 'textfield', key: 'customerName', label: '客户名称', disabled: true, validate: { required: true } },
      { ...AREA, readonly: true, validate: { required: true } },
      { type: 'checkbox', key: 'important', label: '重要客户', disabled: true },
      { type: 'textfield', key: 'note', label: '备注', readonly: '=done', validate: { required: true } },
      { type: 'textfield', key: 'crew', label: '班组', validate: { required: true, minLength: 2 } },
    ],
  });

  it('the deployed form marks them; fields without the mark are as before', () => {
    const { fields } = parseFormSchema(FORM, 'dispatch.form');
    expect(fields.filter((f) => f.readOnly).map((f) => f.key)).toEqual(['customerName', 'area', 'important']);
    expect(fields.find((f) => f.key === 'crew')).toEqual({ key: 'crew', label: '班组', type: 'text', required: true, minLength: 2 });
  });

  it('a completion need not carry them (required or not), and is not checked on them', () => {
    const parsed = parseFormSchema(FORM, 'dispatch.form');
    const form = { ...parsed, formKey: '1', version: 1 };
    expect(validateFormSubmission(form, { note: 'n', crew: '一班' })).toEqual([]);
    expect(validateFormSubmission(form, { note: 'n', crew: '一班', area: 'elsewhere', important: 'yes' })).toEqual([]);
    expect(validateFormSubmission(form, {})).toEqual(['note (备注) is required', 'crew (班组) is required']);
  });
});
