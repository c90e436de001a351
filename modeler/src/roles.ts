/**
 * What each role may do in the web app: mirrors server/auth/roles.ts so the UI offers only what the
 * server allows (the server still decides; a 403 detail is shown as it comes).
 */
import type { Role } from './api/types.js';

const WORKERS: readonly Role[] = ['admin', 'staff', 'dept_head', 'hub_coordinator'];

export const may = {
  design: (r: Role) => r === 'admin' || r === 'designer',
  workTasks: (r: Role) => WORKERS.includes(r),
  startInstances: (r: Role) => r !== 'manager',
  readInstances: (r: Role) => r !== 'staff' && r !== 'integration',
  cancelInstances: (r: Role) => r === 'admin' || r === 'hub_coordinator',
  readIncidents: (r: Role) => r === 'admin' || r === 'designer' || r === 'manager' || r === 'hub_coordinator',
  resolveIncidents: (r: Role) => r === 'admin' || r === 'designer',
  writeVariables: (r: Role) => r === 'admin' || r === 'designer',
  readClocks: (r: Role) => r !== 'designer' && r !== 'integration',
  readAssessment: (r: Role) => r === 'admin' || r === 'manager' || r === 'hub_coordinator' || r === 'dept_head',
  /** 系统管理: administrators change users, departments, calendars and policies; managers read them and the audit log. */
  viewAdmin: (r: Role) => r === 'admin' || r === 'manager',
  manageAdmin: (r: Role) => r === 'admin',
  readHub: (r: Role) => r === 'hub_coordinator' || r === 'manager' || r === 'admin',
  actHub: (r: Role) => r === 'hub_coordinator' || r === 'admin',
  readBoard: (r: Role) => r === 'hub_coordinator' || r === 'manager' || r === 'admin' || r === 'dept_head',
};
