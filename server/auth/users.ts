/** Users, departments, browser sessions and API tokens in PostgreSQL. */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { HttpProblem } from '../http/problem.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import type { UserRole } from './roles.js';
import { coded } from '../../services/problem-codes.js';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  departments: string[];
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: UserRole;
  departments: string[];
  active: boolean;
}

export const USER_COLUMNS = 'id::text, username, display_name, password_hash, role, departments, active';
export const SESSION_HOURS = 12;

export const toUser = (r: UserRow): AuthUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  departments: r.departments,
});

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Checks a username and password; undefined when either is wrong or the user is inactive. */
export async function checkPassword(db: pg.Pool, username: string, password: string): Promise<AuthUser | undefined> {
  return (await checkPasswordHash(db, username, password))?.user;
}

/** As checkPassword, with the stored hash the password matched (the credentials cache remembers it). */
export async function checkPasswordHash(db: pg.Pool, username: string, password: string): Promise<{ user: AuthUser; passwordHash: string } | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE username = $1`, [username]);
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row?.active ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

/** The user as stored now, if still active and still holding this password hash (a cheap re-check of remembered credentials). */
export async function userIfUnchanged(db: pg.Pool, userId: string, passwordHash: string): Promise<AuthUser | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1 AND active AND password_hash = $2`, [userId, passwordHash]);
  return rows[0] && toUser(rows[0]);
}

/** Whether a user of this name exists (the audit log keeps typed names only of real users). */
export async function userExists(db: pg.Pool, username: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM app_user WHERE username = $1', [username]);
  return (rowCount ?? 0) > 0;
}

export async function createSession(db: pg.Pool, userId: string): Promise<{ sessionId: string; csrfToken: string }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO user_session (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
    [sha256(sessionId), userId, csrfToken, SESSION_HOURS],
  );
  return { sessionId, csrfToken };
}

export async function lookupSession(db: pg.Pool, sessionId: string): Promise<(AuthUser & { csrfToken: string }) | undefined> {
  const { rows } = await db.query<UserRow & { csrf_token: string }>(
    `SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}, s.csrf_token FROM user_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now() AND u.active`,
    [sha256(sessionId)],
  );
  const r = rows[0];
  return r && { ...toUser(r), csrfToken: r.csrf_token };
}

export async function deleteSession(db: pg.Pool, sessionId: string): Promise<void> {
  await db.query('DELETE FROM user_session WHERE id_hash = $1 OR expires_at < now()', [sha256(sessionId)]);
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: UserRole;
  departments?: string[];
}

export async function createUser(db: pg.Pool, u: NewUser): Promise<AuthUser> {
  await assertDepartmentsExist(db, u.departments ?? []);
  const hash = await hashPassword(u.password);
  try {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO app_user (username, display_name, password_hash, role, departments) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
      [u.username, u.displayName ?? u.username, hash, u.role, u.departments ?? []],
    );
    return toUser(rows[0]!);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new HttpProblem(409, `A user named '${u.username}' already exists`, { extra: coded('admin.userExists', { username: u.username }) });
    throw err;
  }
}

export async function assertDepartmentsExist(db: pg.Pool, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await db.query<{ id: string }>('SELECT id FROM department WHERE id = ANY($1)', [ids]);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw new HttpProblem(400, `Unknown department(s): ${missing.join(', ')}; create them first (POST /api/departments)`);
}

export async function listUsers(db: pg.Pool, filter: { department?: string } = {}): Promise<Array<AuthUser & { active: boolean }>> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM app_user WHERE ($1::text IS NULL OR $1 = ANY(departments)) ORDER BY username`,
    [filter.department ?? null],
  );
  return rows.map((r) => ({ ...toUser(r), active: r.active }));
}

/**
 * The first administrator: created on first start from ADMIN_USERNAME / ADMIN_PASSWORD, or as
 * "admin" with a generated password that the start-up output shows once.
 */
export async function ensureInitialAdmin(
  db: pg.Pool,
  admin: { username?: string; password?: string },
): Promise<{ created: boolean; username: string; generatedPassword?: string }> {
  const { rows } = await db.query<{ username: string }>("SELECT username FROM app_user WHERE role = 'admin' ORDER BY id LIMIT 1");
  if (rows[0]) return { created: false, username: rows[0].username };
  const username = admin.username ?? 'admin';
  const generated = admin.password ? undefined : randomBytes(12).toString('base64url');
  try {
    await createUser(db, { username, displayName: '系统管理员', password: admin.password ?? generated!, role: 'admin' });
  } catch (err) {
    // Another server starting at the same time created it first (or a non-admin user has the name).
    if (err instanceof HttpProblem && err.status === 409) return { created: false, username };
    throw err;
  }
  return { created: true, username, ...(generated ? { generatedPassword: generated } : {}) };
}
