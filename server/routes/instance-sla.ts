/**
 * The SLA clocks of one process instance, open and ended (the instance monitor's SLA section).
 * Permission sla.clocks.read; row scope as the open clocks (server/auth/visibility.ts clockScope):
 * staff and department heads see their departments' clocks and those they are the assignee of.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { instanceClocks } from '../../sla/open-clocks.js';
import { clockScope } from '../auth/visibility.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { Clock } from './hub.js';
import { KeyParam } from './v2/search.js';

/** More clocks than one instance has in practice (a clock per step and span); the rest are cut. */
export const MAX_INSTANCE_CLOCKS = 500;

export async function instanceSlaRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/process-instances/:processInstanceKey/sla-clocks',
    {
      schema: routeSchema({
        tags: ['sla'],
        summary: '实例的全部时限计时（含已结束）/ All SLA clocks of an instance, open and ended, in start order (department heads and staff: their departments)',
        params: KeyParam('processInstanceKey'),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(MAX_INSTANCE_CLOCKS).default(200) }),
        response: { 200: z.object({ items: z.array(Clock) }) },
      }),
    },
    async (req) => instanceClocks(app.db, clockScope(req.user!), req.params.processInstanceKey, req.query.limit),
  );
}
