/**
 * What a process variable may hold, checked where variables enter (the HTTP API, the workflow's
 * Update validators) and where the interpreter sets them (engine/engine.ts):
 *
 * - text PostgreSQL can store: no NUL character (U+0000) and no lone UTF-16 surrogate, in names,
 *   object keys and string values at any depth (jsonb refuses both);
 * - nesting at most MAX_VARIABLE_DEPTH levels;
 * - a variable's JSON at most `maxVariableBytes` (UTF-8), an instance's variables together at most
 *   `maxTotalBytes`: continue-as-new carries every variable in one Temporal payload (2 MB limit).
 *
 * Pure code, no I/O: the workflow bundle, the server and the activities import it.
 */

export interface VariableLimits {
  /** Largest JSON (UTF-8 bytes) of one variable's value. */
  maxVariableBytes: number;
  /** Largest sum over an instance's variables of name and JSON value bytes. */
  maxTotalBytes: number;
}

export const DEFAULT_VARIABLE_LIMITS: VariableLimits = { maxVariableBytes: 256 * 1024, maxTotalBytes: 1024 * 1024 };

/** Highest total the configuration accepts: the whole state must stay well below Temporal's 2 MB payload limit. */
export const MAX_CONFIGURABLE_TOTAL_BYTES = 1536 * 1024;

/** Deepest nesting of objects and arrays in a variable. */
export const MAX_VARIABLE_DEPTH = 100;

export type VariableProblemKind = 'NUL_CHARACTER' | 'LONE_SURROGATE' | 'TOO_DEEP' | 'VARIABLE_TOO_LARGE' | 'TOTAL_TOO_LARGE';

export interface VariableProblem {
  /** Path of the offending value, e.g. `customer.name` or `items[2]`; the variable name for sizes. */
  variable: string;
  problem: VariableProblemKind;
  /** Chinese first, then English; names the variable and what to do. */
  message: string;
  size?: number;
  limit?: number;
}

/** Thrown by assertVariables; the server answers 400 INVALID_ARGUMENT with the problem's fields. */
export class VariablesRejected extends Error {
  readonly code = 'INVALID_ARGUMENT';
  constructor(readonly problem: VariableProblem) {
    super(problem.message);
    this.name = 'VariablesRejected';
  }
}

/** Index of the first NUL or lone surrogate in `s`, with which; undefined when PostgreSQL can store it. */
export function unstorableChar(s: string): { index: number; kind: 'NUL_CHARACTER' | 'LONE_SURROGATE' } | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return { index: i, kind: 'NUL_CHARACTER' };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return { index: i, kind: 'LONE_SURROGATE' };
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return { index: i, kind: 'LONE_SURROGATE' };
    }
  }
  return undefined;
}

/** `s` with every NUL and lone surrogate replaced by U+FFFD (what the read model stores when it must). */
export function storableText(s: string): string {
  return replaceUnstorable(s, true);
}

/** `s` with every lone surrogate replaced by U+FFFD: valid UTF-8, as protobuf strings must be (NUL stays). */
export function wellFormedText(s: string): string {
  return replaceUnstorable(s, false);
}

function replaceUnstorable(s: string, nul: boolean): string {
  if (!unstorableChar(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 && nul) out += '\uFFFD';
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\uFFFD';
    else out += s[i]!;
  }
  return out;
}

/** A JSON value with storableText applied to every string and object key. */
export function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableText(k)] = storableValue(v);
    return out;
  }
  return value;
}

/** UTF-8 length of a string (lone surrogates count 3, as their replacement character would). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Bytes of a value as JSON (undefined counts as null). */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? 'null');
}

/** What one variable costs towards the instance total: its name and its JSON value. */
export function variableBytes(name: string, value: unknown): number {
  return utf8Bytes(name) + jsonBytes(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Node {
  value: unknown;
  parent: Node | undefined;
  segment: string | number;
  depth: number;
}

function pathOf(node: Node): string {
  const segments: Array<string | number> = [];
  for (let n: Node | undefined = node; n; n = n.parent) segments.unshift(n.segment);
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (IDENTIFIER.test(s)) return i === 0 ? s : `.${s}`;
      return i === 0 ? JSON.stringify(s) : `[${JSON.stringify(s)}]`;
    })
    .join('');
}

function textMessage(path: string, kind: 'NUL_CHARACTER' | 'LONE_SURROGATE', index: number, inKey: boolean): string {
  const where = inKey ? `的名称第 ${index + 1} 个字符` : `第 ${index + 1} 个字符`;
  const whereEn = inKey ? `its name, at character ${index + 1}` : `character ${index + 1}`;
  return kind === 'NUL_CHARACTER'
    ? `变量 ${path} ${where}是 NUL（U+0000），无法保存，请删除该字符 / variable ${path} contains a NUL character (U+0000) at ${whereEn}, which cannot be stored; remove it`
    : `变量 ${path} ${where}是孤立的 UTF-16 代理项，不是有效的 Unicode，请修正编码 / variable ${path} contains a lone UTF-16 surrogate at ${whereEn}, which is not valid Unicode; fix its encoding`;
}

