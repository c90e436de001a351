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

/** Creations whose new object is named by a field of the body (never a password): the log says which. */
const OBJECT_ID_FROM_BODY: Readonly<Record<string, string>> = {
  'POST /api/departments': 'id',
  'POST /api/users': 'username',
};

/** "/v2/user-tasks/:userTaskKey/completion" → object type "user-task", id from the first param. */
function objectOf(req: FastifyRequest): { type: string | null; id: string | null } {
  const url = req.routeOptions.url ?? '';
  const bodyField = OBJECT_ID_FROM_BODY[`${req.method} ${url}`];
  if (bodyField) {
    const value = (req.body as Record<string, unknown> | undefined)?.[bodyField];
    const segments = url.split('/').filter(Boolean);
    return { type: segments[segments.length - 1]!.replace(/s$/, ''), id: typeof value === 'string' ? value.slice(0, 200) : null };
  }
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
  /** Who acted (exact username). */
  username?: string;
  /** Part of the action ("PATCH /api/users/:userId"), case-insensitive. */
  action?: string;
  objectType?: string;
  objectId?: string;
  /** ISO instants, inclusive. */
  from?: string;
  to?: string;
  /** Entries older than this entry id (the `nextCursor` of the previous page). */
  before?: string;
  /** Entries skipped (after `before`), for page numbers; the cursor is cheaper on deep pages. */
  offset?: number;
  limit?: number;
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

/** A LIKE pattern that matches `text` anywhere, with its own %, _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The newest entries first (by the numeric id, which grows with time), filtered, one page at a time:
 * `nextCursor` is the id to pass as `before` for the next page, absent on the last page.
 */
export async function queryAudit(db: pg.Pool, q: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
  const limit = q.limit ?? 100;
  const { rows } = await db.query<Omit<AuditEntry, 'at'> & { at: Date }>(
    // audit_log.id, not the select list's text id: "9" > "10" as text.
    `SELECT audit_log.id::text AS id, at, username, action, object_type AS "objectType", object_id AS "objectId", status, ip, detail
       FROM audit_log
      WHERE ($1::text IS NULL OR username = $1) AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR object_id = $3)
        AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at <= $5)
        AND ($6::text IS NULL OR action ILIKE $6) AND ($7::bigint IS NULL OR audit_log.id < $7)
      ORDER BY audit_log.id DESC OFFSET $8 LIMIT $9`,
    [
      q.username ?? null,
      q.objectType ?? null,
      q.objectId ?? null,
      q.from ?? null,
      q.to ?? null,
      q.action ? containsPattern(q.action) : null,
      q.before ?? null,
      q.offset ?? 0,
      limit + 1,
    ],
  );
  const page = rows.slice(0, limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  return rows.length > limit ? { items: page, nextCursor: page[page.length - 1]!.id } : { items: page };
}
