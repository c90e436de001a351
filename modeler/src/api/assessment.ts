/** Supervision and assessment (/api/assessment): scorecards, ranking, trends, drill-downs, exemptions. */
import { api } from './client.js';

export interface Rate {
  rate: number | null;
}

export interface Indicators {
  onTime: { ended: number; met: number; late: number; exempted: number; rate: number | null };
  breaches: { count: number; exempted: number; scored: number };
  firstTime: { closed: number; firstTime: number; rate: number | null };
  satisfaction: { evaluations: number; satisfied: number; rate: number | null };
  complaints: { complaints: number; customers: number; perThousand: number | null };
  bxCompliance: { orders: number; compliant: number; rate: number | null };
}

export type DeductionItem =
  | { kind: 'breach'; clockKey: string; processInstanceKey: string; bpmnProcessId: string; elementId: string; businessKey: string | null; at: string; points: number }
  | { kind: 'rate'; indicator: string; value: number; target: number; steps: number; points: number }
  | { kind: 'cap'; of: 'breaches' | 'rates' | 'total'; cap: number; points: number };

export interface Scorecard {
  month: string;
  departmentId: string;
  name: string | null;
  score: number;
  rank: number;
  ruleVersion: number;
  indicators: Indicators;
  deductions: { breaches: number; rates: number; total: number; items: DeductionItem[] };
  computedAt: string | null;
}

export interface MonthScorecards {
  month: string;
  provisional: boolean;
  ruleVersion: number;
  scorecards: Scorecard[];
}

export const DRILL_INDICATORS = ['onTime', 'breaches', 'stepDurations', 'firstTime', 'bxCompliance', 'satisfaction', 'complaints'] as const;
export type DrillIndicator = (typeof DRILL_INDICATORS)[number];

export interface DrillPage {
  indicator: DrillIndicator;
  rowKind: 'clock' | 'case' | 'evaluation';
  items: Array<Record<string, unknown>>;
  page: { totalItems: number; limit: number; offset: number; nextOffset: number | null };
}

export interface Exemption {
  id: string;
  clockKey: string;
  processInstanceKey: string;
  breachedAt: string;
  departmentId: string | null;
  bpmnProcessId: string | null;
  elementId: string | null;
  businessKey: string | null;
  reason: string;
  filedBy: string;
  filedAt: string;
  state: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface Trends {
  months: Array<{ month: string; provisional: boolean; departments: Array<{ departmentId: string; name: string | null; score: number; rank: number }> }>;
}

export type GapKind = 'givenMinusPlanned' | 'perceivedMinusExpected' | 'perceivedMinusGiven';

export interface GapRow {
  bpmnProcessId: string;
  departmentId: string | null;
  cases: number;
  evaluatedCases: number;
  plannedMinutes: number | null;
  givenMinutes: number | null;
  expectedMinutes: number | null;
  perceivedMinutes: number | null;
  satisfiedRate: number | null;
  gaps: Record<GapKind, number | null>;
  largestGap: { kind: GapKind; minutes: number } | null;
}

export interface GapCase {
  processInstanceKey: string;
  businessKey: string | null;
  bpmnProcessId: string;
  departmentId: string | null;
  closedAt: string;
  plannedMinutes: number | null;
  givenMinutes: number | null;
  expectedMinutes: number | null;
  perceivedMinutes: number | null;
  satisfaction: number | null;
}

const q = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)])).toString();

export const assessmentApi = {
  scorecards: (month: string, department?: string) => api.get<MonthScorecards>(`/api/assessment/scorecards?${q({ month, department })}`),
  trends: (from: string, to: string, department?: string) => api.get<Trends>(`/api/assessment/trends?${q({ from, to, department })}`),
  drill: (p: { month: string; indicator: DrillIndicator; department?: string; only?: string; limit: number; offset: number }) =>
    api.get<DrillPage>(`/api/assessment/drilldown?${q(p)}`),
  exemptions: (p: { state?: string; limit?: number; offset?: number } = {}) =>
    api.get<{ items: Exemption[]; page: { totalItems: number } }>(`/api/assessment/exemptions?${q(p)}`),
  fileExemption: (clockKey: string, reason: string) => api.post<Exemption>('/api/assessment/exemptions', { clockKey, reason }),
  decide: (id: string, decision: 'approve' | 'reject', note: string) =>
    api.post<Exemption>(`/api/assessment/exemptions/${encodeURIComponent(id)}/decide`, { decision, ...(note ? { note } : {}) }),
  gaps: (month: string) => api.get<{ items: GapRow[] }>(`/api/assessment/gaps?${q({ month })}`),
  gapCases: (p: { month: string; process: string; department?: string; limit: number; offset: number }) =>
    api.get<{ items: GapCase[]; page: { totalItems: number; limit: number; offset: number } }>(`/api/assessment/gaps/cases?${q(p)}`),
  exportUrl: (p: { report: 'scorecards' | 'ranking' | 'drilldown'; format: 'csv' | 'xlsx'; month: string; indicator?: string; department?: string }) =>
    `/api/assessment/export?${q(p)}`,
};