/** Text and nesting problems of one variable (name and value), or undefined. */
export function contentProblem(name: string, value: unknown): VariableProblem | undefined {
  const nameProblem = unstorableChar(name);
  if (nameProblem) {
    const path = JSON.stringify(name);
    return { variable: path, problem: nameProblem.kind, message: textMessage(path, nameProblem.kind, nameProblem.index, true) };
  }
  const stack: Node[] = [{ value, parent: undefined, segment: name, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      const bad = unstorableChar(v);
      if (bad) {
        const path = pathOf(node);
        return { variable: path, problem: bad.kind, message: textMessage(path, bad.kind, bad.index, false) };
      }
    } else if (v !== null && typeof v === 'object') {
      if (node.depth >= MAX_VARIABLE_DEPTH) {
        const path = pathOf(node);
        return {
          variable: path,
          problem: 'TOO_DEEP',
          limit: MAX_VARIABLE_DEPTH,
          message: `变量 ${path} 嵌套超过 ${MAX_VARIABLE_DEPTH} 层 / variable ${path} is nested deeper than ${MAX_VARIABLE_DEPTH} levels of objects and arrays`,
        };
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: node, segment: i, depth: node.depth + 1 });
      } else {
        for (const [k, child] of Object.entries(v)) {
          const key: Node = { value: child, parent: node, segment: k, depth: node.depth + 1 };
          const bad = unstorableChar(k);
          if (bad) {
            const path = pathOf(key);
            return { variable: path, problem: bad.kind, message: textMessage(path, bad.kind, bad.index, true) };
          }
          stack.push(key);
        }
      }
    }
  }
  return undefined;
}

export function variableTooLarge(name: string, size: number, limit: number): VariableProblem {
  return {
    variable: name,
    problem: 'VARIABLE_TOO_LARGE',
    size,
    limit,
    message:
      `变量 ${name} 的 JSON 大小为 ${size} 字节，超过单个变量上限 ${limit} 字节（VARIABLE_MAX_BYTES），请只保存必要的数据或改存引用 / ` +
      `variable ${name} is ${size} bytes as JSON, over the limit of ${limit} bytes for one variable (VARIABLE_MAX_BYTES); store less or a reference`,
  };
}

export function totalTooLarge(name: string, size: number, limit: number): VariableProblem {
  return {
    variable: name,
    problem: 'TOTAL_TOO_LARGE',
    size,
    limit,
    message:
      `设置变量 ${name} 后流程实例的变量共 ${size} 字节，超过实例上限 ${limit} 字节（VARIABLES_TOTAL_MAX_BYTES） / ` +
      `with variable ${name} the instance's variables would take ${size} bytes, over the limit of ${limit} bytes per instance (VARIABLES_TOTAL_MAX_BYTES)`,
  };
}

/** Problems of one variable: text, nesting, then size. */
export function variableProblem(name: string, value: unknown, limits: VariableLimits): VariableProblem | undefined {
  const content = contentProblem(name, value);
  if (content) return content;
  const size = jsonBytes(value);
  return size > limits.maxVariableBytes ? variableTooLarge(name, size, limits.maxVariableBytes) : undefined;
}

/**
 * The first problem of a set of variables: each variable, then their total (plus `baseBytes`, what
 * the instance holds already, where known).
 */
export function variablesProblem(variables: Record<string, unknown>, limits: VariableLimits, baseBytes = 0): VariableProblem | undefined {
  let total = baseBytes;
  for (const [name, value] of Object.entries(variables)) {
    const problem = variableProblem(name, value, limits);
    if (problem) return problem;
    total += variableBytes(name, value);
    if (total > limits.maxTotalBytes) return totalTooLarge(name, total, limits.maxTotalBytes);
  }
  return undefined;
}

/**
 * Throws VariablesRejected when a text field of a request (a message name, a correlation key, an
 * error message …) holds a character PostgreSQL cannot store; `field` names it in the answer.
 */
export function assertText(fields: Record<string, string | undefined>): void {
  for (const [field, value] of Object.entries(fields)) {
    const bad = value === undefined ? undefined : unstorableChar(value);
    if (!bad) continue;
    const message =
      bad.kind === 'NUL_CHARACTER'
        ? `字段 ${field} 第 ${bad.index + 1} 个字符是 NUL（U+0000），无法保存 / field ${field} contains a NUL character (U+0000) at character ${bad.index + 1}, which cannot be stored`
        : `字段 ${field} 第 ${bad.index + 1} 个字符是孤立的 UTF-16 代理项 / field ${field} contains a lone UTF-16 surrogate at character ${bad.index + 1}, which is not valid Unicode`;
    throw new VariablesRejected({ variable: field, problem: bad.kind, message });
  }
}

/** Throws VariablesRejected for the first problem of `variables` (undefined: none given). */
export function assertVariables(variables: Record<string, unknown> | undefined, limits: VariableLimits = DEFAULT_VARIABLE_LIMITS): void {
  if (!variables) return;
  const problem = variablesProblem(variables, limits);
  if (problem) throw new VariablesRejected(problem);
}
