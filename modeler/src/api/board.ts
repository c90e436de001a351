/** Calls and shapes of the hub queue (督办中心) and the SLA board (SLA 看板). */
import { api } from './client.js';

export type HubSeverity = 'breached' | 'at-risk' | 'escalation' | 'send-back' | 'reopened';
export const HUB_SEVERITIES: readonly HubSeverity[] = ['breached', 'at-risk', 'escalation', 'send-back', 'reopened'];
export type EscalationTarget = 'department-head' | 'leadership';

export interface HubAction {
  id: string;
  kind: 'urge' | 'reassign' | 'supervise' | 'escalate' | 'resolve';
  userTaskKey: string | null;
  processInstanceKey: string;
  actor: string;
  targetDepartment: string | null;
  targetUser: string | null;
  targetLevel: EscalationTarget | null;
  comment: string | null;
  dueAt: string | null;
  createdAt: string;
}

export interface QueueItem {
  id: string;
  severity: HubSeverity;
  processInstanceKey: string;
  bpmnProcessId: string;
  businessKey: string | null;
  elementId: string;
  elementName: string | null;
  userTaskKey: string | null;
  taskName: string | null;
  departments: string[];
  candidateGroups: string[];
  assignee: string | null;
  dueAt: string | null;
  breached: boolean;
  warnedLevel: number;
  clockKey: string | null;
  hubItemId: string | null;
  comment: string | null;
  since: string;
  actions: HubAction[];
}

export interface QueueFilter {
  process?: string;
  department?: string;
  severity?: HubSeverity;
  dueBefore?: string;
}

export interface QueuePage {
  items: QueueItem[];
  page: { totalItems: number; limit: number; offset: number; nextOffset: number | null };
  counts: Record<HubSeverity, number>;
}

export interface Department {
  id: string;
  name: string;
  nameEn?: string;
  isHub: boolean;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function hubQueue(filter: QueueFilter, offset: number, limit: number): Promise<QueuePage> {
  return api.get(`/api/hub/queue${query({ ...filter, offset, limit })}`);
}

const task = (key: string, action: string) => `/api/hub/tasks/${encodeURIComponent(key)}/${action}`;

export const hubActions = {
  urge: (key: string, comment?: string) => api.post(task(key, 'urge'), comment ? { comment } : {}),
  reassign: (key: string, department: string, comment?: string) => api.post(task(key, 'reassign'), { department, ...(comment ? { comment } : {}) }),
  supervise: (key: string, limit: { dueAt?: string; duration?: string }, comment: string) => api.post(task(key, 'supervise'), { ...limit, comment }),
  escalate: (key: string, to: EscalationTarget, comment: string) => api.post(task(key, 'escalate'), { to, comment }),
  resolve: (itemId: string) => api.post(`/api/hub/items/${encodeURIComponent(itemId)}/resolve`),
};

export function taskHubActions(userTaskKey: string): Promise<{ items: HubAction[] }> {
  return api.get(`/api/user-tasks/${encodeURIComponent(userTaskKey)}/hub-actions`);
}

export function departments(): Promise<Department[]> {
  return api.get('/api/departments');
}

// ------------------------------------------------------------------------------------ SLA board

export interface Period {
  from?: string;
  to?: string;
  department?: string;
}

export interface BoardFigures {
  open: number;
  openBreached: number;
  openAtRisk: number;
  breaches: number;
  met: number;
  late: number;
  onTimeRate: number | null;
}

export interface Board {
  from: string;
  to: string;
  atRiskWindowMs: number;
  departments: Array<BoardFigures & { department: string; name: string | null }>;
  totals: BoardFigures;
}

export interface HeatElement {
  elementId: string;
  name: string | null;
  count: number;
  open: number;
  ended: number;
  meanDurationMs: number | null;
  breached: number;
  breachRate: number;
}

export interface Heatmap {
  processId: string;
  version: number | null;
  processDefinitionKey: string;
  diagramVersion: number;
  elements: HeatElement[];
}

export interface Trends {
  granularity: 'day' | 'week';
  tz: string;
  buckets: Array<{ bucket: string; started: number; met: number; late: number; breached: number; onTimeRate: number | null }>;
}

export interface Clock {
  clockKey: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  elementId: string;
  name: string | null;
  businessKey: string | null;
  departments: string[];
  assignee: string | null;
  status: string;
  /** Open clocks only. */
  warnedLevel?: number;
  /** Clocks behind a figure: met | late | cancelled once ended. */
  outcome?: string | null;
  endedAt?: string | null;
  breached: boolean;
  startedAt: string;
  dueAt: string | null;
}

export function slaBoard(p: Period): Promise<Board> {
  return api.get(`/api/sla/board${query({ ...p })}`);
}

export function slaHeatmap(p: Period & { processId: string; version?: number }): Promise<Heatmap> {
  return api.get(`/api/sla/heatmap${query({ ...p })}`);
}

export function slaTrends(p: Period & { granularity: 'day' | 'week'; tz?: string }): Promise<Trends> {
  return api.get(`/api/sla/trends${query({ ...p })}`);
}

/** Open clocks (soonest due first), for the lists behind the board's figures. */
export function openClocks(p: { department?: string; process?: string; breached?: boolean; limit?: number }): Promise<{ items: Clock[]; page: { totalItems: number } }> {
  return api.get(`/api/sla/clocks${query({ department: p.department, process: p.process, breached: p.breached === undefined ? undefined : String(p.breached), limit: p.limit ?? 100 })}`);
}

export type Figure = 'breaches' | 'met' | 'late' | 'started';

/** The clocks behind a figure of the board (period, department) or of the heatmap (process, version, element). */
export function figureClocks(p: Period & { figure: Figure; processId?: string; version?: number; elementId?: string; limit?: number }): Promise<{ items: Clock[]; page: { totalItems: number } }> {
  return api.get(`/api/sla/board/clocks${query({ ...p, limit: p.limit ?? 200 })}`);
}

export function definitionXml(processDefinitionKey: string): Promise<string> {
  return api.get(`/v2/process-definitions/${encodeURIComponent(processDefinitionKey)}/xml`);
}
