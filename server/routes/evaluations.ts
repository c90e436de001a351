/**
 * Customer evaluations and the gap view — thin routes; the work is in assessment/evaluations*.ts and
 * assessment/gap.ts (README "Customer evaluation and the gap view").
 *
 * - GET/POST /e/:token: the customer's one-time link, public (no account), rate-limited per address;
 *   HTML for browsers, problem+json for other clients. Unknown token 404, used or expired 410.
 * - POST /api/evaluations: staff of 95598 (customer-service) or of a hub department record or correct a
 *   case's phone evaluation; GET /api/evaluations lists them (row-level: staff and department heads
 *   outside 95598 and the hub see their departments' cases and what they recorded).
 * - GET /api/assessment/gaps: the four quantities and their gaps per process and department.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CHANNELS, listEvaluations, MAX_COMMENT_LENGTH, MAX_MINUTES, recordPhoneEvaluation, RETURN_VISIT_DEPARTMENTS, type Evaluation, type EvaluationInput } from '../../assessment/evaluations.js';
import { openEvaluationLink, submitEvaluationLink } from '../../assessment/evaluations-link.js';
import { evaluationFormPage, FormError, parseLinkForm, refusedPage, thanksPage } from '../../assessment/evaluations-page.js';
import { chinaMonth, gapCases, gapView } from '../../assessment/gap.js';
import { ServiceError } from '../../services/errors.js';
import type { RequestUser } from '../auth/plugin.js';
import { HttpProblem } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

/** Requests per minute and address on the public link routes. */
export const LINK_RATE = { GET: 30, POST: 10 } as const;
const FORM_BODY_LIMIT = 8 * 1024;

const Key = z.string().regex(/^[1-9][0-9]{0,18}$/, 'processInstanceKey must be a numeric key such as 2251799813685249');
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month looks like 2026-12');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-01');
const Name = z.string().trim().min(1).max(100);
const Minutes = z.number().int().min(0).max(MAX_MINUTES).nullable().optional();

const EvaluationSchema = z.object({
  id: z.string(),
  processInstanceKey: z.string(),
  bpmnProcessId: z.string(),
  businessKey: z.string().nullable(),
  departmentId: z.string().nullable(),
  customerClass: z.string().nullable(),
  area: z.string().nullable(),
  channel: z.enum(CHANNELS),
  satisfaction: z.number().int(),
  satisfied: z.boolean(),
  expectedMinutes: z.number().int().nullable(),
  perceivedMinutes: z.number().int().nullable(),
  comment: z.string().nullable(),
  recordedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  recordedAt: z.string(),
});
const Input = {
  satisfaction: z.number().int().min(1).max(5),
  expectedMinutes: Minutes,
  perceivedMinutes: Minutes,
  comment: z.string().max(MAX_COMMENT_LENGTH).nullable().optional(),
};
const Gap = z.number().nullable();
const GapRowSchema = z.object({
  bpmnProcessId: z.string(),
  departmentId: z.string().nullable(),
  customerClass: z.string().nullable().optional(),
  cases: z.number().int(),
  timedCases: z.number().int(),
  evaluatedCases: z.number().int(),
  plannedMinutes: Gap,
  givenMinutes: Gap,
  expectedMinutes: Gap,
  perceivedMinutes: Gap,
  satisfaction: Gap,
  satisfiedRate: Gap,
  gaps: z.object({ givenMinusPlanned: Gap, perceivedMinusExpected: Gap, perceivedMinusGiven: Gap }),
  largestGap: z.object({ kind: z.enum(['givenMinusPlanned', 'perceivedMinusExpected', 'perceivedMinusGiven']), minutes: z.number() }).nullable(),
});

function period(q: { month?: string | undefined; from?: string | undefined; to?: string | undefined }, required: boolean): { from: Date; to: Date } | undefined {
  if (q.month && (q.from || q.to)) throw new HttpProblem(400, 'month 与 from/to 只能选一种 / give either month or from and to, not both', { type: 'urn:problem:validation' });
  if (q.month) return chinaMonth(q.month);
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new HttpProblem(400, 'from 和 to 须同时给出 / from and to go together (China dates, to exclusive)', { type: 'urn:problem:validation' });
    const from = new Date(`${q.from}T00:00:00+08:00`);
    const to = new Date(`${q.to}T00:00:00+08:00`);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from || to.getTime() - from.getTime() > 366 * 86_400_000) {
      throw new HttpProblem(400, `from/to: 须为有效日期，to 晚于 from，跨度不超过一年 / from ${q.from} and to ${q.to} must be valid dates, to after from, at most a year apart`, {
        type: 'urn:problem:validation',
      });
    }
    return { from, to };
  }
  if (required) throw new HttpProblem(400, 'month 或 from/to 必填 / give month=YYYY-MM or from and to (YYYY-MM-DD)', { type: 'urn:problem:validation' });
  return undefined;
}

