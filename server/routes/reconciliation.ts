/** GET /api/admin/reconciliation: what the reconciliation sweep found and repaired (administrators). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { reconciliationReport } from '../../services/reconcile.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

const Run = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  checked: z.record(z.string(), z.number()),
  repaired: z.record(z.string(), z.number()),
  error: z.string().optional(),
});

export async function reconciliationRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/admin/reconciliation',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '对账 / Reconciliation of the read model with Temporal: latest runs and total repairs',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        response: {
          200: z.object({ intervalSeconds: z.number(), runs: z.array(Run), totalRepaired: z.record(z.string(), z.number()) }),
        },
      }),
    },
    async (req) => ({ intervalSeconds: app.config.reconcileIntervalMs / 1000, ...(await reconciliationReport(app.db, req.query.limit)) }),
  );
}
