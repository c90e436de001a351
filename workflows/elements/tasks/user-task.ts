/** User tasks: evaluated assignment and schedule are published to the task list; completion is an Update. */
import type { NodeOf } from '../../../bpmn/model.js';
import { evalNumber, evalOptionalString, evalStringList } from '../../engine/feel.js';
import type { ElementHandler } from '../handler.js';

export const userTask: ElementHandler<NodeOf<'userTask'>> = {
  activate(engine, inst, node) {
    const ctx = engine.context(engine.scopeOf(inst));
    let candidateGroups = evalStringList(node.candidateGroups, ctx, 'candidate groups');
    if (candidateGroups.length === 0 && !node.assignee) {
      const lane = engine.model.lanes.find((l) => l.flowNodeRefs.includes(node.id));
      if (lane?.candidateGroup) candidateGroups = [lane.candidateGroup];
    }
    const assignee = evalOptionalString(node.assignee, ctx, 'assignee');
    const dueDate = evalOptionalString(node.dueDate, ctx, 'due date');
    const followUpDate = evalOptionalString(node.followUpDate, ctx, 'follow-up date');
    const priority = node.priority ? evalNumber(node.priority, ctx, 'priority') : 50;
    engine.emit({
      type: 'USER_TASK_CREATED',
      key: inst.key,
      elementId: node.id,
      candidateGroups,
      candidateUsers: evalStringList(node.candidateUsers, ctx, 'candidate users'),
      priority,
      ...(node.name ? { name: node.name } : {}),
      ...(assignee ? { assignee } : {}),
      ...(dueDate ? { dueDate } : {}),
      ...(followUpDate ? { followUpDate } : {}),
      ...(node.form ? { formKey: node.form.formKey } : node.formKey ? { formKey: node.formKey } : {}),
      ...(node.formId ? { formId: node.formId } : {}),
    });
    inst.waits.push({ kind: 'userTask' });
  },
  terminate(engine, inst) {
    if (inst.waits.some((w) => w.kind === 'userTask')) {
      engine.emit({ type: 'USER_TASK_ENDED', key: inst.key, state: 'CANCELED' });
    }
  },
};
