/**
 * FEEL helpers for the compiler: syntax checking with feelin's parser and the conversion of
 * static attribute values into FEEL literals.
 *
 * Camunda convention: an attribute value starting with '=' is a FEEL expression; anything else is a
 * static value. The model only stores FEEL (without the '='), so static values become literals.
 */
import { evaluate, parseExpression } from 'feelin';

/** Parse `source` as a FEEL expression; returns a readable syntax error or undefined when it parses. */
export function feelSyntaxError(source: string): string | undefined {
  if (source.trim() === '') return 'the expression is empty';
  const tree = parseExpression(source, {}, undefined);
  let errorAt = -1;
  tree.iterate({
    enter(node) {
      if (errorAt >= 0) return false;
      if (node.type.isError) {
        errorAt = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (errorAt < 0) return undefined;
  return `${describeError(source)} at character ${errorAt + 1}`;
}

/**
 * feelin's interpreter builds its execution tree before evaluating and throws a SyntaxError at the
 * first error node, so with a tree known to contain an error node, evaluate() never runs the
 * expression; it only gives us feelin's wording (e.g. "Incomplete <ArithmeticExpression>").
 */
function describeError(source: string): string {
  try {
    evaluate(source, {});
  } catch (err) {
    if (err instanceof Error && err.message) return `FEEL syntax error: ${err.message}`;
  }
  return 'FEEL syntax error';
}

export type Attr =
  | { kind: 'absent' }
  | { kind: 'expression'; source: string }
  | { kind: 'static'; value: string };

/** Classify a raw attribute value: absent/blank, '=expression' or static text. */
export function classify(raw: string | undefined | null): Attr {
  if (raw === undefined || raw === null) return { kind: 'absent' };
  const value = raw.trim();
  if (value === '') return { kind: 'absent' };
  if (value.startsWith('=')) return { kind: 'expression', source: value.slice(1).trim() };
  return { kind: 'static', value };
}

/** A FEEL string literal for `value`; JSON string escapes are valid FEEL string escapes. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}

/** A FEEL list of string literals from a comma-separated static value ("a, b" → ["a","b"]). */
export function listLiteral(value: string): string {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return `[${items.map(stringLiteral).join(',')}]`;
}

/** A FEEL number literal from a static integer, or undefined when `value` is not an integer. */
export function integerLiteral(value: string): string | undefined {
  return /^[+-]?\d+$/.test(value) ? String(Number.parseInt(value, 10)) : undefined;
}
