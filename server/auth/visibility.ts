/**
 * Row-level rules. User tasks: administrators, managers and designers see every task; staff see
 * tasks assigned to them or offered to their departments (candidate groups) or to them by name;
 * department heads see their departments' tasks and those assigned to their members; hub
 * coordinators see the hub's queue, their departments' tasks and every escalated task; integration
 * accounts see none.
 * Process instances (and their element instances, variables and incidents): staff and department
 * heads see the instances in which they see a task, open or done, and the parent instances of those
 * (a task in a called process); everyone else who may read instances sees all of them.
 */
import type pg from 'pg';
import { HttpProblem } from '../http/problem.js';
import type { RequestUser } from './plugin.js';

/** SQL condition on the user_task table (placeholders $1@, $2@ … renumbered by the caller). */
export function taskScope(user: RequestUser): { sql: string; params: unknown[] } | undefined {
  const mine = `(assignee = $1@ OR $1@ = ANY(candidate_users) OR candidate_groups && $2@::text[])`;
  switch (user.role) {
    case 'admin':
    case 'manager':
    case 'designer':
      return undefined;
    case 'staff':
      return { sql: mine, params: [user.username, user.departments] };
    case 'dept_head':
      return {
        sql: `(${mine} OR assignee IN (SELECT username FROM app_user WHERE departments && $2@::text[]))`,
        params: [user.username, user.departments],
      };
    case 'hub_coordinator':
      return {
        sql: `(${mine} OR escalated OR candidate_groups && ARRAY(SELECT id FROM department WHERE is_hub))`,
        params: [user.username, user.departments],
      };
    case 'integration':
      return { sql: 'false', params: [] };
  }
}

/**
 * SQL condition that `column` (a process instance key) names an instance the user may read, or
 * undefined for the company-wide view. Placeholders as in taskScope.
 */
export function instanceScope(user: RequestUser, column: string): { sql: string; params: unknown[] } | undefined {
  if (user.role !== 'staff' && user.role !== 'dept_head') return user.role === 'integration' ? { sql: 'false', params: [] } : undefined;
  const tasks = taskScope(user)!;
  const visible = `SELECT ut.process_instance_key FROM user_task ut WHERE ${tasks.sql.replace(/\b(assignee|candidate_users|candidate_groups)\b/g, 'ut.$1')}`;
  return {
    sql: `(${column} IN (${visible}) OR ${column} IN (SELECT pp.parent_process_instance_key FROM process_instance pp WHERE pp.key IN (${visible})))`,
    params: tasks.params,
  };
}

/** Whether the user may read the process instance (404 otherwise, so a hidden instance does not reveal that it exists). */
export async function canSeeInstance(db: pg.Pool, user: RequestUser, processInstanceKey: string): Promise<boolean> {
  const scope = instanceScope(user, '$1::bigint');
  if (!scope) return true;
  const { rows } = await db.query<{ ok: boolean }>(`SELECT ${scopeSql(scope, 1)} AS ok`, [processInstanceKey, ...scope.params]);
  return rows[0]?.ok === true;
}

/** Renders a scope with plain positional parameters starting at $offset+1. */
export function scopeSql(scope: { sql: string; params: unknown[] }, offset: number): string {
  let sql = scope.sql;
  scope.params.forEach((_, i) => {
    sql = sql.replaceAll(`$${i + 1}@`, `$${offset + i + 1}`);
  });
  return sql;
}

export async function canSeeTask(db: pg.Pool, user: RequestUser, taskKey: string): Promise<boolean> {
  const scope = taskScope(user);
  if (!scope) return true;
  const { rowCount } = await db.query(`SELECT 1 FROM user_task WHERE key = $1 AND ${scopeSql(scope, 1)}`, [taskKey, ...scope.params]);
  return (rowCount ?? 0) > 0;
}

interface TaskForRules {
  key: string;
  assignee: string | null;
  candidate_groups: string[];
}

/** Who may complete: staff only their own or unclaimed tasks; heads, coordinators and admins any task they see. */
export function assertMayComplete(user: RequestUser, task: TaskForRules): void {
  if (user.role === 'staff' && task.assignee && task.assignee !== user.username) {
    throw new HttpProblem(403, `User task ${task.key} is assigned to '${task.assignee}'; only that person can complete it (任务已分派给他人)`, {
      title: 'Forbidden',
    });
  }
}

/**
 * Who may assign to whom: the assignee must be an active user (400 naming it otherwise); staff claim
 * unclaimed tasks for themselves and release their own, never take over a colleague's; heads within
 * their departments; coordinators and admins anyone.
 */
export async function assertMayAssign(db: pg.Pool, user: RequestUser, task: TaskForRules, assignee: string | null): Promise<void> {
  if (assignee !== null) {
    const { rowCount } = await db.query('SELECT 1 FROM app_user WHERE username = $1 AND active', [assignee]);
    if (!rowCount) {
      throw new HttpProblem(400, `assignee: there is no active user named '${assignee}' (用户不存在或已停用)`, {
        type: 'urn:problem:validation',
        title: 'Invalid request',
      });
    }
  }
  if (user.role === 'admin' || user.role === 'hub_coordinator') return;
  if (user.role === 'staff') {
    if (assignee !== null && assignee !== user.username) {
      throw new HttpProblem(403, `Staff can only claim a task for themselves, not assign it to '${assignee}' (只能认领给自己)`, { title: 'Forbidden' });
    }
    if (assignee !== null && task.assignee && task.assignee !== user.username) {
      throw new HttpProblem(
        403,
        `User task ${task.key} is already claimed by '${task.assignee}'; only a department head, hub coordinator or administrator can reassign it (任务已被他人认领)`,
        { title: 'Forbidden' },
      );
    }
    if (assignee === null && task.assignee !== user.username) {
      throw new HttpProblem(403, `User task ${task.key} is not assigned to you; only its assignee or a department head can release it`, {
        title: 'Forbidden',
      });
    }
    return;
  }
  if (user.role === 'dept_head' && assignee !== null) {
    const { rowCount } = await db.query('SELECT 1 FROM app_user WHERE username = $1 AND active AND departments && $2::text[]', [
      assignee,
      user.departments,
    ]);
    if (!rowCount) {
      throw new HttpProblem(403, `'${assignee}' is not an active member of your departments (${user.departments.join(', ')}); reassign within your department`, {
        title: 'Forbidden',
      });
    }
  }
}

/**
 * SLA clocks and events (GET /api/sla/clocks, /api/sla/events): staff and department heads see the
 * clocks of their departments and those of tasks assigned to them; hub coordinators, managers and
 * administrators see all (undefined).
 */
export function clockScope(user: RequestUser): { departments: string[]; username: string } | undefined {
  if (user.role === 'staff' || user.role === 'dept_head') return { departments: user.departments, username: user.username };
  if (user.role === 'admin' || user.role === 'manager' || user.role === 'hub_coordinator') return undefined;
  return { departments: [], username: user.username };
}
