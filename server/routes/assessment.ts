/**
 * Supervision and assessment (监督考核) under /api/assessment — thin: the work is in assessment/
 * (indicators, scorecards and ranking, rules, exemptions, drill-down, exports). Permissions:
 * server/auth/route-permissions.ts; row scopes here: department heads' drill-downs and staff's and
 * heads' exemptions are limited to their departments. Mutations are audited by the auth plugin.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DRILL_INDICATORS, drillDown, MAX_DRILL_PAGE, MAX_EXPORT_ROWS, type DrillQuery } from '../../assessment/drilldown.js';
import { decideExemption, EXEMPTION_STATES, fileExemption, listExemptions, MAX_REASON_LENGTH } from '../../assessment/exemptions.js';
import { drillSheet, rankingSheet, scorecardSheets, toCsv, toXlsx, type Sheet } from '../../assessment/export.js';
import { computeIndicators } from '../../assessment/indicators.js';
import { parsePeriod } from '../../assessment/period.js';
import { addRuleVersion, inForce, listRuleVersions, RulesSchema } from '../../assessment/rules.js';
import { monthRanking, monthScorecards, recomputeMonth, summary, trends } from '../../assessment/scorecards.js';
import { ServiceError } from '../../services/errors.js';
import { attachmentHeaders } from '../auth/headers.js';
import type { RequestUser } from '../auth/plugin.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { KeyParam } from './v2/search.js';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM, e.g. 2026-11');
const Instant = z.string().min(10).max(40);
const Department = z.string().min(1).max(64);
const Text = (max: number) => z.string().min(1).max(max);
const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
const Offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
const Rate = z.number().nullable();
const IndicatorsSchema = z.object({
  onTime: z.object({ ended: z.number().int(), met: z.number().int(), late: z.number().int(), exempted: z.number().int(), rate: Rate }),
  breaches: z.object({ count: z.number().int(), exempted: z.number().int(), scored: z.number().int() }),
  firstTime: z.object({ closed: z.number().int(), firstTime: z.number().int(), rate: Rate }),
  satisfaction: z.object({ evaluations: z.number().int(), satisfied: z.number().int(), rate: Rate }),
  complaints: z.object({ complaints: z.number().int(), customers: z.number().int(), perThousand: Rate }),
  bxCompliance: z.object({ orders: z.number().int(), compliant: z.number().int(), rate: Rate }),
});
const IndicatorReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  filter: z.object({ process: z.string().nullable(), customerClass: z.string().nullable(), departments: z.array(z.string()).nullable() }),
  company: IndicatorsSchema,
  departments: z.array(IndicatorsSchema.extend({ departmentId: z.string(), name: z.string().nullable() })),
  stepDurations: z.array(
    z.object({
      department: z.string().nullable(),
      bpmnProcessId: z.string(),
      elementId: z.string(),
      kind: z.enum(['element', 'span']),
      spanId: z.string().nullable(),
      name: z.string().nullable(),
      timeBase: z.string(),
      limitMs: z.number(),
      count: z.number().int(),
      late: z.number().int(),
      meanMs: z.number(),
      p90Ms: z.number(),
      meanRatio: z.number(),
    }),
  ),
  breachesByPerson: z.array(z.object({ department: z.string().nullable(), assignee: z.string().nullable(), count: z.number().int(), exempted: z.number().int() })),
});
const Deduction = z.object({
  kind: z.enum(['breach', 'rate', 'cap']),
  points: z.number().describe('扣分 / points deducted (a cap: negative, what it gives back)'),
  ruleVersion: z.number().int(),
  clockKey: z.string().optional(),
  processInstanceKey: z.string().optional(),
  seq: z.number().int().optional(),
  bpmnProcessId: z.string().optional(),
  elementId: z.string().optional(),
  clockKind: z.string().optional(),
  severity: z.string().nullable().optional(),
  businessKey: z.string().nullable().optional(),
  at: z.string().optional(),
  indicator: z.string().optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  steps: z.number().int().optional(),
  of: z.enum(['breaches', 'rates', 'total']).optional(),
  cap: z.number().optional(),
});
const ScorecardSchema = z.object({
  month: z.string(),
  departmentId: z.string(),
  name: z.string().nullable(),
  score: z.number(),
  rank: z.number().int(),
  ruleVersion: z.number().int(),
  indicators: IndicatorsSchema,
  deductions: z.object({ breaches: z.number(), rates: z.number(), total: z.number(), items: z.array(Deduction) }),
  computedAt: z.string().nullable(),
  computedBy: z.string().nullable(),
});
const MonthScorecardsSchema = z.object({ month: z.string(), provisional: z.boolean(), ruleVersion: z.number().int(), scorecards: z.array(ScorecardSchema) });
const RankingSchema = z.object({
  month: z.string(),
  provisional: z.boolean(),
  items: z.array(
    z.object({
      rank: z.number().int(),
      departmentId: z.string(),
      name: z.string().nullable(),
      score: z.number(),
      deductions: z.number(),
      breaches: z.number().int(),
      onTimeRate: Rate,
    }),
  ),
});
const RuleVersionSchema = z.object({
  version: z.number().int(),
  validFrom: z.string(),
  rules: RulesSchema,
  comment: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const ExemptionSchema = z.object({
  id: z.string(),
  clockKey: z.string(),
  processInstanceKey: z.string(),
  eventSeq: z.number().int(),
  breachedAt: z.string(),
  departmentId: z.string().nullable(),
  bpmnProcessId: z.string().nullable(),
  elementId: z.string().nullable(),
  businessKey: z.string().nullable(),
  reason: z.string(),
  filedBy: z.string(),
  filedAt: z.string(),
  state: z.enum(EXEMPTION_STATES),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
const DrillPageSchema = z.object({
  indicator: z.enum(DRILL_INDICATORS),
  rowKind: z.enum(['clock', 'case', 'evaluation']).describe(
    'clock: clockKey, processInstanceKey, businessKey, elementId, department, assignee, startedAt, dueAt, endedAt, outcome, usedMs, limitMs, exemption, events[]; ' +
      'case: processInstanceKey, businessKey, state, startDate, endDate, customerClass, area, departments, sendBacks, reopenings, firstTime, compliant, breachedClocks[{clockKey, events[]}]; ' +
      'evaluation: evaluationId, processInstanceKey, department, channel, satisfaction, satisfied, expectedMinutes, perceivedMinutes, recordedAt',
  ),
  items: z.array(z.record(z.string(), z.unknown())),
  page: z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int(), nextOffset: z.number().int().nullable() }),
});

const PeriodQuery = {
  month: Month.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  department: Department.optional(),
  process: Text(200).optional(),
  customerClass: Text(64).optional(),
};
const DrillFields = {
  ...PeriodQuery,
  indicator: z.enum(DRILL_INDICATORS),
  element: Text(200).optional(),
  only: z.enum(['met', 'late', 'exempted', 'ok', 'failed']).optional(),
};

/** Department heads read drill-down rows of their own departments only (a department of theirs, or all of theirs). */
function drillDepartments(user: RequestUser, department: string | undefined): string[] | null {
  if (user.role !== 'dept_head') return department ? [department] : null;
  if (department === undefined) return [...user.departments];
  if (!user.departments.includes(department)) {
    throw new ServiceError('FORBIDDEN', `只能查看本部门的明细 / department heads see the rows of their own departments only (not ${department})`);
  }
  return [department];
}

