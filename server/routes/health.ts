/**
 * GET /api/health — liveness: the process answers.
 * GET /api/ready  — readiness: PostgreSQL and Temporal answer and every migration file is applied;
 *                   under `npm start` also the supervised parts (server/platform/supervisor.ts) are up.
 *                   It answers within 1 s: each check is bounded, and a part known to be down is
 *                   reported without being asked. A 503 carries Retry-After.
 */
import { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { migrationStatus } from '../../db/migrate.js';
import { HttpProblem, ProblemSchema, sendProblem } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

/** Budget of all checks together; the answer comes within 1 s even when a dependency hangs. */
const CHECK_BUDGET_MS = 800;
const RETRY_AFTER_SECONDS = 5;

const Health = z.object({ status: z.literal('ok') });
const ComponentState = z.object({ ok: z.boolean(), detail: z.string() });
const Ready = z.object({
  status: z.literal('ready'),
  components: z.object({
    postgres: ComponentState,
    temporal: ComponentState,
    migrations: ComponentState,
    worker: ComponentState.optional(),
  }),
});

type Component = z.infer<typeof ComponentState>;

function withTimeout<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ms = Math.max(0, deadline - Date.now());
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${(CHECK_BUDGET_MS / 1000).toFixed(1)}s`)), ms);
  });
  work.catch(() => undefined); // a late failure after the timeout is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function check(work: () => Promise<string>, deadline: number, what: string): Promise<Component> {
  try {
    return { ok: true, detail: await withTimeout(work(), deadline, what) };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Temporal is probed over a connection of its own without the SDK's retry interceptor: its retries
  // sleep past any deadline (readiness took over 5 s while Temporal was down) and, still pending when
  // the client's connection closed, threw "Channel has been shut down" from a timer.
  let probeConnection: Connection | undefined;
  const probe = (): Connection => {
    const options = (app.temporal.client.connection as Partial<Connection>).options;
    return (probeConnection ??= Connection.lazy({ ...options, interceptors: [] }));
  };
  app.addHook('onClose', async () => {
    await probeConnection?.close();
  });

  r.get(
    '/api/health',
    { schema: routeSchema({ tags: ['platform'], summary: 'Liveness: the server process answers', response: { 200: Health } }) },
    async () => ({ status: 'ok' as const }),
  );

  r.get(
    '/api/ready',
    {
      schema: routeSchema({
        tags: ['platform'],
        summary: 'Readiness: PostgreSQL, Temporal and the database schema are usable',
        response: { 200: Ready, 503: ProblemSchema },
      }),
    },
    async (_request, reply) => {
      const deadline = Date.now() + CHECK_BUDGET_MS;
      const supervised = new Map((app.platformStatus?.components() ?? []).map((c) => [c.name, c]));
      const known = (name: string): Component | null => {
        const c = supervised.get(name);
        return c && c.state !== 'up' ? { ok: false, detail: c.detail } : null;
      };
      const database = async (): Promise<{ postgres: Component; migrations: Component }> => {
        const postgres =
          known('postgres') ??
          (await check(async () => {
            await app.db.query('SELECT 1');
            return 'reachable';
          }, deadline, 'PostgreSQL'));
        if (!postgres.ok) return { postgres, migrations: { ok: false, detail: 'not checked: PostgreSQL is unreachable' } };
        const migrations = await check(async () => {
          const status = await migrationStatus(app.db);
          if (status.pending.length > 0) throw new Error(`not applied: ${status.pending.map((f) => f.file).join(', ')}`);
          return `${status.applied.length} applied`;
        }, deadline, 'migration check');
        return { postgres, migrations };
      };
      const [{ postgres, migrations }, temporal] = await Promise.all([
        database(),
        known('temporal') ??
          check(async () => {
            const { namespace } = app.temporal;
            const connection = probe();
            await connection.withDeadline(deadline, () => connection.workflowService.describeNamespace({ namespace }));
            return `namespace ${namespace} reachable`;
          }, deadline, 'Temporal'),
      ]);
      const worker = supervised.get('worker');
      const components = {
        postgres,
        temporal,
        migrations,
        ...(worker ? { worker: { ok: worker.state === 'up', detail: worker.detail } } : {}),
      };
      const failing = Object.entries(components).filter(([, c]) => !c.ok);
      if (failing.length > 0) {
        reply.header('retry-after', String(app.platformStatus?.retryAfterSeconds() ?? RETRY_AFTER_SECONDS));
        // Sent, not thrown: an expected answer while a part is down, not an error for the log.
        return sendProblem(
          reply,
          new HttpProblem(503, failing.map(([name, c]) => `${name}: ${c.detail}`).join('; '), {
            type: 'urn:problem:not-ready',
            title: 'Not ready',
            extra: { failing: failing.map(([name]) => name), components },
          }).toJSON(),
        );
      }
      return { status: 'ready' as const, components };
    },
  );
}
