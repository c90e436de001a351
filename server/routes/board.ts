/**
 * The SLA board's routes (thin: the SQL is in sla/board.ts): figures per department, the heatmap of a
 * process's elements and the trends by day or week. Permission sla.board.read (server/auth/roles.ts);
 * department heads are scoped to their own departments (another department: 403).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FIGURES, GRANULARITIES, MAX_FIGURE_PAGE, slaBoard, slaFigureClocks, slaHeatmap, slaTrends } from '../../sla/board.js';
import type { RequestUser } from '../auth/plugin.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

const Instant = z.string().max(40);
const Department = z.string().min(1).max(64);
const Period = { from: Instant.optional(), to: Instant.optional() };
const Rate = z.number().nullable();

/** Department heads see their own departments only; everyone else holding the permission sees all. */
function boardScope(user: RequestUser): string[] | undefined {
  return user.role === 'dept_head' ? user.departments : undefined;
}

export async function boardRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sla'];
  const deps = () => ({ pool: app.db });
  /** The figures of a department's row on the board and of its totals. */
  const BoardCounts = {
    open: z.number().int(),
    openBreached: z.number().int(),
    openAtRisk: z.number().int(),
    breaches: z.number().int(),
    met: z.number().int(),
    late: z.number().int(),
    onTimeRate: Rate,
  };

  r.get(
    '/api/sla/board',
    {
      schema: routeSchema({
        tags,
        summary:
          'SLA 看板 / Per department: open clocks breached and at risk, and for the period (from..to, ≤ 366 days, default the last 30) breaches, met, late and the on-time rate',
        querystring: z.object({ ...Period, department: Department.optional() }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            atRiskWindowMs: z.number(),
            departments: z.array(
              z.object({ department: z.string(), name: z.string().nullable(), ...BoardCounts }),
            ),
            totals: z.object(BoardCounts),
          }),
        },
      }),
    },
    async (req) => slaBoard(deps(), boardScope(req.user!), req.query),
  );

  r.get(
    '/api/sla/heatmap',
    {
      schema: routeSchema({
        tags,
        summary:
          '流程热力图 / Per element of a process (one version, or all): clocks started in the period, open, mean duration of the ended ones, breach rate',
        querystring: z.object({
          processId: z.string().min(1).max(200),
          version: z.coerce.number().int().min(1).max(1_000_000).optional(),
          ...Period,
          department: Department.optional(),
        }),
        response: {
          200: z.object({
            processId: z.string(),
            version: z.number().int().nullable(),
            processDefinitionKey: z.string(),
            diagramVersion: z.number().int(),
            from: z.string(),
            to: z.string(),
            elements: z.array(
              z.object({
                elementId: z.string(),
                name: z.string().nullable(),
                count: z.number().int(),
                open: z.number().int(),
                ended: z.number().int(),
                meanDurationMs: z.number().nullable(),
                breached: z.number().int(),
                breachRate: z.number(),
              }),
            ),
          }),
        },
      }),
    },
    async (req) => slaHeatmap(deps(), boardScope(req.user!), req.query),
  );

  r.get(
    '/api/sla/trends',
    {
      schema: routeSchema({
        tags,
        summary: '时限趋势 / Clocks started, met, late and breaches per day or week (buckets in the time zone tz, default Asia/Shanghai)',
        querystring: z.object({
          ...Period,
          department: Department.optional(),
          granularity: z.enum(GRANULARITIES).optional(),
          tz: z.string().min(1).max(64).optional(),
        }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            granularity: z.enum(GRANULARITIES),
            tz: z.string(),
            buckets: z.array(
              z.object({
                bucket: z.string(),
                started: z.number().int(),
                met: z.number().int(),
                late: z.number().int(),
                breached: z.number().int(),
                onTimeRate: Rate,
              }),
            ),
          }),
        },
      }),
    },
    async (req) => slaTrends(deps(), boardScope(req.user!), req.query),
  );

  r.get(
    '/api/sla/board/clocks',
    {
      schema: routeSchema({
        tags,
        summary:
          '看板数字背后的事项 / The clocks behind a figure: a department’s breaches, met or late steps in the period, or an element’s clocks (started) in the heatmap; newest first',
        querystring: z.object({
          figure: z.enum(FIGURES),
          ...Period,
          department: Department.optional(),
          processId: z.string().min(1).max(200).optional(),
          version: z.coerce.number().int().min(1).max(1_000_000).optional(),
          elementId: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_FIGURE_PAGE).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                clockKey: z.string(),
                processInstanceKey: z.string(),
                bpmnProcessId: z.string(),
                version: z.number().int(),
                elementId: z.string(),
                name: z.string().nullable(),
                businessKey: z.string().nullable(),
                departments: z.array(z.string()),
                assignee: z.string().nullable(),
                status: z.string(),
                outcome: z.string().nullable(),
                breached: z.boolean(),
                startedAt: z.string(),
                dueAt: z.string().nullable(),
                endedAt: z.string().nullable(),
              }),
            ),
            page: z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
          }),
        },
      }),
    },
    async (req) => slaFigureClocks(deps(), boardScope(req.user!), req.query),
  );
}
