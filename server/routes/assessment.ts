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
const Json = z.any();

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
        response: { 200: Json },
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
        response: { 200: Json },
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
        response: { 200: Json },
      }),
    },
    async (req) => recomputeMonth(app.db, req.body.month, req.user!.username),
  );

  r.get(
    '/api/assessment/ranking',
    {
      schema: routeSchema({ tags, summary: '部门排名 / Ranking of departments for a month', querystring: z.object({ month: Month }), response: { 200: Json } }),
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
        response: { 200: Json },
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
        response: { 200: Json },
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
        response: { 200: Json },
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
      schema: routeSchema({ tags, summary: '考核规则 / The rules in force now and every version', response: { 200: Json } }),
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
        response: { 200: Json },
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
        response: { 200: Json },
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
        response: { 201: Json },
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
        response: { 200: Json },
      }),
    },
    async (req) => decideExemption(app.db, req.user!.username, req.params.exemptionId, req.body),
  );
}
