/**
 * What follows a change of a user: remembered Basic credentials are forgotten on every change; a new
 * password or a deactivation also ends the user's browser sessions (all but the one that made the
 * change, for a self-service password change) and revokes every API token.
 */
import type { FastifyInstance } from 'fastify';
import { revokeUserTokens } from './tokens.js';
import { sha256 } from './users.js';

export async function afterUserChange(
  app: FastifyInstance,
  userId: string,
  change: { credentialsEnd: boolean; keepSessionId?: string },
): Promise<void> {
  app.credentials.forgetUser(userId);
  if (!change.credentialsEnd) return;
  await app.db.query('DELETE FROM user_session WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [
    userId,
    change.keepSessionId ? sha256(change.keepSessionId) : null,
  ]);
  await revokeUserTokens(app.db, userId);
  // A request that read the user before the change may have remembered it again meanwhile.
  app.credentials.forgetUser(userId);
}
