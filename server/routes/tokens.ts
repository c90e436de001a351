/** API tokens of the signed-in user (administrators: of anyone), and the self-service password change. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/plugin.js';
import { hashPassword } from '../auth/password.js';
import { createToken, listTokens, revokeToken } from '../auth/tokens.js';
import { afterUserChange } from '../auth/user-changes.js';
import { HttpProblem } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

const Token = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().optional(),
});

export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { apiTokenDays, apiTokenMaxDays } = app.config.security;

  r.post(
    '/api/auth/tokens',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: `Create an API token for the signed-in user (shown once; send as "Authorization: Bearer <token>"); expires after expiresInDays (default ${apiTokenDays}, at most ${apiTokenMaxDays})`,
        body: z.object({
          name: z.string().min(1).max(100),
          expiresInDays: z
            .number()
            .int()
            .min(1, 'expiresInDays must be at least 1')
            .max(apiTokenMaxDays, `expiresInDays must be at most ${apiTokenMaxDays} (API_TOKEN_MAX_DAYS)`)
            .optional(),
        }),
        response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string(), expiresAt: z.string() }) },
      }),
    },
    async (req, reply) => {
      // A stolen token must not mint itself a longer life: new tokens need a password or a browser session.
      if (req.user!.via === 'bearer') {
        throw new HttpProblem(403, 'An API token cannot create API tokens; sign in or send HTTP Basic credentials (令牌不能创建令牌)', { title: 'Forbidden' });
      }
      const { id, token, expiresAt } = await createToken(app.db, req.user!.id, req.body.name, req.body.expiresInDays ?? apiTokenDays);
      return reply.code(201).send({ id, name: req.body.name, token, expiresAt });
    },
  );

  r.get(
    '/api/auth/tokens',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: 'API tokens that have not expired: your own; administrators may ask for one user (userId) or everyone (all=true)',
        querystring: z.object({
          userId: z.string().regex(/^\d{1,18}$/, 'userId must be numeric').optional(),
          all: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(Token) }) },
      }),
    },
    async (req) => {
      const me = req.user!;
      const others = req.query.all === 'true' || (req.query.userId !== undefined && req.query.userId !== me.id);
      if (others && me.role !== 'admin') {
        throw new HttpProblem(403, "Only administrators may list other users' tokens (只能查看自己的令牌)", { title: 'Forbidden' });
      }
      const userId = req.query.all === 'true' ? undefined : (req.query.userId ?? me.id);
      return { items: await listTokens(app.db, userId) };
    },
  );

  r.delete(
    '/api/auth/tokens/:tokenId',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: 'Revoke an API token (your own; administrators: anyone’s)',
        params: z.object({ tokenId: z.string().regex(/^\d{1,18}$/, 'tokenId must be numeric') }),
      }),
    },
    async (req, reply) => {
      const me = req.user!;
      const revoked = await revokeToken(app.db, req.params.tokenId, me.role === 'admin' ? undefined : me.id);
      if (!revoked) throw new HttpProblem(404, `API token ${req.params.tokenId} not found among the tokens you may revoke`);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/auth/password',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: '修改密码 / Change your own password (needs the current one; ends your other sessions and revokes your API tokens)',
        body: z.object({
          currentPassword: z.string().min(1, 'currentPassword is required').max(200),
          newPassword: z.string().min(8, 'newPassword must have at least 8 characters').max(200),
        }),
      }),
    },
    async (req, reply) => {
      const me = req.user!;
      const ok = await app.credentials.password(req.ip, me.username, req.body.currentPassword, false);
      if (!ok || ok.id !== me.id) {
        throw new HttpProblem(400, '当前密码错误 / currentPassword is wrong', { type: 'urn:problem:wrong-password', title: 'Bad Request' });
      }
      await app.db.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [me.id, await hashPassword(req.body.newPassword)]);
      const sid = me.via === 'session' ? req.cookies[SESSION_COOKIE] : undefined;
      await afterUserChange(app, me.id, { credentialsEnd: true, ...(sid ? { keepSessionId: sid } : {}) });
      return reply.code(204).send();
    },
  );
}
