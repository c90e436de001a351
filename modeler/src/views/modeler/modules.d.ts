// Libraries of the modeler that ship no type declarations; typed as far as this code uses them.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: unknown;
  export const BpmnPropertiesProviderModule: unknown;
  export const ZeebePropertiesProviderModule: unknown;
  export function useService<T = unknown>(name: string): T;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const module: unknown;
  export default module;
}
declare module '@bpmn-io/properties-panel' {
  export const SelectEntry: unknown;
  export const TextFieldEntry: unknown;
  export const ListGroup: unknown;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isTextFieldEntryEdited(node: unknown): boolean;
}
declare module '@bpmn-io/properties-panel/preact' {
  export function h(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]): unknown;
}
declare module 'bpmn-js-bpmnlint' {
  const module: unknown;
  export default module;
}
declare module 'bpmnlint-plugin-camunda-compat' {
  const plugin: { configs: Record<string, unknown>; rules: Record<string, string> };
  export default plugin;
}
declare module 'bpmnlint/rules/start-event-required' {
  const rule: () => unknown;
  export default rule;
}
declare module '*/form-editor.umd.js' {
  const x: unknown;
  export default x;
}
