/** The instance monitor's calls: instance search and detail, element instances, variables, incidents, SLA clocks. */
import { api } from './client.js';
import type { ProcessInstance, SearchResult } from './types.js';

export type InstanceState = ProcessInstance['state'];

export interface ElementInstance {
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  elementId: string;
  elementName?: string;
  type: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  startDate: string;
  endDate?: string;
  hasIncident: boolean;
  incidentKey?: string;
}

export interface Variable {
  name: string;
  /** JSON text. */
  value: string;
  scopeKey: string;
  processInstanceKey: string;
}

export interface Incident {
  incidentKey: string;
  processInstanceKey: string;
  errorType: string;
  errorMessage: string;
  elementId: string;
  elementInstanceKey: string;
  creationTime: string;
  state: 'ACTIVE' | 'RESOLVED' | 'MIGRATED' | 'PENDING';
}

export interface SlaClock {
  clockKey: string;
  kind: 'element' | 'span';
  spanId: string | null;
  elementId: string;
  name: string | null;
  departments: string[];
  assignee: string | null;
  durationMs: number;
  timeBase: string;
  status: 'running' | 'paused' | 'ended';
  outcome: string | null;
  warnedLevel: number;
  breached: boolean;
  startedAt: string;
  dueAt: string | null;
  endedAt: string | null;
}

export interface ProcessDefinitionInfo {
  processDefinitionKey: string;
  processDefinitionId: string;
  name?: string;
  version: number;
}

/** What the search form asks; every part optional. */
export interface InstanceQuery {
  process?: string;
  version?: number;
  state?: InstanceState | 'INCIDENT';
  businessKey?: string;
  customer?: string;
  /** yyyy-mm-dd in the user's time zone, inclusive. */
  from?: string;
  to?: string;
  page: number;
}

export const PAGE_SIZE = 20;
/** Most instances a business key or customer may match before the search asks for a narrower one. */
export const MAX_MATCHES = 1000;
/** Variables that name the customer in the company's processes. */
export const CUSTOMER_VARIABLES = ['customerName', 'accountNo', 'contactPhone'];

/** Local midnight of a yyyy-mm-dd day as an ISO date-time with the browser's offset. */
export function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** The instance keys that have a variable named one of `names` whose value is the string `value`. */
async function keysWithVariable(names: string[], value: string): Promise<string[]> {
  const found = await api.post<SearchResult<Variable>>('/v2/variables/search', {
    filter: { name: { $in: names }, value: JSON.stringify(value) },
    page: { limit: MAX_MATCHES },
  });
  return [...new Set(found.items.map((v) => v.processInstanceKey))];
}

export async function searchInstances(q: InstanceQuery): Promise<SearchResult<ProcessInstance> & { truncated: boolean }> {
  const filter: Record<string, unknown> = {};
  if (q.process) filter.processDefinitionId = q.process;
  if (q.version) filter.processDefinitionVersion = q.version;
  if (q.state === 'INCIDENT') filter.hasIncident = true;
  else if (q.state) filter.state = q.state;
  const range: Record<string, string> = {};
  if (q.from) range.$gte = dayStart(q.from);
  if (q.to) range.$lt = dayStart(q.to, 1);
  if (Object.keys(range).length) filter.startDate = range;
  let keys: string[] | undefined;
  let truncated = false;
  for (const [names, value] of [
    [['businessKey'], q.businessKey],
    [CUSTOMER_VARIABLES, q.customer],
  ] as const) {
    if (!value) continue;
    const matched = await keysWithVariable([...names], value);
    truncated ||= matched.length >= MAX_MATCHES;
    keys = keys ? keys.filter((k) => matched.includes(k)) : matched;
  }
  if (keys && keys.length === 0) return { items: [], page: { totalItems: 0 }, truncated };
  if (keys) filter.processInstanceKey = { $in: keys };
  const result = await api.post<SearchResult<ProcessInstance>>('/v2/process-instances/search', {
    filter,
    sort: [{ field: 'startDate', order: 'DESC' }],
    page: { from: q.page * PAGE_SIZE, limit: PAGE_SIZE },
  });
  return { ...result, truncated };
}

