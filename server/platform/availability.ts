/**
 * How the HTTP server of `npm start` behaves while a supervised part is down (supervisor.ts):
 *
 * - PostgreSQL down: every API request (/api/…, /v2/…) except /api/health and /api/ready answers at
 *   once with 503 application/problem+json naming PostgreSQL, instead of waiting for a connection
 *   (sign-in and every permission check need the database). The web app's files are still served.
 * - Any answer of 500 or more while a part is down becomes that 503, naming the failing parts.
 * - Every 503 carries Retry-After (seconds until the next restart attempt, at least 1).
 *
 * /api/ready reads the same state (routes/health.ts) through the `platformStatus` decoration.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../http/problem.js';
import type { ComponentReport } from './supervisor.js';

export interface PlatformStatus {
  /** Every supervised part with its state; empty when nothing is supervised (separate roles, tests). */
  components(): ComponentReport[];
  /** Seconds until it is worth trying again. */
  retryAfterSeconds(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by server/main.ts (role all) when it supervises PostgreSQL, Temporal and the worker. */
    platformStatus?: PlatformStatus;
  }
}

const ALWAYS_ANSWERED = new Set(['/api/health', '/api/ready']);

function isApi(url: string): boolean {
  const p = url.split('?')[0] ?? '';
  return (p.startsWith('/api/') || p.startsWith('/v2/')) && !ALWAYS_ANSWERED.has(p);
}

export function unavailableProblem(down: ComponentReport[]): Problem {
  const names = down.map((c) => c.name);
  return {
    type: 'urn:problem:unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: `暂不可用 / temporarily unavailable: ${down.map((c) => c.detail).join('; ')}. 请稍后重试 / try again shortly`,
    failing: names,
  };
}

function down(status: PlatformStatus): ComponentReport[] {
  return status.components().filter((c) => c.state !== 'up');
}

/** Installs the hooks on the root instance (before listen). */
export function installAvailability(app: FastifyInstance, status: PlatformStatus): void {
  app.decorate('platformStatus', status);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const postgres = down(status).filter((c) => c.name === 'postgres');
    if (postgres.length === 0 || !isApi(request.url)) return;
    await reply
      .code(503)
      .header('retry-after', String(status.retryAfterSeconds()))
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(unavailableProblem(postgres)));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 500) return payload;
    const failing = down(status);
    if (!reply.hasHeader('retry-after') && (reply.statusCode === 503 || failing.length > 0)) {
      reply.header('retry-after', String(status.retryAfterSeconds()));
    }
    if (failing.length === 0 || reply.statusCode === 503 || !isApi(request.url)) return payload;
    reply.code(503).type(PROBLEM_CONTENT_TYPE);
    return JSON.stringify(unavailableProblem(failing));
  });
}
