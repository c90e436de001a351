/** The administration pages' calls: users, departments, working-day calendars, SLA policies, audit log. */
import { api } from './client.js';
import type { Role } from './types.js';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departments: string[];
  active: boolean;
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: Role;
  departments: string[];
}

export interface UserChange {
  displayName?: string;
  password?: string;
  role?: Role;
  departments?: string[];
  active?: boolean;
}

export interface Department {
  id: string;
  name: string;
  nameEn?: string;
  isHub: boolean;
}

export interface DepartmentChange {
  name?: string;
  /** "" clears the English name. */
  nameEn?: string;
  isHub?: boolean;
}

export interface CalendarSummary {
  id: string;
  name: string;
  utcOffsetMinutes: number;
  workingHours: Array<[number, number]>;
  years: Array<{ year: number; holidays: number; workdays: number; source: string }>;
}

export interface CalendarYear {
  year: number;
  /** Days off (YYYY-MM-DD), weekends inside a holiday included. */
  holidays: string[];
  /** Weekend days worked (调休补班). */
  workdays: string[];
  source: string;
  updatedBy: string | null;
  updatedAt: string;
}

export type TimeBase = 'natural' | 'workingDays' | 'workingHours';

export interface PolicySet {
  key: string;
  name: string;
  isDefault: boolean;
  description: string;
}

export interface Policy {
  setKey: string;
  key: string;
  version: number;
  name: string;
  duration: string;
  timeBase: TimeBase;
  calendar: string | null;
  warnings: Array<{ at: number } | { before: string }>;
  createdBy: string | null;
  createdAt: string;
}

export interface PolicyChange {
  name: string;
  duration: string;
  timeBase: TimeBase;
  calendar?: string;
  /** "50%, 80%" or "PT2H". */
  warnings?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  username: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  status: number | null;
  ip: string | null;
  detail: unknown;
}

export interface AuditQuery {
  username?: string;
  action?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
}

const seg = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const adminApi = {
  users: () => api.get<AdminUser[]>('/api/users'),
  createUser: (u: NewUser) => api.post<AdminUser>('/api/users', u),
  changeUser: (id: string, change: UserChange) => api.patch<AdminUser>(`/api/users/${seg(id)}`, change),

  departments: () => api.get<Department[]>('/api/departments'),
  createDepartment: (d: Department) => api.post<Department>('/api/departments', d),
  changeDepartment: (id: string, change: DepartmentChange) => api.patch<Department>(`/api/departments/${seg(id)}`, change),

  calendars: () => api.get<CalendarSummary[]>('/api/calendars'),
  calendarYear: (calendarId: string, year: number) => api.get<CalendarYear>(`/api/calendars/${seg(calendarId)}/years/${year}`),
  putCalendarYear: (calendarId: string, year: number, body: { holidays: string[]; workdays: string[] }) =>
    api.put<CalendarYear>(`/api/calendars/${seg(calendarId)}/years/${year}`, body),

  policySets: () => api.get<PolicySet[]>('/api/sla/policy-sets'),
  makeDefaultSet: (setKey: string) => api.put<PolicySet[]>(`/api/sla/policy-sets/${seg(setKey)}/default`),
  policies: (setKey: string) => api.get<Policy[]>(`/api/sla/policies${query({ set: setKey })}`),
  policyVersions: (setKey: string, key: string) => api.get<Policy[]>(`/api/sla/policies/${seg(setKey)}/${seg(key)}/versions`),
  putPolicy: (setKey: string, key: string, change: PolicyChange) => api.put<Policy>(`/api/sla/policies/${seg(setKey)}/${seg(key)}`, change),

  audit: (q: AuditQuery) => api.get<{ items: AuditEntry[]; nextCursor?: string }>(`/api/audit${query({ ...q })}`),
};
