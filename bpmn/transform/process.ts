/**
 * One executable bpmn:process → ProcessModel: transform the elements, then run the whole-model
 * validators, then check the result against the zod contract.
 */
import { extensionValues, str, type El } from '../moddle.js';
import { ProcessModel, type Lane } from '../model.js';
import type { Problems } from '../problems.js';
import type { CompilerExtension } from '../extension.js';
import { validateEvents } from '../validate/events.js';
import { validateGateways } from '../validate/gateways.js';
import { validateReachability } from '../validate/reachability.js';
import { validateScopes } from '../validate/scopes.js';
import { transformScope } from './containers.js';
import { ProcessBuilder } from './context.js';
import { readExtensions } from './extensions.js';
import { transformFlows } from './flows.js';
import { transformLanes } from './lanes.js';
import { msg } from '../messages.js';

export function transformProcess(
  processEl: El,
  problems: Problems,
  extensions: readonly CompilerExtension[],
  minTimerCycleMs?: number,
): ProcessModel | undefined {
  const ctx = new ProcessBuilder(processEl, problems, extensions, minTimerCycleMs);
  const before = problems.size;
  const versionTagEl = readExtensions(processEl, ctx, ['zeebe:versionTag']).get('zeebe:versionTag');
  const versionTag = versionTagEl ? ctx.staticText(processEl, 'label.processVersionTag', str(versionTagEl, 'value')) : undefined;

  transformScope(ctx, { id: null, el: processEl, kind: 'process' });
  transformFlows(ctx);
  const lanes = transformLanes(ctx);
  const contributed = applyProcessExtensions(processEl, ctx, lanes);

  validateScopes(ctx);
  validateGateways(ctx);
  validateEvents(ctx);
  validateReachability(ctx);

  if (problems.size > before) return undefined;
  const name = str(processEl, 'name')?.trim();
  const candidate = {
    id: processEl.id,
    ...(name ? { name } : {}),
    ...(versionTag !== undefined ? { versionTag } : {}),
    nodes: ctx.nodes,
    flows: ctx.flows,
    lanes,
    ...contributed,
  };
  const parsed = ProcessModel.safeParse(candidate);
  if (!parsed.success) {
    // Not a diagram problem: the compiler produced something outside the contract. Say so plainly.
    problems.add(processEl.id ?? '', 'bpmn:Process', msg('bpmn.process.internalError', { error: parsed.error.message }));
    return undefined;
  }
  return parsed.data;
}

/** Process-level fields of our own moddle extensions (e.g. SLA spans over several steps). */
function applyProcessExtensions(processEl: El, ctx: ProcessBuilder, lanes: Lane[]): Partial<ProcessModel> {
  const out: Partial<ProcessModel> = {};
  const all = extensionValues(processEl);
  for (const x of ctx.extensions) {
    Object.assign(
      out,
      x.applyToProcess?.({
        element: processEl,
        nodes: ctx.nodes,
        lanes,
        extensions: all.filter((v) => v.$type.startsWith(`${x.prefix}:`)),
        report: (id, type, m) => ctx.problems.add(id, type, typeof m === 'string' ? msg('bpmn.extension.problem', { text: m }) : m),
      }) ?? {},
    );
  }
  return out;
}
