/**
 * Patterns of form-js fields (`validate.pattern`), tested in linear time with re2js (RE2: no
 * backtracking, so a pattern such as `([a-zA-Z]+ ?)+` cannot stall the server or a workflow task,
 * whatever the input). Pure: used at deployment (bpmn/forms.ts refuses what RE2 cannot compile) and
 * by the completion check (workflows/engine/form-validation.ts, in the workflow and on the server).
 *
 * A value must match the whole pattern, as before (`^(?:pattern)$`). JavaScript's `\uXXXX` and
 * `\u{X…}` escapes, common in Chinese name patterns (`[\u4e00-\u9fa5]+`), are accepted and read as
 * RE2's `\x{…}`; backreferences and lookaround, which need backtracking, are refused.
 */
import { RE2JS } from 're2js';

/** Longest pattern a form may carry (characters). */
export const MAX_PATTERN_LENGTH = 1000;

export type CompiledPattern = { matches(input: string): boolean };

const HEX = /^[0-9a-fA-F]$/;

/** JavaScript's \uXXXX and \u{…} escapes as RE2's \x{…}; everything else unchanged (one linear pass). */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '\\' || i + 1 >= pattern.length) {
      out += c;
      continue;
    }
    const next = pattern[i + 1]!;
    if (next === 'u') {
      const four = pattern.slice(i + 2, i + 6);
      if (four.length === 4 && [...four].every((h) => HEX.test(h))) {
        out += `\\x{${four}}`;
        i += 5;
        continue;
      }
      if (pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 3);
        const hex = end > 0 ? pattern.slice(i + 3, end) : '';
        if (hex.length > 0 && hex.length <= 6 && [...hex].every((h) => HEX.test(h))) {
          out += `\\x{${hex}}`;
          i = end;
          continue;
        }
      }
    }
    out += c + next;
    i += 1;
  }
  return out;
}

/** Compiles a form pattern; throws an Error saying why when RE2 cannot run it. */
export function compileFormPattern(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new Error(`the pattern has ${pattern.length} characters; at most ${MAX_PATTERN_LENGTH} are allowed`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(`(?:${toRe2Syntax(pattern)})`);
  } catch (err) {
    throw new Error(
      `the pattern cannot be checked in linear time (${(err as Error).message}); backreferences and lookaround are not supported`,
      { cause: err },
    );
  }
  return { matches: (input) => re.matches(input) };
}

const cache = new Map<string, CompiledPattern | null>();
const CACHE_SIZE = 500;

/** A compiled pattern, cached; null when it cannot be compiled (a form deployed before patterns were checked). */
export function formPattern(pattern: string): CompiledPattern | null {
  let hit = cache.get(pattern);
  if (hit === undefined) {
    try {
      hit = compileFormPattern(pattern);
    } catch {
      hit = null;
    }
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, hit);
  }
  return hit;
}