/** Whether the user works where return visits are made: 95598 or a hub department (营销部). */
async function inReturnVisitDepartment(app: FastifyInstance, user: RequestUser): Promise<boolean> {
  if (user.departments.some((d) => (RETURN_VISIT_DEPARTMENTS as readonly string[]).includes(d))) return true;
  const { rowCount } = await app.db.query('SELECT 1 FROM department WHERE id = ANY($1::text[]) AND is_hub', [user.departments]);
  return (rowCount ?? 0) > 0;
}

const wantsHtml = (req: FastifyRequest) => /text\/html/.test(String(req.headers.accept ?? ''));
/** The customer's page is Chinese: the part of a "中文 / English" message before the slash. */
const chinese = (message: string) => message.split(' / ')[0]!;

function refuse(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof ServiceError)) throw err;
  const reason = err.extra['reason'];
  const status = err.code === 'NOT_FOUND' ? 404 : reason === 'used' || reason === 'expired' ? 410 : err.code === 'INVALID_ARGUMENT' ? 400 : 409;
  if (!wantsHtml(req)) throw status === 410 ? new HttpProblem(410, err.message, { title: 'Gone', type: `urn:problem:evaluation-link-${String(reason)}` }) : err;
  const title = status === 404 ? '链接无效' : reason === 'used' ? '已评价' : reason === 'expired' ? '链接已过期' : '无法提交';
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(refusedPage(title, chinese(err.message)));
}

