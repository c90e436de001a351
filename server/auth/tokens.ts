/**
 * API tokens: "gft_" + 32 random bytes, stored as a SHA-256 hash with an expiry. Listed and revoked
 * by their owner (administrators: anyone's); all of a user's tokens are revoked when the password
 * changes or the user is deactivated. A revoked token is deleted (the audit log keeps the revocation).
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { USER_COLUMNS, sha256, toUser, type AuthUser, type UserRow } from './users.js';

export interface TokenInfo {
  id: string;
  userId: string;
  username: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
}

export async function createToken(db: pg.Pool, userId: string, name: string, days: number): Promise<{ id: string; token: string; expiresAt: string }> {
  const token = `gft_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ id: string; expires_at: Date }>(
    `INSERT INTO api_token (token_hash, user_id, name, expires_at) VALUES ($1, $2, $3, now() + make_interval(days => $4))
     RETURNING id::text, expires_at`,
    [sha256(token), userId, name, days],
  );
  return { id: rows[0]!.id, token, expiresAt: rows[0]!.expires_at.toISOString() };
}

/** The token's user when the token exists, has not expired and its user is active. */
export async function lookupToken(db: pg.Pool, token: string): Promise<AuthUser | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE api_token t SET last_used_at = now() FROM app_user u
      WHERE t.token_hash = $1 AND t.expires_at > now() AND u.id = t.user_id AND u.active
     RETURNING ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}`,
    [sha256(token)],
  );
  return rows[0] && toUser(rows[0]);
}

/** Unexpired tokens, of one user or (userId undefined) of everyone; never the secret. */
export async function listTokens(db: pg.Pool, userId: string | undefined): Promise<TokenInfo[]> {
  const { rows } = await db.query<{ id: string; user_id: string; username: string; name: string; created_at: Date; expires_at: Date; last_used_at: Date | null }>(
    `SELECT t.id::text, t.user_id::text, u.username, t.name, t.created_at, t.expires_at, t.last_used_at
       FROM api_token t JOIN app_user u ON u.id = t.user_id
      WHERE ($1::bigint IS NULL OR t.user_id = $1) AND t.expires_at > now()
      ORDER BY t.id DESC LIMIT 1000`,
    [userId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    username: r.username,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    ...(r.last_used_at ? { lastUsedAt: r.last_used_at.toISOString() } : {}),
  }));
}

/** Deletes one token; owner undefined = any user's (administrators). False when there is no such token (for that owner). */
export async function revokeToken(db: pg.Pool, tokenId: string, owner: string | undefined): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM api_token WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2)', [tokenId, owner ?? null]);
  return (rowCount ?? 0) > 0;
}

/** Deletes every token of a user, and the expired tokens of everyone while at it. */
export async function revokeUserTokens(db: pg.Pool | pg.PoolClient, userId: string): Promise<void> {
  await db.query('DELETE FROM api_token WHERE user_id = $1 OR expires_at < now()', [userId]);
}
