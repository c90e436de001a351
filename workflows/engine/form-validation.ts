/**
 * Checks a user-task completion against the task's form (embedded in the model at deploy time).
 * Pure: used by the workflow's Update validator and by the server before it calls the workflow.
 * Patterns run on RE2 (linear time, bpmn/form-pattern.ts); a pattern RE2 cannot compile (only in
 * forms deployed before deployment refused such patterns) is not checked, as before.
 */
import { formPattern } from '../../bpmn/form-pattern.js';
import type { FormSpec } from '../../bpmn/forms.js';

/** Checks completion variables against a form; returns one message per problem (empty = valid). */
export function validateFormSubmission(form: FormSpec, variables: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const f of form.fields) {
    // Shown, not entered (disabled/readonly): not checked, as in Camunda.
    if (f.readOnly) continue;
    const name = f.label ? `${f.key} (${f.label})` : f.key;
    const v = variables[f.key];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (f.required) problems.push(`${name} is required`);
      continue;
    }
    if (f.type === 'text' || f.type === 'datetime') {
      if (typeof v !== 'string') {
        problems.push(`${name} must be text`);
        continue;
      }
      if (f.minLength !== undefined && v.length < f.minLength) problems.push(`${name} must have at least ${f.minLength} characters`);
      if (f.maxLength !== undefined && v.length > f.maxLength) problems.push(`${name} must have at most ${f.maxLength} characters`);
      if (f.pattern && formPattern(f.pattern)?.matches(v) === false) problems.push(`${name} does not match the pattern ${f.pattern}`);
      if (f.type === 'datetime' && Number.isNaN(Date.parse(v)) && !/^\d{2}:\d{2}/.test(v)) problems.push(`${name} must be a date or time`);
    } else if (f.type === 'number') {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) {
        problems.push(`${name} must be a number`);
        continue;
      }
      if (f.min !== undefined && n < f.min) problems.push(`${name} must be at least ${f.min}`);
      if (f.max !== undefined && n > f.max) problems.push(`${name} must be at most ${f.max}`);
    } else if (f.type === 'boolean') {
      if (typeof v !== 'boolean') problems.push(`${name} must be true or false`);
    } else if (f.type === 'choice') {
      if (f.values && !f.values.some((a) => a === v)) problems.push(`${name} must be one of ${f.values.map((a) => JSON.stringify(a)).join(', ')}`);
    } else if (f.type === 'choices') {
      if (!Array.isArray(v)) problems.push(`${name} must be a list`);
      else if (f.values) {
        const bad = v.filter((x) => !f.values!.some((a) => a === x));
        if (bad.length) problems.push(`${name} has values that are not offered: ${bad.map((x) => JSON.stringify(x)).join(', ')}`);
      }
    }
  }
  return problems;
}
