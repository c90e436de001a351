/**
 * Checks a user-task completion against the task's form (embedded in the model at deploy time).
 * Pure: used by the workflow's Update validator and by the server before it calls the workflow.
 * Patterns run on RE2 (linear time, bpmn/form-pattern.ts); a pattern RE2 cannot compile (only in
 * forms deployed before deployment refused such patterns) is not checked, as before.
 */
import { formPattern } from '../../bpmn/form-pattern.js';
import type { FormSpec } from '../../bpmn/forms.js';
import { fieldErrorText, type FieldError, type FieldErrorCode } from './form-errors.js';

/** Checks completion variables against a form; one error per problem, as codes (empty = valid). */
export function checkFormSubmission(form: FormSpec, variables: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of form.fields) {
    // Shown, not entered (disabled/readonly): not checked, as in Camunda.
    if (f.readOnly) continue;
    const fail = (code: FieldErrorCode, params: Record<string, string | number> = {}) =>
      errors.push({ field: f.key, ...(f.label ? { label: f.label } : {}), code, params });
    const v = variables[f.key];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (f.required) fail('form.required');
      continue;
    }
    if (f.type === 'text' || f.type === 'datetime') {
      if (typeof v !== 'string') {
        fail('form.text');
        continue;
      }
      if (f.minLength !== undefined && v.length < f.minLength) fail('form.minLength', { min: f.minLength });
      if (f.maxLength !== undefined && v.length > f.maxLength) fail('form.maxLength', { max: f.maxLength });
      if (f.pattern && formPattern(f.pattern)?.matches(v) === false) fail('form.pattern', { pattern: f.pattern });
      if (f.type === 'datetime' && Number.isNaN(Date.parse(v)) && !/^\d{2}:\d{2}/.test(v)) fail('form.datetime');
    } else if (f.type === 'number') {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) {
        fail('form.number');
        continue;
      }
      if (f.min !== undefined && n < f.min) fail('form.min', { min: f.min });
      if (f.max !== undefined && n > f.max) fail('form.max', { max: f.max });
    } else if (f.type === 'boolean') {
      if (typeof v !== 'boolean') fail('form.boolean');
    } else if (f.type === 'choice') {
      if (f.values && !f.values.some((a) => a === v)) fail('form.oneOf', { values: f.values.map((a) => JSON.stringify(a)).join(', ') });
    } else if (f.type === 'choices') {
      if (!Array.isArray(v)) fail('form.list');
      else if (f.values) {
        const bad = v.filter((x) => !f.values!.some((a) => a === x));
        if (bad.length) fail('form.notOffered', { values: bad.map((x) => JSON.stringify(x)).join(', ') });
      }
    }
  }
  return errors;
}

/** Checks completion variables against a form; returns one English message per problem (empty = valid). */
export function validateFormSubmission(form: FormSpec, variables: Record<string, unknown>): string[] {
  return checkFormSubmission(form, variables).map((e) => fieldErrorText(e, 'en'));
}
