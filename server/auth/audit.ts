/**
 * The audit log: who changed what, on which object, when, from which address. Written for every
 * state-changing request (POST/PUT/PATCH/DELETE), successful or refused; read by administrators and
 * managers through GET /api/audit.
 */
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { userExists } from './users.js';

/** What the audit log shows for a sign-in attempt with a name that is no user's. */
export const UNKNOWN_USER = '(unknown user)';

/** Routes whose object is not named by their first segment: the hub's actions act on user tasks. */
const OBJECT_TYPE_BY_PREFIX: ReadonlyArray<readonly [string, string]> = [
  ['/api/hub/tasks/', 'user-task'],
  ['/api/hub/items/', 'hub-item'],
  ['/api/assessment/exemptions', 'assessment-exemption'],
  ['/api/assessment/rules', 'assessment-rules'],
  ['/api/assessment/scorecards', 'assessment-scorecard'],
];

/** "/v2/user-tasks/:userTaskKey/completion" → object type "user-task", id from the first param. */
function objectOf(req: FastifyRequest): { type: string | null; id: string | null } {
  const url = req.routeOptions.url ?? '';
  const known = OBJECT_TYPE_BY_PREFIX.find(([prefix]) => url.startsWith(prefix));
  if (known) return { type: known[1], id: Object.values((req.params ?? {}) as Record<string, string>)[0] ?? null };
  const segments = url.split('/').filter(Boolean);
  const resource = segments.find((s, i) => i > 0 && !s.startsWith(':')) ?? segments[0] ?? null;
  const params = (req.params ?? {}) as Record<string, string>;
  const id = Object.values(params)[0] ?? null;
  return { type: resource ? resource.replace(/s$/, '') : null, id };
}

export async function recordAudit(db: pg.Pool, req: FastifyRequest, status: number): Promise<void> {
  const { type, id } = objectOf(req);
  const body = req.body as Record<string, unknown> | undefined;
  // A failed sign-in keeps the typed name only when it is a real user's: people type passwords into the name field.
  const typed = req.routeOptions.url === '/api/auth/sign-in' && typeof body?.username === 'string' ? body.username : null;
  const attemptedUser = typed === null ? null : (await userExists(db, typed)) ? typed : UNKNOWN_USER;
  await db.query(
    `INSERT INTO audit_log (user_id, username, action, object_type, object_id, status, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      req.user?.id ?? null,
      req.user?.username ?? attemptedUser,
      `${req.method} ${req.routeOptions.url}`,
      type,
      id,
      status,
      req.ip,
      JSON.stringify({ params: req.params ?? {} }),
    ],
  );
}

export interface AuditQuery {
  username?: string;
  objectType?: string;
  objectId?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export async function queryAudit(db: pg.Pool, q: AuditQuery) {
  const { rows } = await db.query(
    // Sorted by the numeric id (audit_log.id: the bare name would mean the text column of the select list).
    `SELECT id::text, at, username, action, object_type AS "objectType", object_id AS "objectId", status, ip
       FROM audit_log
      WHERE ($1::text IS NULL OR username = $1) AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR object_id = $3)
        AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at <= $5)
      ORDER BY audit_log.id DESC LIMIT $6`,
    [q.username ?? null, q.objectType ?? null, q.objectId ?? null, q.from ?? null, q.to ?? null, q.limit ?? 100],
  );
  return rows.map((r: { at: Date }) => ({ ...r, at: new Date(r.at).toISOString() }));
}
