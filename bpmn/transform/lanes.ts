/**
 * Lanes (including nested lanes from childLaneSet) → Lane[], and each node's laneId.
 *
 * A lane's name is its default candidate group (Lane.candidateGroup). A node referenced by nested
 * lanes belongs to the innermost one; nodes inside a subprocess that no lane references inherit the
 * lane of their subprocess.
 */
import { many, one, str, type El } from '../moddle.js';
import type { Lane } from '../model.js';
import type { ProcessBuilder } from './context.js';
import { msg } from '../messages.js';

export function transformLanes(ctx: ProcessBuilder): Lane[] {
  const lanes: Lane[] = [];
  const laneOf = new Map<string, { laneId: string; depth: number }>();

  const visit = (laneSet: El, depth: number): void => {
    for (const lane of many(laneSet, 'lanes')) {
      if (!lane.id) {
        ctx.report(lane, msg('bpmn.lane.noId'));
        continue;
      }
      const refs = many(lane, 'flowNodeRef')
        .map((n) => n.id)
        .filter((id): id is string => id !== undefined && ctx.nodes[id] !== undefined);
      const name = str(lane, 'name')?.trim();
      lanes.push({ id: lane.id, ...(name ? { name, candidateGroup: name } : {}), flowNodeRefs: refs });
      for (const id of refs) {
        const current = laneOf.get(id);
        if (!current || current.depth <= depth) laneOf.set(id, { laneId: lane.id, depth });
      }
      const child = one(lane, 'childLaneSet');
      if (child) visit(child, depth + 1);
    }
  };
  for (const laneSet of many(ctx.processEl, 'laneSets')) visit(laneSet, 0);

  const resolve = (id: string | null, seen: number): string | undefined => {
    if (id === null || seen > 1000) return undefined;
    return laneOf.get(id)?.laneId ?? resolve(ctx.nodes[id]?.parentId ?? null, seen + 1);
  };
  for (const node of Object.values(ctx.nodes)) {
    const laneId = resolve(node.id, 0);
    if (laneId) node.laneId = laneId;
  }
  return lanes;
}
