/**
 * FEEL evaluation inside the workflow (pure and deterministic: feelin has no I/O). Results are
 * converted to plain JSON so they can be stored as variables.
 */
import type * as Feelin from 'feelin';
import type { Variables } from '../types.js';
import { ExpressionError, ValueError } from './errors.js';

/**
 * feelin (with its parser tables) is loaded on the first expression that needs it: the workflow
 * sandbox evaluates modules afresh for every workflow execution, and most expressions in deployed
 * models are literals (static attributes compiled to FEEL), which need no parser.
 */
let feelin: typeof Feelin | undefined;
function feel(): typeof Feelin {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, resolved by the workflow bundler (webpack)
  feelin ??= require('feelin') as typeof Feelin;
  return feelin;
}

const SCALAR_LITERAL = /^(?:"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?|true|false|null)$/;

/** A literal as the compiler writes static values (JSON.stringify): its value, without FEEL. */
function literal(expression: string): { value: unknown } | undefined {
  const e = expression.trim();
  if (SCALAR_LITERAL.test(e)) return { value: JSON.parse(e) as unknown };
  if (e.startsWith('[') && e.endsWith(']') && !e.includes('..')) {
    try {
      const v = JSON.parse(e) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) return { value: v };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export { ExpressionError, ValueError };

/** Convert FEEL values (durations, dates, contexts) to JSON values. */
export function toJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const v = value as { toJSON?: () => unknown; iso?: string };
    if (typeof v.iso === 'string') return v.iso;
    if (typeof v.toJSON === 'function' && !(value.constructor === Object)) return v.toJSON();
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(value as Record<string, unknown>)) out[k] = toJson(inner);
    return out;
  }
  if (typeof value === 'function') return null;
  return value;
}

export function evalFeel(expression: string, context: Variables): unknown {
  const lit = literal(expression);
  if (lit) return lit.value;
  try {
    return toJson(feel().evaluate(expression, context).value);
  } catch (err) {
    throw new ExpressionError(expression, `failed to evaluate expression '${expression}': ${(err as Error).message}`);
  }
}

/**
 * A condition must be true or false. As in Camunda 8, null (e.g. a variable the condition uses does
 * not exist) is not taken as false: it fails, and the element gets an incident.
 */
export function evalBoolean(expression: string, context: Variables): boolean {
  const v = evalFeel(expression, context);
  if (v === null) {
    throw new ValueError(
      expression,
      `expected expression '${expression}' to be a boolean, but it was null: a variable it uses may not exist; set it and resolve the incident`,
    );
  }
  if (typeof v !== 'boolean') {
    throw new ValueError(expression, `expected expression '${expression}' to be a boolean, but it was ${JSON.stringify(v)}`);
  }
  return v;
}

export function evalString(expression: string, context: Variables, what: string): string {
  const v = evalFeel(expression, context);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ValueError(expression, `expected ${what} '${expression}' to be a string, but it was ${JSON.stringify(v)}`);
}

export function evalOptionalString(expression: string | undefined, context: Variables, what: string): string | undefined {
  if (!expression) return undefined;
  const v = evalFeel(expression, context);
  if (v === null) return undefined;
  return evalString(expression, context, what);
}

export function evalList(expression: string, context: Variables, what: string): unknown[] {
  const v = evalFeel(expression, context);
  if (Array.isArray(v)) return v;
  throw new ValueError(expression, `expected ${what} '${expression}' to be a list, but it was ${JSON.stringify(v)}`);
}

/** A list of strings, also accepting a comma-separated string (Camunda's candidateGroups). */
export function evalStringList(expression: string | undefined, context: Variables, what: string): string[] {
  if (!expression) return [];
  const v = evalFeel(expression, context);
  if (v === null) return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new ValueError(expression, `expected ${what} '${expression}' to be a list of strings, but it was ${JSON.stringify(v)}`);
}

export function evalNumber(expression: string, context: Variables, what: string): number {
  const v = evalFeel(expression, context);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new ValueError(expression, `expected ${what} '${expression}' to be a number, but it was ${JSON.stringify(v)}`);
}