export async function evaluationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new HttpProblem(429, `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试 / too many requests from this address; try again in ${Math.ceil(ctx.ttl / 1000)} s`, {
        extra: { retryAfter: Math.ceil(ctx.ttl / 1000) },
      }),
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const TokenParams = z.object({ token: z.string().max(200) });

  r.get(
    '/e/:token',
    {
      config: { rateLimit: { max: LINK_RATE.GET, timeWindow: '1 minute' } },
      schema: routeSchema({ tags: ['evaluations'], summary: '客户评价页 / The customer’s evaluation page of a one-time link (HTML)', params: TokenParams }),
    },
    async (req, reply) => {
      try {
        const link = await openEvaluationLink(app.db, req.params.token);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(evaluationFormPage({ token: req.params.token, bpmnProcessId: link.bpmnProcessId, businessKey: link.businessKey }));
      } catch (err) {
        return refuse(req, reply, err);
      }
    },
  );

  r.post(
    '/e/:token',
    {
      bodyLimit: FORM_BODY_LIMIT,
      config: { rateLimit: { max: LINK_RATE.POST, timeWindow: '1 minute' } },
      schema: routeSchema({
        tags: ['evaluations'],
        summary: '提交客户评价 / Record the customer’s evaluation through the link, once (the page’s form, or JSON {satisfaction, expectedMinutes, perceivedMinutes, comment})',
        params: TokenParams,
        body: z.record(z.string().max(40), z.union([z.string().max(MAX_COMMENT_LENGTH), z.number(), z.null()])),
      }),
    },
    async (req, reply) => {
      const body = req.body;
      const form = /application\/x-www-form-urlencoded/.test(String(req.headers['content-type'] ?? ''));
      let input: EvaluationInput;
      try {
        if (Object.keys(body).length > 10) throw new FormError('字段过多 / too many fields');
        if (form) {
          input = parseLinkForm(body as Record<string, string>);
        } else {
          const parsed = z.object(Input).strict().safeParse(body);
          if (!parsed.success) {
            const i = parsed.error.issues[0]!;
            throw new FormError(`${i.path.join('.') || 'body'}: ${i.message}`);
          }
          input = parsed.data;
        }
      } catch (err) {
        if (!(err instanceof FormError)) throw err;
        if (!wantsHtml(req)) throw new HttpProblem(400, err.message, { type: 'urn:problem:validation' });
        try {
          const link = await openEvaluationLink(app.db, req.params.token);
          return reply
            .code(400)
            .type('text/html; charset=utf-8')
            .send(evaluationFormPage({ token: req.params.token, bpmnProcessId: link.bpmnProcessId, businessKey: link.businessKey, error: chinese(err.message) }));
        } catch (again) {
          return refuse(req, reply, again);
        }
      }
      try {
        const { link, evaluation } = await submitEvaluationLink(app.db, req.params.token, input);
        if (wantsHtml(req)) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(thanksPage(link.businessKey));
        return reply.code(201).send({ businessKey: link.businessKey, satisfaction: evaluation.satisfaction, recordedAt: evaluation.recordedAt });
      } catch (err) {
        return refuse(req, reply, err);
      }
    },
  );

  r.post(
    '/api/evaluations',
    {
      schema: routeSchema({
        tags: ['evaluations'],
        summary: '登记或更正电话回访评价 / Record or correct a case’s phone evaluation (95598 and hub staff); the customer’s own evaluation through the link is kept (409)',
        body: z.object({ processInstanceKey: Key, ...Input }).strict(),
        response: { 200: z.object({ evaluation: EvaluationSchema, created: z.boolean() }), 201: z.object({ evaluation: EvaluationSchema, created: z.boolean() }) },
      }),
    },
    async (req, reply) => {
      const user = req.user!;
      if ((user.role === 'staff' || user.role === 'dept_head') && !(await inReturnVisitDepartment(app, user))) {
        throw new HttpProblem(403, '只有客户服务中心（95598）和营销部人员可以登记回访评价 / only staff of 95598 (customer-service) or the hub record return-visit evaluations', {
          type: 'urn:problem:forbidden',
        });
      }
      const result = await recordPhoneEvaluation(app.db, { ...req.body, actor: user.username });
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  r.get(
    '/api/evaluations',
    {
      schema: routeSchema({
        tags: ['evaluations'],
        summary: '回访评价列表 / Evaluations, newest closed first; filter by process, department, channel, month (China time) or from/to',
        querystring: z.object({
          process: Name.optional(),
          department: Name.optional(),
          channel: z.enum(CHANNELS).optional(),
          month: Month.optional(),
          from: Day.optional(),
          to: Day.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({ items: z.array(EvaluationSchema), page: z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int() }) }),
        },
      }),
    },
    async (req) => {
      const user = req.user!;
      const q = req.query;
      const p = period(q, false);
      const scoped = (user.role === 'staff' || user.role === 'dept_head') && !(await inReturnVisitDepartment(app, user));
      const result: { items: Evaluation[]; page: { totalItems: number; limit: number; offset: number } } = await listEvaluations(app.db, {
        process: q.process,
        department: q.department,
        channel: q.channel,
        from: p?.from,
        to: p?.to,
        limit: q.limit,
        offset: q.offset,
        scope: scoped ? { departments: user.departments, username: user.username } : undefined,
      });
      return result;
    },
  );

  r.get(
    '/api/assessment/gaps',
    {
      schema: routeSchema({
        tags: ['assessment'],
        summary: '服务质量差距 / The gap view: planned, given, expected and perceived service (minutes) per process and department, largest gap first',
        querystring: z.object({
          month: Month.optional(),
          from: Day.optional(),
          to: Day.optional(),
          process: Name.optional(),
          department: Name.optional(),
          groupBy: z.enum(['customerClass']).optional(),
        }),
        response: { 200: z.object({ from: z.string(), to: z.string(), unit: z.literal('minutes'), items: z.array(GapRowSchema) }) },
      }),
    },
    async (req) => {
      const p = period(req.query, true)!;
      const items = await gapView(app.db, { ...p, process: req.query.process, department: req.query.department, byCustomerClass: req.query.groupBy === 'customerClass' });
      return { from: p.from.toISOString(), to: p.to.toISOString(), unit: 'minutes' as const, items };
    },
  );

  r.get(
    '/api/assessment/gaps/cases',
    {
      schema: routeSchema({
        tags: ['assessment'],
        summary: '差距明细 / The cases behind a row of the gap view, each with its own planned, given, expected and perceived minutes; the largest gaps first',
        querystring: z.object({
          month: Month.optional(),
          from: Day.optional(),
          to: Day.optional(),
          process: Name,
          department: Name.optional(),
          customerClass: Name.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                processInstanceKey: z.string(),
                businessKey: z.string().nullable(),
                bpmnProcessId: z.string(),
                departmentId: z.string().nullable(),
                customerClass: z.string().nullable(),
                closedAt: z.string(),
                plannedMinutes: Gap,
                givenMinutes: Gap,
                expectedMinutes: Gap,
                perceivedMinutes: Gap,
                satisfaction: Gap,
              }),
            ),
            page: z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
          }),
        },
      }),
    },
    async (req) => {
      const q = req.query;
      const p = period(q, true)!;
      return gapCases(app.db, { ...p, process: q.process, department: q.department, customerClass: q.customerClass, limit: q.limit, offset: q.offset });
    },
  );
}
