/**
 * Filling the [中文, English] templates of the message catalogues (bpmn/messages.ts for deploy
 * problems, services/problem-codes.ts for conflicts and refusals). Some placeholders name another
 * catalogue entry instead of a value: {label} and any {…Label} (what attribute or element, e.g.
 * 'label.assignee') and {reason} (why a value is refused, e.g. 'reason.duration'). They are rendered
 * in the same language with the same params; a reference written 'label.subprocess:Sub_1' also
 * fills the entry's {arg} with 'Sub_1'. Pure (no node imports): used by the server and the web app.
 */

export type Lang = 'zh-CN' | 'en';
export type MessageParams = Record<string, string | number>;

/** A message as data: the code, its params, and its English rendering. */
export interface CodedMessage {
  code: string;
  params: MessageParams;
  message: string;
}

/** Placeholders whose value is another catalogue key, rendered in place. */
export function isReferenceParam(name: string): boolean {
  return name === 'label' || name === 'reason' || name.endsWith('Label');
}

/** The {placeholders} of a template, as a union of names. */
export type PlaceholdersOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | PlaceholdersOf<Rest> : never;

/** Fill `{name}` placeholders; {label}/{reason} render the named entry of `catalogue` the same way. */
export function fillTemplate(
  catalogue: Readonly<Record<string, readonly [string, string]>>,
  template: string,
  params: MessageParams,
  lang: Lang,
  depth = 0,
): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => {
    if (!(k in params)) return m;
    const value = String(params[k]);
    if (isReferenceParam(k) && depth < 3) {
      const colon = value.indexOf(':');
      const key = colon < 0 ? value : value.slice(0, colon);
      const entry = catalogue[key];
      const inner = colon < 0 ? params : { ...params, arg: value.slice(colon + 1) };
      if (entry) return fillTemplate(catalogue, entry[lang === 'en' ? 1 : 0], inner, lang, depth + 1);
    }
    return value;
  });
}
