/**
 * The size budget of an instance's variables (workflows/variables-limits.ts) inside the engine:
 * every variable the engine sets passes `admit`, which refuses text PostgreSQL cannot store, a
 * variable over its limit, and a set that would take the instance over its total. The refusal is an
 * ExpressionError, so where the engine guards a step (mappings, results) it becomes an incident on
 * the element instead of a workflow payload too large for Temporal (GRPC_MESSAGE_TOO_LARGE).
 *
 * The running total is not part of the snapshot: it is recomputed from the variables on first use
 * (after a continue-as-new too).
 */
import type { EngineSnapshot, Variables } from '../types.js';
import {
  contentProblem,
  jsonBytes,
  totalTooLarge,
  utf8Bytes,
  variableBytes,
  variableTooLarge,
  type VariableLimits,
  type VariableProblem,
} from '../variables-limits.js';
import { ExpressionError } from './feel.js';

export class VariableRejectedError extends ExpressionError {
  constructor(readonly problem: VariableProblem) {
    super('', problem.message);
    this.name = 'VariableRejectedError';
  }

  /** A size limit (rather than the content) was exceeded. */
  get sizeExceeded(): boolean {
    return this.problem.problem === 'VARIABLE_TOO_LARGE' || this.problem.problem === 'TOTAL_TOO_LARGE';
  }
}

export class VariableBudget {
  private total: number | undefined;

  constructor(
    private readonly state: EngineSnapshot,
    readonly limits: VariableLimits,
  ) {}

  private currentTotal(): number {
    if (this.total === undefined) {
      let t = 0;
      for (const vars of Object.values(this.state.variables)) for (const [k, v] of Object.entries(vars)) t += variableBytes(k, v);
      this.total = t;
    }
    return this.total;
  }

  /** The bytes `name` = `value` would cost, or the problem that forbids it. */
  private cost(name: string, value: unknown): { bytes: number } | { problem: VariableProblem } {
    const content = contentProblem(name, value);
    if (content) return { problem: content };
    const size = jsonBytes(value);
    if (size > this.limits.maxVariableBytes) return { problem: variableTooLarge(name, size, this.limits.maxVariableBytes) };
    return { bytes: utf8Bytes(name) + size };
  }

  /** Accounts for setting `name` in `scopeKey`; throws VariableRejectedError (nothing accounted) when it may not be set. */
  admit(scopeKey: string, name: string, value: unknown): void {
    const c = this.cost(name, value);
    if ('problem' in c) throw new VariableRejectedError(c.problem);
    const vars = this.state.variables[scopeKey];
    const old = vars && Object.prototype.hasOwnProperty.call(vars, name) ? variableBytes(name, vars[name]) : 0;
    const next = this.currentTotal() - old + c.bytes;
    if (next > this.limits.maxTotalBytes) throw new VariableRejectedError(totalTooLarge(name, next, this.limits.maxTotalBytes));
    this.total = next;
  }

  /** Accounts for setting `name` in `scopeKey` without refusing it. */
  count(scopeKey: string, name: string, value: unknown): void {
    if (this.total === undefined) return;
    const vars = this.state.variables[scopeKey];
    const old = vars && Object.prototype.hasOwnProperty.call(vars, name) ? variableBytes(name, vars[name]) : 0;
    this.total += variableBytes(name, value) - old;
  }

  /** A scope's variables are about to be dropped. */
  release(scopeKey: string): void {
    if (this.total === undefined) return;
    const vars = this.state.variables[scopeKey];
    if (!vars) return;
    for (const [k, v] of Object.entries(vars)) this.total -= variableBytes(k, v);
  }

  /**
   * The first problem of setting `variables` where `visible` (the context they would replace) holds
   * the current values: each variable, then the instance total. Used before a step begins (user-task
   * completion, variables from outside, results propagated as they are).
   */
  problemOf(variables: Variables, visible: Variables): VariableProblem | undefined {
    let total = this.currentTotal();
    for (const [name, value] of Object.entries(variables)) {
      const c = this.cost(name, value);
      if ('problem' in c) return c.problem;
      const old = Object.prototype.hasOwnProperty.call(visible, name) ? variableBytes(name, visible[name]) : 0;
      total += c.bytes - old;
      if (total > this.limits.maxTotalBytes) return totalTooLarge(name, total, this.limits.maxTotalBytes);
    }
    return undefined;
  }
}
