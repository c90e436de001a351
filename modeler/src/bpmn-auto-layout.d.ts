// bpmn-auto-layout ships no type declarations.
declare module 'bpmn-auto-layout' {
  /** Returns the XML with diagram interchange (shapes and edges) laid out for every process. */
  export function layoutProcess(xml: string): Promise<string>;
}
