/**
 * Bounded FEEL evaluation. feelin is an interpreter without limits: `for i in 1..100000000 return i`
 * fills gigabytes and a nested loop runs past the workflow-task deadline, retried forever. Each
 * evaluation gets a budget (limits.ts) that is charged where work grows with data:
 *
 * - ranges: walking `a..b` charges one step per element and is refused outright when it has more
 *   elements than a collection may (also stops fractional ranges such as 0.5..3, which never end);
 * - iteration: the collection of every `for`/`some`/`every` clause and the target of every filter
 *   is passed through `__gdf_it(…)`, which charges its length each time it is evaluated (a clause
 *   after the first is evaluated once per combination before it, so a cartesian product is charged
 *   as it is built), and every `for` body through `__gdf_val(…)`, which charges a step and checks
 *   the size of what it returns (a string doubled in a loop stops at the string limit);
 * - function calls (builtins and functions defined in the expression): the length of the longest
 *   list argument (at least one step), and the size of the result.
 *
 * Counting steps, never time, keeps evaluation deterministic: a replay decides exactly as the
 * original run. An exceeded bound throws LimitExceeded, which becomes an incident on the element.
 */
import type * as Feelin from 'feelin';
import { LimitExceeded } from './errors.js';
import type { EngineLimits } from './limits.js';

export const ITERATE = '__gdf_it';
export const VALUE = '__gdf_val';

export class Budget {
  private steps = 0;
  constructor(
    readonly limits: EngineLimits,
    readonly expression: string,
  ) {}

  charge(n: number): void {
    this.steps += n;
    if (this.steps > this.limits.feelSteps) {
      throw this.exceeded('feelSteps', `takes more than ${this.limits.feelSteps} evaluation steps`);
    }
  }

  /** Refuses a string or list that is larger than allowed (shallow: one level). */
  checkSize(value: unknown): void {
    if (typeof value === 'string' && value.length > this.limits.stringLength) {
      throw this.exceeded('stringLength', `builds a string of more than ${this.limits.stringLength} characters`);
    }
    if (Array.isArray(value) && value.length > this.limits.collectionItems) {
      throw this.exceeded('collectionItems', `builds a list of more than ${this.limits.collectionItems} items`);
    }
  }

  /** Walking a collection of `size` elements. */
  iterate(size: number): void {
    if (size > this.limits.collectionItems) {
      throw this.exceeded('collectionItems', `walks a collection of ${size} items; at most ${this.limits.collectionItems} are allowed`);
    }
    this.charge(size);
  }

  exceeded(limit: keyof EngineLimits, what: string): LimitExceeded {
    const shown = this.expression.length > 200 ? `${this.expression.slice(0, 200)}…` : this.expression;
    return new LimitExceeded(
      limit,
      `表达式超出限制 / expression exceeds a limit: '${shown}' ${what} (limit ${limit}; simplify the expression or the data it reads, then resolve the incident)`,
    );
  }
}

/** The budget of the evaluation in progress (evaluation is synchronous, so one at a time). */
let active: Budget | undefined;

export function withBudget<T>(budget: Budget, fn: () => T): T {
  const previous = active;
  active = budget;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

function iterateHelper(value: unknown): unknown {
  if (active && Array.isArray(value)) active.iterate(value.length);
  return value;
}
function valueHelper(value: unknown): unknown {
  if (active) {
    active.charge(1);
    active.checkSize(value);
  }
  return value;
}
(iterateHelper as { $args?: string[] }).$args = ['value'];
(valueHelper as { $args?: string[] }).$args = ['value'];

/** Context entries the instrumented expression calls. */
export const HELPERS: Record<string, unknown> = { [ITERATE]: iterateHelper, [VALUE]: valueHelper };

let hooked = false;

/** Patches feelin's range walking and function invocation once, to charge the active budget. */
export function installHooks(feelin: typeof Feelin): void {
  if (hooked) return;
  hooked = true;
  const rangeProto = feelin.FeelRange.prototype as unknown as {
    map(fn: (v: unknown) => unknown): unknown[];
    start: unknown;
    end: unknown;
  };
  const map = rangeProto.map;
  rangeProto.map = function boundedMap(this: typeof rangeProto, fn: (v: unknown) => unknown): unknown[] {
    const budget = active;
    if (!budget) return map.call(this, fn);
    if (typeof this.start === 'number' && typeof this.end === 'number') budget.iterate(Math.floor(Math.abs(this.end - this.start)) + 1);
    let walked = 0;
    return map.call(this, (v: unknown) => {
      walked += 1;
      if (walked > budget.limits.collectionItems) budget.iterate(walked);
      return fn(v);
    });
  };
  const fnProto = feelin.FeelFunction.prototype as unknown as { invoke(args: unknown): unknown };
  const invoke = fnProto.invoke;
  fnProto.invoke = function boundedInvoke(this: unknown, args: unknown): unknown {
    const budget = active;
    const target = (this as { fn?: unknown }).fn;
    if (!budget || target === iterateHelper || target === valueHelper) return invoke.call(this, args);
    let cost = 1;
    const values = Array.isArray(args) ? args : args && typeof args === 'object' ? Object.values(args) : [];
    for (const a of values) if (Array.isArray(a)) cost = Math.max(cost, a.length);
    budget.charge(cost);
    const result = invoke.call(this, args);
    budget.checkSize(result);
    return result;
  };
}

interface Insert {
  pos: number;
  text: string;
  /** At one position: closings before openings, inner closings first, outer openings first. */
  rank: number;
}

const instrumented = new Map<string, string>();
const CACHE_SIZE = 1000;

/**
 * The expression with the iteration helpers inserted (see the top of this file). Expressions
 * without iteration come back unchanged. Throws what feelin's parser throws for a syntax error.
 */
export function instrument(feelin: typeof Feelin, expression: string, context: Record<string, unknown>): string {
  const spaced = Object.keys(context).filter((k) => k.includes(' '));
  const cacheKey = spaced.length > 0 ? `${expression}\u0000${spaced.join('\u0000')}` : expression;
  const hit = instrumented.get(cacheKey);
  if (hit !== undefined) return hit;
  const inserts: Insert[] = [];
  const wrap = (from: number, to: number, helper: string) => {
    inserts.push({ pos: from, text: `${helper}(`, rank: 1 + 1 / (1 + to - from) });
    inserts.push({ pos: to, text: ')', rank: (to - from) / (1 + to - from) });
  };
  const tree = feelin.parseExpression(expression, context, undefined);
  tree.iterate({
    enter(ref) {
      const node = ref.node;
      if (ref.name === 'IterationContext') {
        if (!node.getChild('..')) wrap(node.from, node.to, ITERATE);
      } else if (ref.name === 'ForExpression') {
        const body = node.lastChild;
        if (body) wrap(body.from, body.to, VALUE);
      } else if (ref.name === 'FilterExpression') {
        const target = node.firstChild;
        const filter = target?.nextSibling?.nextSibling;
        if (target && filter?.name !== 'NumericLiteral') wrap(target.from, target.to, ITERATE);
      }
    },
  });
  inserts.sort((a, b) => a.pos - b.pos || a.rank - b.rank);
  let out = '';
  let at = 0;
  for (const ins of inserts) {
    out += expression.slice(at, ins.pos) + ins.text;
    at = ins.pos;
  }
  out += expression.slice(at);
  if (instrumented.size >= CACHE_SIZE) instrumented.clear();
  instrumented.set(cacheKey, out);
  return out;
}
