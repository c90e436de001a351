/**
 * FEEL's regular-expression builtins (`matches`, `replace`, `split`) on RE2 (re2js): linear time,
 * so a pattern or input chosen to backtrack cannot hold a workflow task. They stand in for feelin's
 * builtins of the same names (which use JavaScript's backtracking RegExp) and keep their results:
 * `matches` finds the pattern anywhere, `replace` replaces every match with JavaScript's `$1`/`$&`
 * (and FEEL's `$0`) references, `split` cuts at every match. A pattern RE2 cannot run
 * (backreferences, lookaround) fails the expression with that reason. A variable of the same name
 * still wins over these, as over any builtin.
 */
import { RE2JS } from 're2js';
import { toRe2Syntax } from '../../bpmn/form-pattern.js';

function compile(fnName: string, pattern: unknown, flags: unknown): RE2JS {
  if (typeof pattern !== 'string') throw new Error(`${fnName}: the pattern must be a string`);
  let bits = 0;
  for (const f of typeof flags === 'string' ? flags : '') {
    if (f === 'i') bits |= RE2JS.CASE_INSENSITIVE;
    else if (f === 's') bits |= RE2JS.DOTALL;
    else if (f === 'm') bits |= RE2JS.MULTILINE;
    else throw new Error(`${fnName}: flag '${f}' is not supported (use i, s or m)`);
  }
  try {
    return RE2JS.compile(toRe2Syntax(pattern), bits);
  } catch (err) {
    throw new Error(`${fnName}: the pattern ${JSON.stringify(pattern)} cannot run in linear time (${(err as Error).message})`, { cause: err });
  }
}

function matches(input: unknown, pattern: unknown, flags?: unknown): boolean | null {
  if (typeof input !== 'string') return null;
  return compile('matches', pattern, flags).matcher(input).find();
}

function replace(input: unknown, pattern: unknown, replacement: unknown, flags?: unknown): string | null {
  if (typeof input !== 'string' || typeof replacement !== 'string') return null;
  return compile('replace', pattern, flags).matcher(input).replaceAll(replacement.replace(/\$0/g, '$$&'));
}

function split(input: unknown, delimiter: unknown): string[] | null {
  if (typeof input !== 'string') return null;
  const m = compile('split', delimiter, '').matcher(input);
  const out: string[] = [];
  let last = 0;
  let from = 0;
  while (from <= input.length && m.find(from)) {
    const start = m.start();
    const end = m.end();
    if (end === start) {
      // An empty match cuts between characters, never before the first or after the last.
      if (start >= input.length) break;
      if (start > last) {
        out.push(input.slice(last, start));
        last = start;
      }
      from = start + 1;
      continue;
    }
    out.push(input.slice(last, start));
    last = end;
    from = end;
  }
  out.push(input.slice(last));
  return out;
}

(matches as { $args?: string[] }).$args = ['input', 'pattern', 'flags'];
(replace as { $args?: string[] }).$args = ['input', 'pattern', 'replacement', 'flags'];
(split as { $args?: string[] }).$args = ['string', 'delimiter'];

/** Context entries placed below the instance's variables. */
export const REGEX_BUILTINS: Record<string, unknown> = { matches, replace, split };
