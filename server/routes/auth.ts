/** Sign-in, sign-out, the current user, self-service password change and API tokens. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/plugin.js';
import { ROLE_NAMES, ROLES } from '../auth/roles.js';
import { createSession, deleteSession, SESSION_HOURS } from '../auth/users.js';
import { tokenRoutes } from './tokens.js';
import { languageOf, LANGUAGES } from './preferences.js';
import { HttpProblem, ProblemSchema } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';


const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleName: z.string(),
  departments: z.array(z.string()),
  language: z.enum(LANGUAGES),
  csrfToken: z.string().optional(),
});

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/sign-in',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: '登录 / Sign in (sets an httpOnly session cookie)',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
        response: { 200: Me, 401: ProblemSchema, 429: ProblemSchema },
      }),
    },
    async (req, reply) => {
      // The same attempt limit as HTTP Basic and bearer tokens (AUTH_ATTEMPTS_PER_MINUTE per address and username).
      const user = await app.credentials.password(req.ip, req.body.username, req.body.password, false).catch((err: unknown) => {
        if (err instanceof HttpProblem && err.status === 429) reply.header('retry-after', String(err.extra.retryAfter ?? 60));
        throw err;
      });
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
      const language = await languageOf(app.db, user.id);
      return { ...user, roleName: ROLE_NAMES[user.role][language === 'en' ? 'en' : 'zh'], language, csrfToken };
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
    const language = await languageOf(app.db, u.id);
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      roleName: ROLE_NAMES[u.role][language === 'en' ? 'en' : 'zh'],
      departments: u.departments,
      language,
      ...(u.csrfToken ? { csrfToken: u.csrfToken } : {}),
    };
  };
  r.get(
    '/api/auth/me',
    { schema: routeSchema({ tags: ['auth'], summary: `当前用户 / The signed-in user (with the CSRF token to send as ${CSRF_HEADER})`, response: { 200: Me } }) },
    me,
  );
  r.get('/v2/authentication/me', { schema: routeSchema({ tags: ['auth'], summary: 'The authenticated user (Camunda 8 form)', response: { 200: Me } }) }, me);

  await tokenRoutes(app);
}
