/** Sign-in, sign-out, the current user and API tokens. */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/plugin.js';
import { ROLE_NAMES, ROLES } from '../auth/roles.js';
import { checkPassword, createSession, createToken, deleteSession, SESSION_HOURS } from '../auth/users.js';
import { HttpProblem, ProblemSchema } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

/** Sign-in attempts allowed per address and username within a minute. */
export const SIGN_IN_LIMIT = 10;

const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleName: z.string(),
  departments: z.array(z.string()),
  csrfToken: z.string().optional(),
});

export async function authRoutes(app: FastifyInstance): Promise<void> {
  // preHandler: the key needs the parsed body (the username).
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/sign-in',
    {
      config: {
        rateLimit: {
          max: SIGN_IN_LIMIT,
          timeWindow: 60_000,
          keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
        },
      },
      schema: routeSchema({
        tags: ['auth'],
        summary: '登录 / Sign in (sets an httpOnly session cookie)',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
        response: { 200: Me, 401: ProblemSchema },
      }),
    },
    async (req, reply) => {
      const user = await checkPassword(app.db, req.body.username, req.body.password);
      if (!user) {
        throw new HttpProblem(401, '用户名或密码错误 / wrong username or password', { type: 'urn:problem:sign-in-failed', title: 'Unauthorized' });
      }
      const { sessionId, csrfToken } = await createSession(app.db, user.id);
      req.user = { ...user, via: 'session', csrfToken };
      reply.setCookie(SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        path: '/',
        maxAge: SESSION_HOURS * 3600,
      });
      return { ...user, roleName: ROLE_NAMES[user.role].zh, csrfToken };
    },
  );

  r.post(
    '/api/auth/sign-out',
    { schema: routeSchema({ tags: ['auth'], summary: '退出 / Sign out' }) },
    async (req, reply) => {
      const sid = req.cookies[SESSION_COOKIE];
      if (sid) await deleteSession(app.db, sid);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  const me = async (req: { user: import('../auth/plugin.js').RequestUser | null }) => {
    const u = req.user!;
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      roleName: ROLE_NAMES[u.role].zh,
      departments: u.departments,
      ...(u.csrfToken ? { csrfToken: u.csrfToken } : {}),
    };
  };
  r.get(
    '/api/auth/me',
    { schema: routeSchema({ tags: ['auth'], summary: `当前用户 / The signed-in user (with the CSRF token to send as ${CSRF_HEADER})`, response: { 200: Me } }) },
    me,
  );
  r.get('/v2/authentication/me', { schema: routeSchema({ tags: ['auth'], summary: 'The authenticated user (Camunda 8 form)', response: { 200: Me } }) }, me);

  r.post(
    '/api/auth/tokens',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: 'Create an API token for the signed-in user (shown once; send as "Authorization: Bearer <token>")',
        body: z.object({ name: z.string().min(1).max(100) }),
        response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string() }) },
      }),
    },
    async (req, reply) => {
      const { id, token } = await createToken(app.db, req.user!.id, req.body.name);
      return reply.code(201).send({ id, name: req.body.name, token });
    },
  );
}
