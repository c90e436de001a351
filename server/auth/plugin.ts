/**
 * Authentication and authorisation for every route.
 *
 * Who: a browser session (httpOnly cookie "sid" + CSRF header "x-csrf-token" on changes), HTTP
 * Basic (username:password) or a bearer API token — what Camunda 8 clients send.
 * What: each route's permission comes from server/auth/route-permissions.ts (checked at start-up);
 * 401 and 403 are problem+json. Every change of state is written to the audit log.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { HttpProblem, sendProblem } from '../http/problem.js';
import { recordAudit } from './audit.js';
import { allows, ROLE_NAMES, type Permission } from './roles.js';
import { permissionOf } from './route-permissions.js';
import { Credentials } from './credentials.js';
import { lookupSession, type AuthUser } from './users.js';

export const SESSION_COOKIE = 'sid';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestUser extends AuthUser {
  via: 'session' | 'basic' | 'bearer';
  csrfToken?: string;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  permission: Permission;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: RequestUser | null;
  }
  interface FastifyContextConfig {
    permission?: Permission;
  }
  interface FastifyInstance {
    /** Every route with its permission (for the authorisation matrix and the docs). */
    routeTable: RegisteredRoute[];
    /** Password and token checks with the shared attempt limit and the remembered Basic credentials. */
    credentials: Credentials;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function unauthenticated(): HttpProblem {
  return new HttpProblem(
    401,
    'Sign in first: POST /api/auth/sign-in in the browser, or send HTTP Basic credentials or a bearer API token (请先登录)',
    { type: 'urn:problem:unauthenticated', title: 'Unauthorized' },
  );
}

function forbidden(user: RequestUser, permission: Permission): HttpProblem {
  return new HttpProblem(
    403,
    `Your role ${ROLE_NAMES[user.role].zh} (${user.role}) does not have permission '${permission}' for this request (无权执行此操作)`,
    { type: 'urn:problem:forbidden', title: 'Forbidden', extra: { permission, role: user.role } },
  );
}

async function identify(db: pg.Pool, req: FastifyRequest, credentials: Credentials): Promise<RequestUser | null> {
  const header = req.headers.authorization;
  if (header) {
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) throw unauthenticated();
      const user = await credentials.password(req.ip, decoded.slice(0, i), decoded.slice(i + 1), true);
      if (!user) throw unauthenticated();
      return { ...user, via: 'basic' };
    }
    if (scheme?.toLowerCase() === 'bearer') {
      const user = await credentials.token(req.ip, value.trim());
      if (!user) throw unauthenticated();
      return { ...user, via: 'bearer' };
    }
    throw unauthenticated();
  }
  const sid = req.cookies[SESSION_COOKIE];
  if (sid) {
    const user = await lookupSession(db, sid);
    if (user) return { ...user, via: 'session' };
  }
  return null;
}

/** Installs cookie parsing, the route-permission check at start-up and the per-request hooks. */
export async function installAuth(app: FastifyInstance, db: pg.Pool): Promise<void> {
  await app.register(cookie);
  const credentials = new Credentials(db, app.config.security.credentialAttempts);
  app.decorate('credentials', credentials);
  app.decorate('routeTable', [] as RegisteredRoute[]);
  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // The table is the one place for product routes; an ad-hoc route (tests) may carry config.permission.
      const permission = permissionOf(method, route.url) ?? (route.config as { permission?: Permission } | undefined)?.permission;
      if (!permission) {
        throw new Error(`route ${method} ${route.url} has no permission: declare it in server/auth/route-permissions.ts`);
      }
      route.config = { ...(route.config ?? {}), permission } as typeof route.config;
      if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, permission });
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const permission = req.routeOptions.config?.permission;
    if (!permission) return; // no route matched: the not-found handler answers
    let user: RequestUser | null;
    try {
      user = await identify(db, req, credentials);
    } catch (err) {
      if (err instanceof HttpProblem) {
        if (err.status === 429) reply.header('retry-after', String(err.extra.retryAfter ?? 60));
        return sendProblem(reply, err.toJSON());
      }
      throw err;
    }
    req.user = user;
    if (permission === 'public') return;
    if (!user) return sendProblem(reply.header('www-authenticate', 'Bearer realm="gongdian-flow"'), unauthenticated().toJSON());
    if (user.via === 'session' && UNSAFE.has(req.method) && req.headers[CSRF_HEADER] !== user.csrfToken) {
      return sendProblem(
        reply,
        new HttpProblem(403, `Missing or wrong ${CSRF_HEADER} header: send the csrfToken from GET /api/auth/me with every change`, {
          type: 'urn:problem:csrf',
          title: 'Forbidden',
        }).toJSON(),
      );
    }
    if (!allows(permission, user.role)) return sendProblem(reply, forbidden(user, permission).toJSON());
  });

  // Written before the answer leaves (onSend, not onResponse): a client that has its answer finds
  // the entry in the log, and a crash after the answer cannot lose it.
  app.addHook('onSend', async (req, reply, payload) => {
    // Changes of state only: Camunda's searches are POSTs but read.
    const permission = req.routeOptions.config?.permission;
    if (!UNSAFE.has(req.method) || !req.routeOptions.url || permission?.endsWith('.read')) return payload;
    await recordAudit(db, req, reply.statusCode).catch((err: unknown) => req.log.error({ err }, 'audit log write failed'));
    return payload;
  });
}
