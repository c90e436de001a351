/**
 * Sequence flows: resolve source and target, keep them inside one (sub)process, parse conditions,
 * and fill the nodes' incoming/outgoing lists in document order.
 */
import { classify } from '../feel.js';
import { one, str, type El } from '../moddle.js';
import type { SequenceFlow } from '../model.js';
import type { ProcessBuilder } from './context.js';

export function transformFlows(ctx: ProcessBuilder): void {
  for (const { el, scope } of ctx.pendingFlows) {
    const id = el.id!;
    // moddle already reported dangling references for this flow: do not report them twice.
    const alreadyReported = ctx.problems.list.some((p) => p.elementId === id);
    const source = endpoint(ctx, el, 'sourceRef', alreadyReported);
    const target = endpoint(ctx, el, 'targetRef', alreadyReported);
    const condition = readCondition(el, ctx);
    if (!source || !target) {
      if (target) ctx.brokenFlowTargets.add(target);
      continue;
    }
    const where = (nodeId: string) => {
      const c = ctx.containerOf.get(nodeId);
      return c === null || c === undefined ? 'the process' : `subprocess "${c}"`;
    };
    if (ctx.containerOf.get(source) !== scope.id || ctx.containerOf.get(target) !== scope.id) {
      ctx.report(
        el,
        `The sequence flow connects "${source}" (in ${where(source)}) to "${target}" (in ${where(target)}) and is ` +
          `drawn in ${scope.id === null ? 'the process' : `subprocess "${scope.id}"`}; a sequence flow cannot cross a ` +
          `subprocess boundary. Connect to the subprocess itself, or use its start and end events.`,
      );
      ctx.brokenFlowTargets.add(target);
      continue;
    }
    const name = str(el, 'name')?.trim();
    const flow: SequenceFlow = {
      id,
      ...(name ? { name } : {}),
      sourceRef: source,
      targetRef: target,
      ...(condition !== undefined ? { condition } : {}),
    };
    ctx.flows[id] = flow;
    ctx.nodes[source]!.outgoing.push(id);
    ctx.nodes[target]!.incoming.push(id);
  }
}

function endpoint(ctx: ProcessBuilder, el: El, prop: 'sourceRef' | 'targetRef', alreadyReported: boolean): string | undefined {
  const ref = one(el, prop);
  const what = prop === 'sourceRef' ? 'source' : 'target';
  if (!ref?.id) {
    if (!alreadyReported) ctx.report(el, `The sequence flow has no ${what} (${prop}); connect both ends.`);
    return undefined;
  }
  if (ctx.nodes[ref.id]) return ref.id;
  if (!ctx.sourceTypes.has(ref.id)) {
    ctx.report(el, `The sequence flow's ${what} "${ref.id}" (${ref.$type}) is not a flow node of this process.`);
  } else if (!ctx.refused.has(ref.id)) {
    ctx.report(el, `The sequence flow's ${what} "${ref.id}" is a ${ref.$type}, which cannot be connected by sequence flows.`);
  }
  return undefined;
}

function readCondition(el: El, ctx: ProcessBuilder): string | undefined {
  const expr = one(el, 'conditionExpression');
  if (!expr) return undefined;
  const raw = str(expr, 'body');
  const attr = classify(raw);
  if (attr.kind === 'absent') return undefined;
  if (attr.kind === 'static') {
    ctx.report(el, `The condition "${attr.value}" must be a FEEL expression starting with "=", for example "=amount > 100".`);
    return undefined;
  }
  return ctx.feel(el, 'The condition', raw, 'forbidden');
}