/** Each deployed process (id and name) with its versions, for the search form's pickers. */
export async function processVersions(): Promise<Map<string, { name: string; versions: number[] }>> {
  const { items } = await api.post<SearchResult<ProcessDefinitionInfo>>('/v2/process-definitions/search', {
    sort: [{ field: 'processDefinitionId', order: 'ASC' }, { field: 'version', order: 'DESC' }],
    page: { limit: 1000 },
  });
  const byId = new Map<string, { name: string; versions: number[] }>();
  for (const d of items) {
    const entry = byId.get(d.processDefinitionId) ?? { name: d.name ?? d.processDefinitionId, versions: [] };
    entry.versions.push(d.version);
    byId.set(d.processDefinitionId, entry);
  }
  return byId;
}

export function getInstance(key: string): Promise<ProcessInstance & { processDefinitionKey: string }> {
  return api.get(`/v2/process-instances/${encodeURIComponent(key)}`);
}

export function definitionXml(processDefinitionKey: string): Promise<string> {
  return api.get(`/v2/process-definitions/${encodeURIComponent(processDefinitionKey)}/xml`);
}

export async function elementInstances(processInstanceKey: string): Promise<ElementInstance[]> {
  const { items } = await api.post<SearchResult<ElementInstance>>('/v2/element-instances/search', {
    filter: { processInstanceKey },
    sort: [{ field: 'startDate', order: 'ASC' }],
    page: { limit: 2000 },
  });
  return items;
}

export async function instanceVariables(processInstanceKey: string): Promise<Variable[]> {
  const { items } = await api.post<SearchResult<Variable>>('/v2/variables/search', {
    filter: { processInstanceKey },
    sort: [{ field: 'name', order: 'ASC' }],
    page: { limit: 2000 },
  });
  return items;
}

/** Sets variables through an active element instance (local: on it; otherwise where they are defined, else the root). */
export function setVariables(elementInstanceKey: string, variables: Record<string, unknown>, local: boolean): Promise<void> {
  return api.put(`/v2/element-instances/${encodeURIComponent(elementInstanceKey)}/variables`, { variables, local });
}

export async function instanceIncidents(processInstanceKey: string): Promise<Incident[]> {
  const { items } = await api.post<SearchResult<Incident>>('/v2/incidents/search', {
    filter: { processInstanceKey },
    sort: [{ field: 'creationTime', order: 'DESC' }],
    page: { limit: 200 },
  });
  return items;
}

export function resolveIncident(incidentKey: string): Promise<void> {
  return api.post(`/v2/incidents/${encodeURIComponent(incidentKey)}/resolution`, {});
}

export function cancelInstance(processInstanceKey: string): Promise<void> {
  return api.post(`/v2/process-instances/${encodeURIComponent(processInstanceKey)}/cancellation`, {});
}

export async function instanceClocks(processInstanceKey: string): Promise<SlaClock[]> {
  const { items } = await api.get<{ items: SlaClock[] }>(`/api/process-instances/${encodeURIComponent(processInstanceKey)}/sla-clocks`);
  return items;
}

export interface InstanceTask {
  userTaskKey: string;
  elementInstanceKey: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED';
  assignee?: string;
  completionDate?: string;
}

/** The instance's user tasks (who completed what), as far as the reader may see them. */
export async function instanceUserTasks(processInstanceKey: string): Promise<InstanceTask[]> {
  const { items } = await api.post<SearchResult<InstanceTask>>('/v2/user-tasks/search', {
    filter: { processInstanceKey },
    page: { limit: 1000 },
  });
  return items;
}

/** Chosen variables (e.g. businessKey, customerName) of a page of instances: key → name → value. */
export async function variablesOf(keys: string[], names: string[]): Promise<Map<string, Map<string, unknown>>> {
  const out = new Map<string, Map<string, unknown>>();
  if (keys.length === 0) return out;
  const { items } = await api.post<SearchResult<Variable>>('/v2/variables/search', {
    filter: { processInstanceKey: { $in: keys }, name: { $in: names } },
    page: { limit: keys.length * names.length * 4 },
  });
  for (const v of items) {
    if (v.scopeKey !== v.processInstanceKey) continue;
    const m = out.get(v.processInstanceKey) ?? new Map<string, unknown>();
    try {
      m.set(v.name, JSON.parse(v.value));
    } catch {
      m.set(v.name, v.value);
    }
    out.set(v.processInstanceKey, m);
  }
  return out;
}
