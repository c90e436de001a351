/**
 * GET /api/health — liveness: the process answers.
 * GET /api/ready  — readiness: PostgreSQL and Temporal answer and every migration file is applied.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { migrationStatus } from '../../db/migrate.js';
import { HttpProblem, ProblemSchema } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

const CHECK_TIMEOUT_MS = 3000;

const Health = z.object({ status: z.literal('ok') });
const ComponentState = z.object({ ok: z.boolean(), detail: z.string() });
const Ready = z.object({
  status: z.literal('ready'),
  components: z.object({ postgres: ComponentState, temporal: ComponentState, migrations: ComponentState }),
});

type Component = z.infer<typeof ComponentState>;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000}s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function check(work: () => Promise<string>, what: string | null): Promise<Component> {
  try {
    // what === null: the work enforces its own deadline (a gRPC deadline) and must be awaited to the
    // end, so that no retry of it is still pending when the connection closes.
    return { ok: true, detail: await (what === null ? work() : withTimeout(work(), what)) };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
    async () => {
      const [postgres, temporal] = await Promise.all([
        check(async () => {
          await app.db.query('SELECT 1');
          return 'reachable';
        }, 'PostgreSQL'),
        check(async () => {
          const { client, namespace } = app.temporal;
          await client.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            client.connection.workflowService.describeNamespace({ namespace }),
          );
          return `namespace ${namespace} reachable`;
        }, null),
      ]);
      const migrations = postgres.ok
        ? await check(async () => {
            const status = await migrationStatus(app.db);
            if (status.pending.length > 0) {
              throw new Error(`not applied: ${status.pending.map((f) => f.file).join(', ')}`);
            }
            return `${status.applied.length} applied`;
          }, 'migration check')
        : { ok: false, detail: 'not checked: PostgreSQL is unreachable' };
      const components = { postgres, temporal, migrations };
      const failing = Object.entries(components).filter(([, c]) => !c.ok);
      if (failing.length > 0) {
        throw new HttpProblem(503, failing.map(([name, c]) => `${name}: ${c.detail}`).join('; '), {
          type: 'urn:problem:not-ready',
          title: 'Not ready',
          extra: { failing: failing.map(([name]) => name), components },
        });
      }
      return { status: 'ready' as const, components };
    },
  );
}
