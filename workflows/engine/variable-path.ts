/**
 * Nested mapping targets, as in Zeebe: `target="authentication.type"` sets key `type` of the
 * variable `authentication`, creating it (or any level of it) as an object where it is missing or
 * not an object, and keeping its other keys.
 */

export interface TargetPath {
  /** The variable the mapping writes. */
  name: string;
  /** Keys below it; empty for a plain variable name. */
  keys: string[];
}

export function targetPath(target: string): TargetPath {
  const [name, ...keys] = target.split('.');
  return { name: name!, keys };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `base` with `value` placed at `keys` (copied along the path, never modified in place). */
export function withValueAt(base: unknown, keys: readonly string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [key, ...rest] = keys;
  const obj: Record<string, unknown> = isObject(base) ? { ...base } : {};
  const inner = isObject(base) && Object.hasOwn(base, key!) ? base[key!] : undefined;
  // defineProperty: a key such as "__proto__" is stored as data, never as the object's prototype.
  Object.defineProperty(obj, key!, { value: withValueAt(inner, rest, value), enumerable: true, writable: true, configurable: true });
  return obj;
}
