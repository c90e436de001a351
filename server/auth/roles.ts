/** Roles and what each may do. Permissions are assigned to routes in server/auth/route-permissions.ts. */
export const ROLES = ['admin', 'designer', 'staff', 'dept_head', 'hub_coordinator', 'manager', 'integration'] as const;
export type UserRole = (typeof ROLES)[number];

export const ROLE_NAMES: Record<UserRole, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'administrator' },
  designer: { zh: '流程设计人员', en: 'process designer' },
  staff: { zh: '业务人员', en: 'staff' },
  dept_head: { zh: '部门负责人', en: 'department head' },
  hub_coordinator: { zh: '营销部协调员', en: 'hub coordinator (marketing)' },
  manager: { zh: '管理人员（只读）', en: 'manager (company-wide read)' },
  integration: { zh: '外部系统接口账户', en: 'integration account (outside systems)' },
};

const ALL: readonly UserRole[] = ROLES;
const WORKERS: readonly UserRole[] = ['admin', 'staff', 'dept_head', 'hub_coordinator'];
const READ_ALL: readonly UserRole[] = ['admin', 'designer', 'manager', 'hub_coordinator', 'dept_head'];

/** Permission → roles that hold it. 'public' and 'authenticated' are special. */
export const PERMISSIONS = {
  public: [] as readonly UserRole[],
  authenticated: ALL,
  'definitions.read': ALL,
  'definitions.deploy': ['admin', 'designer'],
  /** Row-level (server/auth/visibility.ts instanceScope): department heads see the instances their departments have or had tasks in. */
  'instances.read': READ_ALL,
  'instances.start': ['admin', 'designer', 'staff', 'dept_head', 'hub_coordinator', 'integration'],
  'instances.cancel': ['admin', 'hub_coordinator'],
  /** Row-level: staff, department heads and hub coordinators see only their departments' tasks (integration accounts none). */
  'tasks.read': ['admin', 'designer', 'staff', 'dept_head', 'hub_coordinator', 'manager'],
  'tasks.complete': WORKERS,
  'tasks.assign': WORKERS,
  /**
   * Row-level (server/auth/message-policy.ts): staff and department heads reach only instances they
   * see and cannot buffer; integration accounts, hub coordinators, designers and admins publish anything.
   */
  'messages.publish': ['admin', 'designer', 'staff', 'dept_head', 'hub_coordinator', 'integration'],
  'signals.broadcast': ['admin', 'designer', 'hub_coordinator'],
  'incidents.read': ['admin', 'designer', 'manager', 'hub_coordinator'],
  'incidents.resolve': ['admin', 'designer'],
  /** Setting variables of running instances (to repair data before resolving an incident). */
  'variables.write': ['admin', 'designer'],
  /** External job workers (service accounts): activate and finish jobs. */
  'jobs.work': ['admin', 'designer', 'integration'],
  'audit.read': ['admin', 'manager'],
  /** Figures of the reconciliation sweep (read model vs Temporal). */
  'reconciliation.read': ['admin'],
  'users.read': ['admin', 'manager', 'dept_head', 'hub_coordinator'],
  'users.manage': ['admin'],
  'departments.read': ALL,
  'departments.manage': ['admin'],
  /** Calendars and SLA policies: everyone reads them (deadlines are shown to all), administrators change them. */
  'sla.read': ALL,
  'sla.manage': ['admin'],
  /** Open SLA clocks and their events. Row-level (server/auth/visibility.ts clockScope): staff and department heads see their departments' clocks. */
  'sla.clocks.read': ['admin', 'manager', 'hub_coordinator', 'dept_head', 'staff'],
  /** The SLA board (看板: per department, heatmap, trends). Row-level: department heads see their own departments (server/routes/board.ts). */
  'sla.board.read': ['admin', 'manager', 'hub_coordinator', 'dept_head'],
  /** The marketing hub's queue (营销部待办). */
  'hub.read': ['hub_coordinator', 'manager', 'admin'],
  /** The hub's actions: urge, reassign, supervise, escalate, resolve raised items. */
  'hub.act': ['hub_coordinator', 'admin'],
  /** Outages (停电事件, company/outages.ts): the hub opens them, links reports and closes them; managers read. */
  'outages.read': ['hub_coordinator', 'manager', 'admin'],
  'outages.manage': ['hub_coordinator', 'admin'],
  /** Customer evaluations (回访评价): who reads them (row-level for staff and department heads) and who records phone evaluations (95598 and hub staff). */
  'evaluations.read': ['admin', 'manager', 'hub_coordinator', 'dept_head', 'staff'],
  'evaluations.record': ['admin', 'hub_coordinator', 'dept_head', 'staff'],
  /** Supervision and assessment (assessment/): indicators, scorecards, ranking, trends, the gap view, drill-downs (department heads: their departments' rows), exports. */
  'assessment.read': ['admin', 'manager', 'hub_coordinator', 'dept_head'],
  /** Assessment rules (versioned) and recomputing a month's scorecards. */
  'assessment.manage': ['admin'],
  /** Exemptions (报备) listed: row-level, staff and department heads see their departments'. */
  'exemption.read': ['admin', 'manager', 'hub_coordinator', 'dept_head', 'staff'],
  /** Filing an exemption: row-level, only for a breach of one's own department (administrators: any). */
  'exemption.file': ['admin', 'staff', 'dept_head'],
  /** Approving or rejecting an exemption: the hub. */
  'exemption.decide': ['admin', 'hub_coordinator'],
  /** Diagram drafts in the modeler (row-level: own drafts; administrators all). */
  'drafts.use': ['admin', 'designer'],
  /** Who can be assigned (usernames, names, departments) for assignment pickers. */
  'directory.read': ['admin', 'designer', 'dept_head', 'hub_coordinator'],
} as const satisfies Record<string, readonly UserRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(permission: Permission, role: UserRole | undefined): boolean {
  if (permission === 'public') return true;
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly UserRole[]).includes(role);
}
