/**
 * The rules of workflows/variables-limits.ts on their own: which text PostgreSQL cannot store,
 * how the offending value is named, how sizes are counted, and the configuration of the limits.
 */
import { describe, expect, it } from 'vitest';
import { isDataError } from '../../activities/projections.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import {
  DEFAULT_VARIABLE_LIMITS,
  jsonBytes,
  MAX_VARIABLE_DEPTH,
  storableValue,
  unstorableChar,
  variablesProblem,
  wellFormedText,
} from '../../workflows/variables-limits.js';

const LIMITS = { maxVariableBytes: 100, maxTotalBytes: 250 };

describe('text PostgreSQL cannot store', () => {
  it('finds NUL and lone surrogates, and accepts paired surrogates (emoji) and Chinese', () => {
    expect(unstorableChar('客户 😀 ok')).toBeUndefined();
    expect(unstorableChar('ab\u0000c')).toEqual({ index: 2, kind: 'NUL_CHARACTER' });
    expect(unstorableChar('x\ud800')).toEqual({ index: 1, kind: 'LONE_SURROGATE' });
    expect(unstorableChar('\udc00x')).toEqual({ index: 0, kind: 'LONE_SURROGATE' });
    expect(unstorableChar('\ud83d\ude00\ude00')).toEqual({ index: 2, kind: 'LONE_SURROGATE' });
  });

  it('names the nested value by its path, in keys and in string values', () => {
    const nested = variablesProblem({ ok: 1, customer: { name: '张\u0000三' } }, DEFAULT_VARIABLE_LIMITS);
    expect(nested).toMatchObject({ variable: 'customer.name', problem: 'NUL_CHARACTER' });
    expect(nested!.message).toContain('customer.name');
    expect(nested!.message).toContain('U+0000');

    expect(variablesProblem({ items: [{ a: 'ok' }, { a: 'x\ud800' }] }, DEFAULT_VARIABLE_LIMITS)).toMatchObject({
      variable: 'items[1].a',
      problem: 'LONE_SURROGATE',
    });
    expect(variablesProblem({ order: { 'a.b': { 'k\u0000': 1 } } }, DEFAULT_VARIABLE_LIMITS)).toMatchObject({
      variable: 'order["a.b"]["k\\u0000"]',
      problem: 'NUL_CHARACTER',
    });
    expect(variablesProblem({ 'bad\u0000name': 1 }, DEFAULT_VARIABLE_LIMITS)).toMatchObject({ problem: 'NUL_CHARACTER', variable: '"bad\\u0000name"' });
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(variablesProblem({ deep }, DEFAULT_VARIABLE_LIMITS)).toMatchObject({ problem: 'TOO_DEEP', limit: MAX_VARIABLE_DEPTH });
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_VARIABLE_DEPTH; i++) fine = { x: fine };
    expect(variablesProblem({ fine }, DEFAULT_VARIABLE_LIMITS)).toBeUndefined();
  });

  it('makes text valid UTF-8 for protobuf without touching NUL', () => {
    expect(wellFormedText('a\u0000b\ud800c😀')).toBe('a\u0000b\uFFFDc😀');
  });

  it('replaces unstorable characters for the read model and leaves the rest alone', () => {
    expect(storableValue({ 'k\u0000': ['a\u0000b', 'c\ud800', '😀', 3, null] })).toEqual({ 'k\uFFFD': ['a\uFFFDb', 'c\uFFFD', '😀', 3, null] });
  });
});

describe('sizes', () => {
  it('counts UTF-8 bytes of the JSON', () => {
    expect(jsonBytes('ab')).toBe(4);
    expect(jsonBytes('电')).toBe(5);
    expect(jsonBytes('😀')).toBe(6);
    expect(jsonBytes({ a: [1, 2] })).toBe('{"a":[1,2]}'.length);
  });

  it('names the variable, its size and the limit, for one variable and for the total', () => {
    const big = 'x'.repeat(99); // 101 bytes as JSON
    expect(variablesProblem({ report: big }, LIMITS)).toMatchObject({ variable: 'report', problem: 'VARIABLE_TOO_LARGE', size: 101, limit: 100 });
    expect(variablesProblem({ report: 'x'.repeat(98) }, LIMITS)).toBeUndefined();
    const p = variablesProblem({ a: 'x'.repeat(90), b: 'x'.repeat(90), c: 'x'.repeat(90) }, LIMITS);
    expect(p).toMatchObject({ variable: 'c', problem: 'TOTAL_TOO_LARGE', size: 3 * 93, limit: 250 });
    expect(p!.message).toContain('279');
    expect(p!.message).toContain('VARIABLES_TOTAL_MAX_BYTES');
  });
});

describe('configuration', () => {
  it('defaults well below Temporal payload limits and reads the two variables', () => {
    expect(loadConfig({}).variableLimits).toEqual({ maxVariableBytes: 262144, maxTotalBytes: 1048576 });
    expect(loadConfig({ VARIABLE_MAX_BYTES: '4096', VARIABLES_TOTAL_MAX_BYTES: '65536' }).variableLimits).toEqual({
      maxVariableBytes: 4096,
      maxTotalBytes: 65536,
    });
  });

  it('refuses sizes Temporal could not carry, and a variable limit above the total', () => {
    expect(() => loadConfig({ VARIABLES_TOTAL_MAX_BYTES: '4000000' })).toThrow(/VARIABLES_TOTAL_MAX_BYTES="4000000" is not a size/);
    expect(() => loadConfig({ VARIABLE_MAX_BYTES: '1MB' })).toThrow(ConfigError);
    expect(() => loadConfig({ VARIABLE_MAX_BYTES: '65536', VARIABLES_TOTAL_MAX_BYTES: '4096' })).toThrow(/VARIABLE_MAX_BYTES=65536 is larger/);
  });
});

describe('projection failures', () => {
  it('treats PostgreSQL data exceptions as permanent and connection trouble as transient', () => {
    expect(isDataError(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).toBe(true);
    expect(isDataError(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toBe(true);
    expect(isDataError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isDataError(new Error('timeout'))).toBe(false);
  });
});
