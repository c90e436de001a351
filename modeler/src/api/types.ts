/** Shapes of the server's answers that the web app reads (see /api/docs for the full API). */

export type Role = 'admin' | 'designer' | 'staff' | 'dept_head' | 'hub_coordinator' | 'manager' | 'integration';

export interface Me {
  username: string;
  displayName: string;
  role: Role;
  roleName: string;
  departments: string[];
  /** The language the user chose (zh-CN unless they switched). */
  language: 'zh-CN' | 'en';
  csrfToken?: string;
}

/** One compile problem of a refused deployment: which element and what is wrong. */
export interface DeployProblem {
  elementId: string;
  elementType?: string;
  /** English text; `code` + `params` render it in the user's language (bpmn/messages.ts). */
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

/** RFC 9457 problem details as the server sends them (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  problems?: DeployProblem[];
  elementId?: string;
  [extra: string]: unknown;
}

export interface SearchResult<T> {
  items: T[];
  page: { totalItems: number };
}

export interface ProcessDefinition {
  processDefinitionKey: string;
  processDefinitionId: string;
  name?: string;
  version: number;
  resourceName: string;
}

export interface ProcessInstance {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionName?: string;
  processDefinitionVersion: number;
  startDate: string;
  endDate?: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident: boolean;
}

export interface CreatedInstance {
  processDefinitionId: string;
  processDefinitionVersion: number;
  processInstanceKey: string;
}

export interface UserTask {
  userTaskKey: string;
  name?: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED';
  assignee?: string;
  elementId: string;
  candidateGroups: string[];
  candidateUsers: string[];
  processDefinitionId: string;
  processInstanceKey: string;
  formKey?: string;
  creationDate: string;
  dueDate?: string;
}

export interface TaskForm {
  formId: string;
  version: number;
  /** form-js schema as JSON text. */
  schema: string;
}

export interface DeploymentResult {
  deploymentKey: string;
  deployments: Array<
    | { processDefinition: { processDefinitionId: string; processDefinitionVersion: number; processDefinitionKey: string; resourceName: string } }
    | { form: { formId: string; version: number; resourceName: string } }
  >;
}

/** A notice for the signed-in user (GET /api/notifications): 催办, 超时, 督办, 升级, 转派. */
export interface Notice {
  id: string;
  kind: 'urge' | 'breach' | 'supervision' | 'escalation' | 'reassign';
  title: string;
  body: string;
  processInstanceKey: string | null;
  userTaskKey: string | null;
  createdAt: string;
  read: boolean;
}
