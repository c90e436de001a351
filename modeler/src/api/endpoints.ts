/** Typed calls of the routes the web app uses. */
import { parseVariables } from '../views/forms/values.js';
import { api, setCsrfToken } from './client.js';
import type {
  CreatedInstance,
  DeploymentResult,
  Me,
  Notice,
  ProcessDefinition,
  ProcessInstance,
  SearchResult,
  TaskForm,
  UserTask,
} from './types.js';

export async function signIn(username: string, password: string): Promise<Me> {
  const me = await api.post<Me>('/api/auth/sign-in', { username, password }, { quiet401: true });
  setCsrfToken(me.csrfToken);
  return me;
}

/** The signed-in user, or an ApiError with status 401. */
export async function currentUser(): Promise<Me> {
  const me = await api.get<Me>('/api/auth/me', { quiet401: true });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function signOut(): Promise<void> {
  try {
    await api.post<void>('/api/auth/sign-out', undefined, { quiet401: true });
  } finally {
    setCsrfToken(undefined);
  }
}

/** Saves one of the signed-in user's own settings (language, saved filters …) on the server. */
export function savePreference(key: string, value: unknown): Promise<{ key: string; value: unknown }> {
  return api.put(`/api/me/preferences/${encodeURIComponent(key)}`, { value });
}

export function preferences(): Promise<{ items: Record<string, unknown> }> {
  return api.get('/api/me/preferences');
}

/** Deploys one BPMN diagram (and optional form-js forms) as multipart field "resources". */
export function deploy(files: Array<{ name: string; content: Blob }>): Promise<DeploymentResult> {
  const form = new FormData();
  for (const f of files) form.append('resources', f.content, f.name);
  return api.post<DeploymentResult>('/v2/deployments', form);
}

export function latestDefinitions(): Promise<SearchResult<ProcessDefinition>> {
  return api.post('/v2/process-definitions/search', {
    filter: { isLatestVersion: true },
    sort: [{ field: 'processDefinitionId', order: 'ASC' }],
    page: { limit: 200 },
  });
}

/** Starts the version shown (by its key, so a start form checks what its version's form asked). */
export function startInstance(processDefinitionKey: string, variables: Record<string, unknown>): Promise<CreatedInstance> {
  return api.post('/v2/process-instances', { processDefinitionKey, variables });
}

/** The process's start form, or undefined when it has none (204). */
export async function startForm(processDefinitionKey: string): Promise<TaskForm | undefined> {
  const form = await api.get<TaskForm | string | undefined>(`/v2/process-definitions/${encodeURIComponent(processDefinitionKey)}/form`);
  return typeof form === 'object' ? form : undefined;
}

export function recentInstances(limit = 20): Promise<SearchResult<ProcessInstance>> {
  return api.post('/v2/process-instances/search', { sort: [{ field: 'startDate', order: 'DESC' }], page: { limit } });
}

export function openTasks(): Promise<SearchResult<UserTask>> {
  return api.post('/v2/user-tasks/search', {
    filter: { state: 'CREATED' },
    sort: [{ field: 'creationDate', order: 'DESC' }],
    page: { limit: 200 },
  });
}

export function claimTask(userTaskKey: string, assignee: string): Promise<void> {
  return api.post(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}/assignment`, { assignee });
}

export function completeTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void> {
  return api.post(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}/completion`, { variables });
}

/** The task's form-js form, or undefined when it has none (204). */
export async function taskForm(userTaskKey: string): Promise<TaskForm | undefined> {
  const form = await api.get<TaskForm | string | undefined>(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}/form`);
  return typeof form === 'object' ? form : undefined;
}

/** The variables the task sees (its scope and the enclosing ones), as values; case data for its form. */
export async function taskVariables(userTaskKey: string): Promise<Record<string, unknown>> {
  const found = await api.post<{ items: Array<{ name: string; value: string }> }>(`/v2/user-tasks/${encodeURIComponent(userTaskKey)}/variables/search`, {
    page: { limit: 10_000 },
  });
  return parseVariables(found.items);
}

/** The signed-in user's unread notices (addressed to them or to their departments), newest first. */
export function unreadNotices(limit = 20): Promise<{ items: Notice[]; page: { totalItems: number; unread: number } }> {
  return api.get(`/api/notifications?unread=true&limit=${limit}`);
}

export function markNoticeRead(id: string): Promise<Notice> {
  return api.post(`/api/notifications/${encodeURIComponent(id)}/read`, {});
}
