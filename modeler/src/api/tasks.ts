/** The task list's calls (server/routes/task-desk.ts and the Camunda /v2/user-tasks routes). */
import { api } from './client.js';
import type { UserTask } from './types.js';

export type InboxTab = 'all' | 'mine' | 'departments' | 'unassigned';
export type InboxSort = 'due' | 'priority' | 'created';

/** The filters of the task list, saved per user under the preference key `taskFilters`. */
export interface TaskFilters {
  tab: InboxTab;
  process?: string;
  businessKey?: string;
  customer?: string;
  /** ISO 8601 date-time. */
  dueBefore?: string;
  overdue?: boolean;
  minPriority?: number;
  sort: InboxSort;
}

export interface InboxTask {
  userTaskKey: string;
  name: string | null;
  elementId: string;
  elementInstanceKey: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  processName: string | null;
  processInstanceKey: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  creationDate: string;
  dueAt: string | null;
  priority: number;
  businessKey: string | null;
  customerName: string | null;
  accountNo: string | null;
  address: string | null;
  sla: { dueAt: string | null; breached: boolean; warnedLevel: number; timeBase: string; status: string; workingRemainingMs: number | null } | null;
}

export function inbox(f: TaskFilters): Promise<{ items: InboxTask[]; page: { totalItems: number; truncated: boolean } }> {
  const q = new URLSearchParams({ tab: f.tab, sort: f.sort, limit: '200' });
  if (f.process) q.set('process', f.process);
  if (f.businessKey) q.set('businessKey', f.businessKey);
  if (f.customer) q.set('customer', f.customer);
  if (f.dueBefore) q.set('dueBefore', f.dueBefore);
  if (f.overdue) q.set('overdue', 'true');
  if (f.minPriority !== undefined) q.set('minPriority', String(f.minPriority));
  return api.get(`/api/tasks/inbox?${q.toString()}`);
}

export interface TaskClock {
  clockKey: string;
  kind: 'element' | 'span';
  name: string | null;
  elementId: string;
  ofThisStep: boolean;
  status: 'running' | 'paused';
  breached: boolean;
  warnedLevel: number;
  timeBase: 'natural' | 'workingDays' | 'workingHours';
  durationMs: number;
  startedAt: string;
  dueAt: string | null;
  remainingMs: number | null;
  workingRemainingMs: number | null;
}

export function taskSla(userTaskKey: string): Promise<{ now: string; items: TaskClock[] }> {
  return api.get(`/api/user-tasks/${encodeURIComponent(userTaskKey)}/sla`);
}

export interface CaseHistory {
  steps: Array<{ elementInstanceKey: string; elementId: string; elementType: string; state: string; startDate: string; endDate: string | null }>;
  tasks: Array<{
    userTaskKey: string;
    elementId: string;
    elementInstanceKey: string;
    name: string | null;
    state: string;
    assignee: string | null;
    creationDate: string;
    completionDate: string | null;
    completedVariables: Record<string, unknown> | null;
  }>;
}

export function taskHistory(userTaskKey: string): Promise<CaseHistory> {
  return api.get(`/api/user-tasks/${encodeURIComponent(userTaskKey)}/history`);
}

export function getTask(userTaskKey: string): Promise<UserTask & { priority?: number; elementInstanceKey?: string; processDefinitionKey?: string }> {
  return api.get(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}`);
}

export function assignTask(userTaskKey: string, assignee: string): Promise<void> {
  return api.post(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}/assignment`, { assignee });
}

export function unassignTask(userTaskKey: string): Promise<void> {
  return api.delete(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}/assignee`);
}

export function processXml(processDefinitionKey: string): Promise<string> {
  return api.get(`/v2/process-definitions/${encodeURIComponent(processDefinitionKey)}/xml`);
}

export interface Member {
  username: string;
  displayName: string;
  departments: string[];
  active: boolean;
}

/** Active members of a department (department heads: only their own departments' people). */
export async function departmentMembers(departmentId: string): Promise<Member[]> {
  const users = await api.get<Member[]>(`/api/users?department=${encodeURIComponent(departmentId)}`);
  return users.filter((u) => u.active);
}

export function latestProcesses(): Promise<{ items: Array<{ processDefinitionId: string; name?: string }> }> {
  return api.post('/v2/process-definitions/search', { filter: { isLatestVersion: true }, sort: [{ field: 'processDefinitionId', order: 'ASC' }], page: { limit: 200 } });
}

/** Department id → its name in the user's language (candidate groups are department ids). */
let departmentNames: Promise<Map<string, { name: string; nameEn?: string }>> | undefined;
export function departments(): Promise<Map<string, { name: string; nameEn?: string }>> {
  departmentNames ??= api
    .get<Array<{ id: string; name: string; nameEn?: string }>>('/api/departments')
    .then((list) => new Map(list.map((d) => [d.id, d])))
    .catch(() => {
      departmentNames = undefined;
      return new Map();
    });
  return departmentNames;
}
