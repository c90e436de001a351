/** The modeler's calls: the company directory for the assignment pickers, and server-side drafts. */
import { api } from './client.js';

export interface Department {
  id: string;
  name: string;
  nameEn?: string;
  isHub: boolean;
}

export interface DirectoryUser {
  username: string;
  displayName: string;
  departments: string[];
}

export interface DraftSummary {
  id: string;
  name: string;
  owner: string;
  updatedAt: string;
  version: number;
}

export interface Draft extends DraftSummary {
  xml: string;
  forms: Record<string, unknown>;
}

export function departments(): Promise<Department[]> {
  return api.get('/api/departments');
}

/** People a task can be assigned to (designers may read this; the full user list is for administrators). */
export function directory(q = ''): Promise<{ items: DirectoryUser[] }> {
  return api.get(`/api/directory${q ? `?q=${encodeURIComponent(q)}` : ''}`);
}

export function listDrafts(): Promise<{ items: DraftSummary[] }> {
  return api.get('/api/drafts');
}

export function getDraft(id: string): Promise<Draft> {
  return api.get(`/api/drafts/${encodeURIComponent(id)}`);
}

export function createDraft(body: { name: string; xml: string; forms?: Record<string, unknown> }): Promise<Draft> {
  return api.post('/api/drafts', body);
}

/** Saves over version `version`; 409 when someone (another tab) saved in between. */
export function saveDraft(id: string, body: { name: string; xml: string; forms?: Record<string, unknown>; version: number }): Promise<DraftSummary> {
  return api.put(`/api/drafts/${encodeURIComponent(id)}`, body);
}

export function deleteDraft(id: string): Promise<void> {
  return api.delete(`/api/drafts/${encodeURIComponent(id)}`);
}

export interface DeployedVersion {
  processDefinitionKey: string;
  processDefinitionId: string;
  name?: string;
  version: number;
  resourceName: string;
}

/** Every deployed version (newest first within a process). */
export function deployedVersions(): Promise<{ items: DeployedVersion[] }> {
  return api.post('/v2/process-definitions/search', {
    sort: [
      { field: 'processDefinitionId', order: 'ASC' },
      { field: 'version', order: 'DESC' },
    ],
    page: { limit: 500 },
  });
}

export function deployedXml(processDefinitionKey: string): Promise<string> {
  return api.get(`/v2/process-definitions/${encodeURIComponent(processDefinitionKey)}/xml`);
}

/** The newest deployed version of a process (the running version a draft is compared with), if any. */
export async function latestDeployed(processDefinitionId: string): Promise<DeployedVersion | undefined> {
  const { items } = await api.post<{ items: DeployedVersion[] }>('/v2/process-definitions/search', {
    filter: { processDefinitionId },
    sort: [{ field: 'version', order: 'DESC' }],
    page: { limit: 1 },
  });
  return items[0];
}
