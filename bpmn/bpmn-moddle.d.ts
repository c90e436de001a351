/** bpmn-moddle ships types only under 'bpmn-moddle/types'; this declares the runtime entry we use. */
declare module 'bpmn-moddle' {
  export interface ParseWarning {
    message: string;
    element?: unknown;
    property?: string;
    value?: unknown;
    error?: unknown;
  }
  export interface ParseResult {
    rootElement: unknown;
    warnings: ParseWarning[];
  }
  export interface Moddle {
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
  export function BpmnModdle(packages?: Record<string, unknown>, options?: Record<string, unknown>): Moddle;
}
