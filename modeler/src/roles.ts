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
  readHub: (r: Role) => r === 'hub_coordinator' || r === 'manager' || r === 'admin',
  actHub: (r: Role) => r === 'hub_coordinator' || r === 'admin',
  readBoard: (r: Role) => r === 'hub_coordinator' || r === 'manager' || r === 'admin' || r === 'dept_head',
};
