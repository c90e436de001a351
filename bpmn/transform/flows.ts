/**
 * Sequence flows: resolve source and target, keep them inside one (sub)process, parse conditions,
 * and fill the nodes' incoming/outgoing lists in document order.
 */
import { classify } from '../feel.js';
import { one, str, type El } from '../moddle.js';
import type { SequenceFlow } from '../model.js';
import type { ProcessBuilder } from './context.js';
import { msg } from '../messages.js';

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
      return c === null || c === undefined ? 'label.theProcess' : `label.subprocess:${c}`;
    };
    if (ctx.containerOf.get(source) !== scope.id || ctx.containerOf.get(target) !== scope.id) {
      ctx.report(
        el,
        msg('bpmn.flow.crossesBoundary', {
          sourceId: source,
          sourceWhereLabel: where(source),
          targetId: target,
          targetWhereLabel: where(target),
          flowWhereLabel: scope.id === null ? 'label.theProcess' : `label.subprocess:${scope.id}`,
        }),
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
    if (!alreadyReported) ctx.report(el, msg(what === 'source' ? 'bpmn.flow.noSource' : 'bpmn.flow.noTarget'));
    return undefined;
  }
  if (ctx.nodes[ref.id]) return ref.id;
  if (!ctx.sourceTypes.has(ref.id)) {
    ctx.report(el, msg(what === 'source' ? 'bpmn.flow.sourceNotInProcess' : 'bpmn.flow.targetNotInProcess', { refId: ref.id ?? '?', refType: ref.$type }));
  } else if (!ctx.refused.has(ref.id)) {
    ctx.report(el, msg(what === 'source' ? 'bpmn.flow.sourceNotConnectable' : 'bpmn.flow.targetNotConnectable', { refId: ref.id ?? '?', refType: ref.$type }));
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
    ctx.report(el, msg('bpmn.flow.conditionNotFeel', { value: attr.value }));
    return undefined;
  }
  return ctx.feel(el, 'label.condition', raw, 'forbidden');
}
