/** User tasks: evaluated assignment and schedule are published to the task list; completion is an Update. */
import type { NodeOf } from '../../../bpmn/model.js';
import { evalNumber, evalOptionalString, evalStringList, ExpressionError } from '../../engine/feel.js';
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
    // As in Camunda 8: an integer 0-100 (anything else could never be stored in the task list).
    if (!Number.isInteger(priority) || priority < 0 || priority > 100) {
      throw new ExpressionError(node.priority ?? '', `expected priority '${node.priority}' of ${node.id} to be an integer from 0 to 100, but it was ${priority}`);
    }
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