/** Staff and department heads: their departments; others: undefined (all). */
function exemptionScope(user: RequestUser): string[] | undefined {
  return user.role === 'staff' || user.role === 'dept_head' ? [...user.departments] : undefined;
}

export async function assessmentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assessment'];

  r.get(
    '/api/assessment/indicators',
    {
      schema: routeSchema({
        tags,
        summary: '考核指标 / Indicators for a period (month, or from..to ≤ 24 months) for the company and each department',
        querystring: z.object(PeriodQuery),
        response: { 200: IndicatorReportSchema },
      }),
    },
    async (req) => {
      const { month, from, to, department, process, customerClass } = req.query;
      const period = parsePeriod({ month, from, to });
      return computeIndicators(app.db, { ...period, process, customerClass, departments: department ? [department] : null });
    },
  );

  r.get(
    '/api/assessment/scorecards',
    {
      schema: routeSchema({
        tags,
        summary: '月度考核得分 / Monthly scorecards: indicators, itemised deductions, score (stored once the month is over)',
        querystring: z.object({ month: Month, department: Department.optional() }),
        response: { 200: MonthScorecardsSchema },
      }),
    },
    async (req) => monthScorecards(app.db, req.query.month, { departments: req.query.department ? [req.query.department] : null }),
  );

  r.post(
    '/api/assessment/scorecards/recompute',
    {
      schema: routeSchema({
        tags,
        summary: '重算月度得分 / Recompute and store a month that is over (409 for a month not yet over)',
        body: z.object({ month: Month }),
        response: { 200: MonthScorecardsSchema },
      }),
    },
    async (req) => recomputeMonth(app.db, req.body.month, req.user!.username),
  );

  r.get(
    '/api/assessment/ranking',
    {
      schema: routeSchema({ tags, summary: '部门排名 / Ranking of departments for a month', querystring: z.object({ month: Month }), response: { 200: RankingSchema } }),
    },
    async (req) => monthRanking(app.db, req.query.month),
  );

  r.get(
    '/api/assessment/trends',
    {
      schema: routeSchema({
        tags,
        summary: '月度趋势 / Scores and indicators per month, from..to (YYYY-MM, at most 24 months)',
        querystring: z.object({ from: Month, to: Month, department: Department.optional() }),
        response: {
          200: z.object({
            months: z.array(
              z.object({
                month: z.string(),
                provisional: z.boolean(),
                departments: z.array(z.object({ departmentId: z.string(), name: z.string().nullable(), score: z.number(), rank: z.number().int(), indicators: IndicatorsSchema })),
              }),
            ),
          }),
        },
      }),
    },
    async (req) => trends(app.db, { from: req.query.from, to: req.query.to, departments: req.query.department ? [req.query.department] : null }),
  );

  r.get(
    '/api/assessment/summaries',
    {
      schema: routeSchema({
        tags,
        summary: '季度/年度汇总 / Quarterly (2026-Q4) or annual (2026) summary: average monthly score per department',
        querystring: z.object({ period: z.string().regex(/^\d{4}(-Q[1-4])?$/, 'period must be a quarter (2026-Q4) or a year (2026)') }),
        response: {
          200: z.object({
            period: z.string(),
            months: z.array(z.string()),
            items: z.array(z.object({ departmentId: z.string(), name: z.string().nullable(), months: z.number().int(), averageScore: z.number() })),
          }),
        },
      }),
    },
    async (req) => summary(app.db, req.query.period),
  );

  r.get(
    '/api/assessment/drilldown',
    {
      schema: routeSchema({
        tags,
        summary: '指标明细 / The clocks, cases or evaluations behind a figure, with their SLA events (paged)',
        querystring: z.object({ ...DrillFields, limit: Limit(MAX_DRILL_PAGE, 50), offset: Offset }),
        response: { 200: DrillPageSchema },
      }),
    },
    async (req) => {
      const { month, from, to, department, ...rest } = req.query;
      const q: DrillQuery = { ...rest, ...parsePeriod({ month, from, to }), departments: drillDepartments(req.user!, department) };
      return drillDown(app.db, q);
    },
  );

  r.get(
    '/api/assessment/export',
    {
      schema: routeSchema({
        tags,
        summary: '导出 / Export scorecards, the ranking or a drill-down as CSV (UTF-8 with BOM) or an Excel workbook (Chinese headers)',
        querystring: z.object({
          report: z.enum(['scorecards', 'ranking', 'drilldown']),
          format: z.enum(['csv', 'xlsx']).default('xlsx'),
          ...DrillFields,
          indicator: z.enum(DRILL_INDICATORS).optional(),
        }),
      }),
    },
    async (req, reply) => {
      const { report, format, month, from, to, department, indicator, ...rest } = req.query;
      let sheets: Sheet[];
      let name: string;
      if (report === 'drilldown') {
        if (!indicator) throw new ServiceError('INVALID_ARGUMENT', 'indicator: 明细导出须指明指标 / a drill-down export needs the indicator');
        const page = await drillDown(app.db, {
          ...rest,
          indicator,
          ...parsePeriod({ month, from, to }),
          departments: drillDepartments(req.user!, department),
          limit: MAX_EXPORT_ROWS,
          offset: 0,
        });
        sheets = [drillSheet(page)];
        name = `考核明细-${indicator}-${month ?? 'period'}`;
      } else {
        if (!month) throw new ServiceError('INVALID_ARGUMENT', 'month: 须给出月份 / scorecards and the ranking are exported per month (YYYY-MM)');
        if (report === 'scorecards') {
          sheets = scorecardSheets(await monthScorecards(app.db, month, { departments: department ? [department] : null }));
          name = `考核得分-${month}`;
        } else {
          sheets = [rankingSheet(await monthRanking(app.db, month))];
          name = `部门排名-${month}`;
        }
      }
      if (format === 'csv') {
        return reply.headers(attachmentHeaders(`${name}.csv`)).type('text/csv; charset=utf-8').send(toCsv(sheets[0]!));
      }
      return reply
        .headers(attachmentHeaders(`${name}.xlsx`))
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await toXlsx(sheets));
    },
  );

  r.get(
    '/api/assessment/rules',
    {
      schema: routeSchema({ tags, summary: '考核规则 / The rules in force now and every version', response: { 200: z.object({ inForce: RuleVersionSchema, versions: z.array(RuleVersionSchema) }) } }),
    },
    async () => {
      const versions = await listRuleVersions(app.db);
      return { inForce: inForce(versions, new Date()), versions };
    },
  );

  r.put(
    '/api/assessment/rules',
    {
      schema: routeSchema({
        tags,
        summary: '修改考核规则 / Add a version of the rules, in force from validFrom (default now; never in the past)',
        body: z.object({ rules: RulesSchema, validFrom: Instant.optional(), comment: z.string().max(2000).optional() }),
        response: { 200: RuleVersionSchema },
      }),
    },
    async (req) => addRuleVersion(app.db, req.user!.username, req.body),
  );

  r.get(
    '/api/assessment/exemptions',
    {
      schema: routeSchema({
        tags,
        summary: '报备列表 / Exemptions (staff and department heads: their departments’), newest first',
        querystring: z.object({
          state: z.enum(EXEMPTION_STATES).optional(),
          department: Department.optional(),
          month: Month.optional(),
          limit: Limit(200, 50),
          offset: Offset,
        }),
        response: { 200: z.object({ items: z.array(ExemptionSchema), page: z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int() }) }) },
      }),
    },
    async (req) => listExemptions(app.db, exemptionScope(req.user!), req.query),
  );

  r.post(
    '/api/assessment/exemptions',
    {
      schema: routeSchema({
        tags,
        summary: '超时报备 / File a reason for a breach (clockKey) of your department',
        body: z.object({ clockKey: Text(300), reason: z.string().min(1).max(MAX_REASON_LENGTH) }),
        response: { 201: ExemptionSchema },
      }),
    },
    async (req, reply) => {
      const user = req.user!;
      const exemption = await fileExemption(app.db, { username: user.username, ...(user.role === 'admin' ? {} : { departments: user.departments }) }, req.body);
      return reply.code(201).send(exemption);
    },
  );

  r.post(
    '/api/assessment/exemptions/:exemptionId/decide',
    {
      schema: routeSchema({
        tags,
        summary: '审核报备 / The hub approves or rejects a pending exemption with a note',
        params: KeyParam('exemptionId'),
        body: z.object({ decision: z.enum(['approve', 'reject']), note: z.string().max(MAX_REASON_LENGTH).optional() }),
        response: { 200: ExemptionSchema },
      }),
    },
    async (req) => decideExemption(app.db, req.user!.username, req.params.exemptionId, req.body),
  );
}
