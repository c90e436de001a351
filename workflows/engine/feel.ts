/**
 * FEEL evaluation inside the workflow (pure and deterministic: feelin has no I/O). Results are
 * converted to plain JSON so they can be stored as variables.
 */
import type * as Feelin from 'feelin';
import type { Variables } from '../types.js';
import { ExpressionError, LimitExceeded, ValueError } from './errors.js';
import { Budget, HELPERS, installHooks, instrument, withBudget } from './feel-bounds.js';
import { REGEX_BUILTINS } from './feel-regex.js';
import { DEFAULT_LIMITS, type EngineLimits } from './limits.js';

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

/**
 * Convert FEEL values (durations, dates, contexts) to JSON values. With a budget, every list and
 * string is checked and the whole result may hold at most 10 × collectionItems values: a list that
 * holds itself many times over (built in a loop) cannot expand into gigabytes here.
 */
export function toJson(value: unknown, budget?: Budget): unknown {
  let nodes = 0;
  const maxNodes = budget ? budget.limits.collectionItems * 10 : Infinity;
  const convert = (v: unknown): unknown => {
    nodes += 1;
    if (nodes > maxNodes) throw budget!.exceeded('collectionItems', `returns more than ${maxNodes} values in all`);
    budget?.checkSize(v);
    if (v === undefined || v === null) return null;
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v === 'object') {
      const o = v as { toJSON?: () => unknown; iso?: string };
      if (typeof o.iso === 'string') return o.iso;
      if (typeof o.toJSON === 'function' && !(v.constructor === Object)) return o.toJSON();
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
        Object.defineProperty(out, k, { value: convert(inner), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (typeof v === 'function') return null;
    return v;
  };
  return convert(value);
}

/** Limits of the evaluations to come (the engine sets its instance's limits while it runs). */
let limits: EngineLimits = DEFAULT_LIMITS;

export function withFeelLimits<T>(given: EngineLimits, fn: () => T): T {
  const previous = limits;
  limits = given;
  try {
    return fn();
  } finally {
    limits = previous;
  }
}

export function evalFeel(expression: string, context: Variables): unknown {
  const lit = literal(expression);
  if (lit) return lit.value;
  const budget = new Budget(limits, expression);
  try {
    const f = feel();
    installHooks(f);
    const scope = { ...REGEX_BUILTINS, ...context, ...HELPERS };
    return withBudget(budget, () => toJson(f.evaluate(instrument(f, expression, scope), scope).value, budget));
  } catch (err) {
    if (err instanceof LimitExceeded) throw err;
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
