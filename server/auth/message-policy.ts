/**
 * Who may publish which messages (item 13 of the hardening issue), and the purge of expired ones.
 *
 * - Integration accounts (outside systems), administrators, designers and hub coordinators publish
 *   any message, with a time-to-live up to MESSAGE_TTL_MAX_MS.
 * - Staff and department heads reach only the instances they may read (instanceScope: instances in
 *   which they see a task); subscriptions of other instances are left alone, and a correlation with
 *   no visible subscriber is a 404 as if none waited. They cannot buffer (timeToLive must be 0), so a
 *   message of theirs never lands later in an instance they cannot see. Message start events still
 *   start instances for them, as starting instances is their right anyway.
 */
import type pg from 'pg';
import { HttpProblem } from '../http/problem.js';
import type { RequestUser } from './plugin.js';
import type { UserRole } from './roles.js';
import { instanceScope, scopeSql } from './visibility.js';

/** Roles that publish company-wide; everyone else with messages.publish reaches only instances they may read. */
const COMPANY_WIDE: ReadonlySet<UserRole> = new Set<UserRole>(['admin', 'designer', 'hub_coordinator', 'integration']);

export function isScopedPublisher(user: RequestUser): boolean {
  return !COMPANY_WIDE.has(user.role);
}

/** Refuses a buffered message from a scoped publisher (403 naming timeToLive). */
export function assertMayBuffer(user: RequestUser, timeToLive: number): void {
  if (timeToLive > 0 && isScopedPublisher(user)) {
    throw new HttpProblem(
      403,
      `timeToLive: your role (${user.role}) may publish only to instances waiting now (timeToLive 0); buffered messages are for integration accounts, hub coordinators, designers and administrators (无权发布缓存消息)`,
      { title: 'Forbidden', extra: { permission: 'messages.publish' } },
    );
  }
}

/** Keeps those of the candidate process instances that the user may read (all of them for company-wide publishers). */
export function visibleInstancesFilter(db: pg.Pool, user: RequestUser): ((keys: string[]) => Promise<string[]>) | undefined {
  if (!isScopedPublisher(user)) return undefined;
  const scope = instanceScope(user, 'k') ?? { sql: 'false', params: [] };
  return async (keys) => {
    if (keys.length === 0) return keys;
    const { rows } = await db.query<{ k: string }>(`SELECT k::text FROM unnest($1::bigint[]) AS k WHERE ${scopeSql(scope, 1)}`, [keys, ...scope.params]);
    const visible = new Set(rows.map((r) => r.k));
    return keys.filter((k) => visible.has(k));
  };
}

/** Deletes messages whose time-to-live has passed (they can no longer correlate, nor deduplicate a messageId). */
export async function purgeExpiredMessages(db: pg.Pool): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM message WHERE expires_at < now()');
  return rowCount ?? 0;
}

/** Runs purgeExpiredMessages every intervalMs until the returned stop function is called. */
export function startMessageSweep(db: pg.Pool, intervalMs: number, onError: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    purgeExpiredMessages(db)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
