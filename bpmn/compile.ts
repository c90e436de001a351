/**
 * compileBpmn: BPMN 2.0 XML (Camunda 8 / Zeebe flavour) → executable ProcessModels.
 *
 * Steps: XML safety checks → moddle parse (warnings become problems) → unknown attributes and
 * extension elements (at every level) →
 * definitions-level checks → one ProcessModel per executable process. All problems found are
 * reported together in one BpmnCompileError.
 */
import type { CompilerExtension } from './extension.js';
import { many, type El } from './moddle.js';
import { parseDefinitions } from './moddle.js';
import type { ProcessModel } from './model.js';
import { DEFAULT_MAX_MODEL_BYTES, modelSizeProblem } from './model-size.js';
import { DOCUMENT, Problems } from './problems.js';

export { isBpmnCompileError } from './problems.js';
import { transformProcess } from './transform/process.js';
import { validateAttributes } from './validate/attributes.js';
import { validateExtensionElements } from './validate/extension-elements.js';
import { assertSafeXml, type XmlSafetyLimits } from './xml-safety.js';
import { msg } from './messages.js';

export interface CompiledResource {
  processes: ProcessModel[];
}

export interface CompileOptions extends XmlSafetyLimits {
  /** Our own moddle extensions (e.g. SLA), see extension.ts. */
  extensions?: readonly CompilerExtension[];
  /** Largest compiled model (bytes of JSON) of one process; default 1 MiB (model-size.ts). */
  maxModelBytes?: number;
  /** Shortest interval (ms) of a timer cycle that repeats many times or forever; default 1 minute (timer-policy.ts). */
  minTimerCycleMs?: number;
}

/**
 * Root elements that are referenced by flow elements or are documentation. Collaborations (pools,
 * message flows, conversations) are informational, as in Camunda 8: message flows do not route
 * messages at run time (correlation does), so they are accepted and not compiled.
 */
const ACCEPTED_ROOTS = new Set([
  'bpmn:Collaboration',
  'bpmn:Message',
  'bpmn:Error',
  'bpmn:Escalation',
  'bpmn:Signal',
  'bpmn:DataStore',
  'bpmn:ItemDefinition',
  'bpmn:Category',
]);

export async function compileBpmn(xml: string, options: CompileOptions = {}): Promise<CompiledResource> {
  assertSafeXml(xml, options);
  const problems = new Problems();
  const extensions = options.extensions ?? [];
  const packages = Object.fromEntries(extensions.map((x) => [x.prefix, x.descriptor]));
  const definitions = await parseDefinitions(xml, problems, packages);
  if (!definitions) {
    if (problems.size === 0) problems.add(DOCUMENT, 'document', msg('bpmn.document.noDefinitions'));
    problems.throwIfAny();
    throw new Error('unreachable');
  }
  validateAttributes(definitions, problems);
  validateExtensionElements(definitions, problems);

  const roots = many(definitions, 'rootElements');
  for (const root of roots) {
    if (root.$type !== 'bpmn:Process' && !ACCEPTED_ROOTS.has(root.$type)) {
      problems.add(root.id ?? DOCUMENT, root.$type, msg('bpmn.document.rootUnsupported', { type: root.$type }));
    }
  }
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p['isExecutable'] === true);
  reportNonExecutable(processes, executable, problems);

  const models: ProcessModel[] = [];
  for (const processEl of executable) {
    const model = transformProcess(processEl, problems, extensions, options.minTimerCycleMs);
    if (!model) continue;
    const tooLarge = modelSizeProblem(model, options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES);
    if (tooLarge) problems.add(tooLarge.elementId, tooLarge.elementType, tooLarge);
    else models.push(model);
  }
  problems.throwIfAny();
  return { processes: models };
}

/**
 * Like Zeebe, a file must contain at least one executable process. Non-executable processes next to
 * executable ones (e.g. a "customer" pool drawn for documentation) are not compiled.
 */
function reportNonExecutable(processes: El[], executable: El[], problems: Problems): void {
  if (processes.length === 0) {
    problems.add(DOCUMENT, 'bpmn:Definitions', msg('bpmn.document.noProcess'));
    return;
  }
  if (executable.length > 0) return;
  for (const p of processes) {
    problems.add(
      p.id ?? DOCUMENT,
      'bpmn:Process',
      msg('bpmn.process.notExecutable'),
    );
  }
}
