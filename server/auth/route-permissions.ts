/**
 * The one place where every route's permission is declared: "METHOD /path" → permission (see
 * server/auth/roles.ts for which roles hold each). A route missing here stops the server at start-up,
 * so nothing is reachable by accident. HEAD follows GET.
 */
import type { Permission } from './roles.js';

export const ROUTE_PERMISSIONS: Record<string, Permission> = {
  // platform
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/openapi.json': 'public',
  'GET /': 'public',
  'GET /*': 'public',

  // sign-in and the current user
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/sign-out': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'POST /api/auth/tokens': 'authenticated',
  // own tokens; administrators anyone's (checked in server/routes/tokens.ts)
  'GET /api/auth/tokens': 'authenticated',
  'DELETE /api/auth/tokens/:tokenId': 'authenticated',
  'POST /api/auth/password': 'authenticated',
  'GET /v2/authentication/me': 'authenticated',
  // row-level: the caller's own preferences only (server/routes/preferences.ts)
  'GET /api/me/preferences': 'authenticated',
  'PUT /api/me/preferences/:key': 'authenticated',
  'DELETE /api/me/preferences/:key': 'authenticated',

  // administration
  'GET /api/users': 'users.read',
  'POST /api/users': 'users.manage',
  'PATCH /api/users/:userId': 'users.manage',
  'GET /api/departments': 'departments.read',
  'POST /api/departments': 'departments.manage',
  // administration pages (brief W3): rename a department, its hub flag
  'PATCH /api/departments/:departmentId': 'departments.manage',
  'GET /api/audit': 'audit.read',
  'GET /api/admin/reconciliation': 'reconciliation.read',

  // SLA module: calendars and policies
  'GET /api/calendars': 'sla.read',
  'GET /api/calendars/:calendarId/years/:year': 'sla.read',
  'PUT /api/calendars/:calendarId/years/:year': 'sla.manage',
  'GET /api/sla/policy-sets': 'sla.read',
  'PUT /api/sla/policy-sets/:setKey/default': 'sla.manage',
  'GET /api/sla/policies': 'sla.read',
  'GET /api/sla/policies/:setKey/:policyKey/versions': 'sla.read',
  'PUT /api/sla/policies/:setKey/:policyKey': 'sla.manage',
  'GET /api/sla/clocks': 'sla.clocks.read',
  'GET /api/sla/events': 'sla.clocks.read',

  // the marketing hub: queue and actions; notifications (each user their own)
  'GET /api/hub/queue': 'hub.read',
  'POST /api/hub/tasks/:userTaskKey/urge': 'hub.act',
  'POST /api/hub/tasks/:userTaskKey/reassign': 'hub.act',
  'POST /api/hub/tasks/:userTaskKey/supervise': 'hub.act',
  'POST /api/hub/tasks/:userTaskKey/escalate': 'hub.act',
  'POST /api/hub/items/:itemId/resolve': 'hub.act',
  // row-level: whoever can see the task (404 otherwise)
  'GET /api/user-tasks/:userTaskKey/hub-actions': 'tasks.read',

  // the SLA board (server/routes/board.ts); row-level: department heads their own departments
  'GET /api/sla/board': 'sla.board.read',
  'GET /api/sla/heatmap': 'sla.board.read',
  'GET /api/sla/trends': 'sla.board.read',
  'GET /api/sla/board/clocks': 'sla.board.read',
  'GET /api/notifications': 'authenticated',
  'POST /api/notifications/:notificationId/read': 'authenticated',

  // outages (停电事件) of the company's processes
  'POST /api/outages': 'outages.manage',
  'GET /api/outages': 'outages.read',
  'GET /api/outages/:outageId': 'outages.read',
  'POST /api/outages/:outageId/link': 'outages.manage',
  'POST /api/outages/:outageId/close': 'outages.manage',
  // company settings (company/settings.ts), read by the processes at run time: like the SLA policies
  'GET /api/company/settings': 'sla.read',
  'PUT /api/company/settings/:settingKey': 'sla.manage',

  // supervision and assessment (监督考核)
  'GET /api/assessment/indicators': 'assessment.read',
  'GET /api/assessment/scorecards': 'assessment.read',
  'POST /api/assessment/scorecards/recompute': 'assessment.manage',
  'GET /api/assessment/ranking': 'assessment.read',
  'GET /api/assessment/trends': 'assessment.read',
  'GET /api/assessment/summaries': 'assessment.read',
  // row-level: department heads see their departments' rows only
  'GET /api/assessment/drilldown': 'assessment.read',
  'GET /api/assessment/export': 'assessment.read',
  'GET /api/assessment/rules': 'assessment.read',
  'PUT /api/assessment/rules': 'assessment.manage',
  // row-level: staff and department heads list and file for their departments only
  'GET /api/assessment/exemptions': 'exemption.read',
  'POST /api/assessment/exemptions': 'exemption.file',
  'POST /api/assessment/exemptions/:exemptionId/decide': 'exemption.decide',

  // customer evaluations (回访评价): the customer's one-time link needs no account (the token is the
  // credential, rate-limited); staff record phone evaluations (95598 and hub departments, checked in
  // server/routes/evaluations.ts) and read them (row-level: staff and department heads elsewhere see
  // their departments' cases); the gap view
  'GET /e/:token': 'public',
  'POST /e/:token': 'public',
  'POST /api/evaluations': 'evaluations.record',
  'GET /api/evaluations': 'evaluations.read',
  'GET /api/assessment/gaps': 'assessment.read',
  'GET /api/assessment/gaps/cases': 'assessment.read',
  // the modeler (server/routes/drafts.ts): drafts row-level — a designer's own, administrators all (404 otherwise)
  'GET /api/drafts': 'drafts.use',
  'POST /api/drafts': 'drafts.use',
  'GET /api/drafts/:draftId': 'drafts.use',
  'PUT /api/drafts/:draftId': 'drafts.use',
  'DELETE /api/drafts/:draftId': 'drafts.use',
  // names and departments of active users only, for assignment pickers
  'GET /api/directory': 'directory.read',

  // Camunda 8 REST API (v2)
  'POST /v2/deployments': 'definitions.deploy',
  'POST /v2/process-definitions/search': 'definitions.read',
  'GET /v2/process-definitions/:processDefinitionKey': 'definitions.read',
  'GET /v2/process-definitions/:processDefinitionKey/xml': 'definitions.read',
  // the start form is what a person fills in to start the process: as for starting
  'GET /v2/process-definitions/:processDefinitionKey/form': 'instances.start',
  'POST /v2/process-instances': 'instances.start',
  'POST /v2/process-instances/search': 'instances.read',
  'GET /v2/process-instances/:processInstanceKey': 'instances.read',
  'POST /v2/process-instances/:processInstanceKey/cancellation': 'instances.cancel',
  'POST /v2/element-instances/search': 'instances.read',
  'GET /v2/element-instances/:elementInstanceKey': 'instances.read',
  'PUT /v2/element-instances/:elementInstanceKey/variables': 'variables.write',
  'POST /v2/user-tasks/search': 'tasks.read',
  'GET /v2/user-tasks/:userTaskKey': 'tasks.read',
  'GET /v2/user-tasks/:userTaskKey/form': 'tasks.read',
  // row-level: the variables the task sees, for whoever can see the task (404 otherwise)
  'POST /v2/user-tasks/:userTaskKey/variables/search': 'tasks.read',
  'POST /v2/user-tasks/:userTaskKey/completion': 'tasks.complete',
  'POST /v2/user-tasks/:userTaskKey/assignment': 'tasks.assign',
  'DELETE /v2/user-tasks/:userTaskKey/assignee': 'tasks.assign',
  'POST /v2/incidents/search': 'incidents.read',
  'GET /v2/incidents/:incidentKey': 'incidents.read',
  'POST /v2/incidents/:incidentKey/resolution': 'incidents.resolve',
  'POST /v2/variables/search': 'instances.read',
  'POST /v2/messages/publication': 'messages.publish',
  'POST /v2/messages/correlation': 'messages.publish',
  'POST /v2/signals/broadcast': 'signals.broadcast',
  'POST /v2/jobs/activation': 'jobs.work',
  'POST /v2/jobs/:jobKey/completion': 'jobs.work',
  'POST /v2/jobs/:jobKey/failure': 'jobs.work',
  'POST /v2/jobs/:jobKey/error': 'jobs.work',

  // instance monitor (web #/instances/<key>): the instance's clocks, open and ended; row-level as GET /api/sla/clocks (clockScope)
  'GET /api/process-instances/:processInstanceKey/sla-clocks': 'sla.clocks.read',
  // the staff task list (server/routes/task-desk.ts). Row-level: the caller's task scope; the two
  // task routes answer 404 for a task the caller cannot see
  'GET /api/tasks/inbox': 'tasks.read',
  'GET /api/user-tasks/:userTaskKey/sla': 'tasks.read',
  'GET /api/user-tasks/:userTaskKey/history': 'tasks.read',
};

/** Routes that plugins register under these prefixes (the interactive API docs) are public. */
export const PUBLIC_PREFIXES = ['/api/docs'];

export function permissionOf(method: string, url: string): Permission | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const declared = ROUTE_PERMISSIONS[`${m} ${url}`];
  if (declared) return declared;
  if (PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return 'public';
  return undefined;
}
