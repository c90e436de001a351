/**
 * Stable codes of the refusals a person reads in the web app (conflicts, the hub's refusals …):
 * problem+json bodies carry `code` and `params` next to `detail` (which stays as it was), and the
 * web app renders the code in the user's language. Templates are [中文, English] with {params}.
 * Pure data (no node imports): imported by the server and the web app. Deploy problems have their
 * own catalogue, bpmn/messages.ts.
 */
import { fillTemplate, type Lang, type MessageParams, type PlaceholdersOf } from '../bpmn/message-template.js';

export const CONFLICT_MESSAGES = {
  // User tasks (services/user-tasks.ts, the workflow's refusal of a second completion)
  'task.notOpen': ['任务 {taskKey} 已结束（{state}），不能再办结。', 'User task {taskKey} is {state}; it can no longer be completed.'],
  'task.notOpenForAssign': ['任务 {taskKey} 已结束（{state}），不能再分派。', 'User task {taskKey} is {state}; only open tasks can be assigned.'],
  'task.assignedToOther': ['任务 {taskKey} 已由 {assignee} 认领，不能再认领。', 'User task {taskKey} is already assigned to {assignee}.'],
  'task.alreadyCompleted': ['任务 {taskKey} 已经办结过了，请刷新列表。', 'User task {taskKey} is already completed; refresh the list.'],
  'instance.ended': ['工单（流程实例 {processInstanceKey}）已结束，不能再修改。', 'Process instance {processInstanceKey} has ended; it can no longer be changed.'],
  'instance.idempotencyKeyUsed': [
    '幂等键 {key} 已用于另一个请求（流程实例 {processInstanceKey}）；新建实例请使用新的键。',
    'Idempotency key {key} was already used for a different request (process instance {processInstanceKey}); use a new key for a new instance.',
  ],
  'incident.resolved': ['故障 {incidentKey} 已经处理过了。', 'Incident {incidentKey} is already resolved.'],
  'variables.elementNotActive': [
    '元素实例 {elementInstanceKey} 已结束（{state}），只能在进行中的元素上修改变量。',
    'Element instance {elementInstanceKey} is {state}; variables can be set on active elements only.',
  ],
  // Model drafts (server/routes/drafts.ts)
  'draft.stale': [
    '草稿 {draftId} 已在别处保存（当前版本 {currentVersion}，您修改的是版本 {version}），请重新打开后再改。',
    'Draft {draftId} was saved elsewhere (now version {currentVersion}, you changed version {version}); open it again.',
  ],
  // The marketing hub (sla/hub.ts)
  'hub.taskClosed': ['任务 {taskKey} 已结束（{state}），营销部只能处理未结束的任务。', 'User task {taskKey} is {state}; the hub acts only on open tasks.'],
  'hub.noLeadership': [
    '没有“公司领导”部门（{department}）可升级；请管理员先创建该部门。',
    'There is no department {department} (company leadership) to escalate to; an administrator creates it first.',
  ],
  'hub.noDepartment': ['任务 {taskKey} 没有可升级的部门；请先改派。', 'User task {taskKey} has no department to escalate to; reassign it first.'],
  'hub.commentRequired': ['请填写说明（原因）。', 'Give a comment: the reason is required.'],
  'hub.commentTooLong': ['说明最多 {max} 个字。', 'The comment may have at most {max} characters.'],
  'hub.noSuchDepartment': ['部门 {department} 不存在。', 'There is no department {department}.'],
  'hub.limitEither': [
    '督办时限请填截止时间（dueAt）或时长（duration）中的一个（只填一个）。',
    'Give the supervision limit as either dueAt (ISO 8601 date-time) or duration (ISO 8601 duration), not both.',
  ],
  'hub.limitPast': ['督办时限必须在将来。', 'The supervision limit must lie in the future.'],
  'hub.limitTooFar': ['督办时限最多在 366 天之后。', 'The supervision limit may lie at most 366 days ahead.'],
  'hub.itemResolved': ['督办事项 {itemId} 已处理过了。', 'Hub item {itemId} is resolved already.'],
  // Exemptions and scorecards (assessment/)
  'exemption.noBreach': ['计时 {clockKey} 未超时，无需报备。', 'Clock {clockKey} has not breached: nothing to exempt.'],
  'exemption.exists': ['计时 {clockKey} 已有待审或已批准的报备。', 'Clock {clockKey} has a pending or approved exemption already.'],
  'exemption.decided': ['报备 {exemptionId} 已处理（{state}）。', 'Exemption {exemptionId} was decided already ({state}).'],
  'scorecard.monthOpen': ['{month} 尚未结束，只能临时计算。', '{month} is not over yet: its scorecards are provisional and not stored.'],
  'evaluation.customerOwn': [
    '客户已通过评价链接自行评价，电话回访记录不能覆盖（工单 {processInstanceKey}）。',
    `The customer evaluated case {processInstanceKey} through the link; a phone record does not replace the customer's own word.`,
  ],
  // Outages (company/outages.ts)
  'outage.closed': ['停电事件 {outageId} 已关闭；只能关联到未关闭的停电事件。', 'Outage {outageId} is closed; link reports to an open outage.'],
  'outage.instanceNotActive': ['工单 {processInstanceKey} 已结束（{state}），只能关联进行中的报修。', 'Process instance {processInstanceKey} is {state}; only active reports can be linked.'],
  'outage.linkedElsewhere': [
    '工单 {processInstanceKey} 已关联到未关闭的停电事件 {outageId}；一张报修只能对应一个停电事件。',
    'Process instance {processInstanceKey} is linked to the open outage {outageId} already; a report answers to one outage.',
  ],
  // Administration (server/routes/admin.ts, server/auth/users.ts)
  'admin.ownAccount': ['不能停用自己的账户。', 'You cannot deactivate your own account.'],
  'admin.ownRole': ['不能修改自己的角色。', 'You cannot change your own role.'],
  'admin.departmentExists': ['部门编号 {departmentId} 已存在。', 'Department {departmentId} already exists.'],
  'admin.userExists': ['用户名 {username} 已存在。', 'A user named {username} already exists.'],
} as const satisfies Record<string, readonly [string, string]>;

export type ConflictCode = keyof typeof CONFLICT_MESSAGES;

/**
 * The `code` and `params` members of a problem body, to spread into ServiceError's or HttpProblem's
 * extra members: `new ServiceError('INVALID_STATE', detail, coded('hub.itemResolved', { itemId }))`.
 */
export function coded<C extends ConflictCode>(
  code: C,
  params: Record<PlaceholdersOf<(typeof CONFLICT_MESSAGES)[C][1]>, string | number>,
): { code: C; params: MessageParams } {
  return { code, params };
}

/** A server message in a language; undefined for a code not in the catalogue. */
export function renderServerMessage(code: string, params: MessageParams, lang: Lang): string | undefined {
  const entry = (CONFLICT_MESSAGES as Record<string, readonly [string, string]>)[code];
  return entry ? fillTemplate(CONFLICT_MESSAGES, entry[lang === 'en' ? 1 : 0], params, lang) : undefined;
}
