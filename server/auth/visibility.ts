/**
 * Row-level rules for user tasks. Administrators, managers and designers see every task; staff see
 * tasks assigned to them or offered to their departments (candidate groups) or to them by name;
 * department heads see their departments' tasks and those assigned to their members; hub
 * coordinators see the hub's queue, their departments' tasks and every escalated task.
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
  }
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

/** Who may assign to whom: staff claim for themselves; heads within their departments; coordinators and admins anyone. */
export async function assertMayAssign(db: pg.Pool, user: RequestUser, task: TaskForRules, assignee: string | null): Promise<void> {
  if (user.role === 'admin' || user.role === 'hub_coordinator') return;
  if (user.role === 'staff') {
    if (assignee !== null && assignee !== user.username) {
      throw new HttpProblem(403, `Staff can only claim a task for themselves, not assign it to '${assignee}' (只能认领给自己)`, { title: 'Forbidden' });
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
