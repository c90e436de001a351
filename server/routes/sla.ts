/**
 * The SLA module's HTTP routes (thin: the work is in sla/): working-day calendars and SLA policies.
 * Reading is open to every signed-in user (deadlines are shown to all); changes are for administrators.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getCalendarYear, listCalendars, MAX_DATES_PER_YEAR, putCalendarYear } from '../../sla/calendars.js';
import { listPolicies, listPolicySets, policyVersions, putPolicy, setDefaultPolicySet } from '../../sla/policies.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,126}$/, 'lower-case letters, digits, ".", "_" and "-"');
const Year = z.coerce.number().int().min(1990).max(2200);
const Dates = z.array(z.string().max(10)).max(MAX_DATES_PER_YEAR);

const CalendarYear = z.object({
  year: z.number(),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  source: z.string(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
const PolicySet = z.object({ key: z.string(), name: z.string(), isDefault: z.boolean(), description: z.string() });
const Policy = z.object({
  setKey: z.string(),
  key: z.string(),
  version: z.number(),
  name: z.string(),
  duration: z.string(),
  timeBase: z.enum(['natural', 'workingDays', 'workingHours']),
  calendar: z.string().nullable(),
  warnings: z.array(z.union([z.object({ at: z.number() }), z.object({ before: z.string() })])),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

export async function slaRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sla'];

  r.get(
    '/api/calendars',
    {
      schema: routeSchema({
        tags,
        summary: '工作日历列表 / Working-day calendars and the years they cover',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              utcOffsetMinutes: z.number(),
              workingHours: z.array(z.tuple([z.number(), z.number()])),
              years: z.array(z.object({ year: z.number(), holidays: z.number(), workdays: z.number(), source: z.string() })),
            }),
          ),
        },
      }),
    },
    async () => listCalendars(app.db),
  );

  r.get(
    '/api/calendars/:calendarId/years/:year',
    { schema: routeSchema({ tags, summary: '某年节假日与调休 / One year of holidays and make-up working days', params: z.object({ calendarId: Id, year: Year }), response: { 200: CalendarYear } }) },
    async (req) => getCalendarYear(app.db, req.params.calendarId, req.params.year),
  );

  r.put(
    '/api/calendars/:calendarId/years/:year',
    {
      schema: routeSchema({
        tags,
        summary: '新增或修改一年的节假日 / Add or replace a year (holidays: days off; workdays: weekend days worked, 调休补班)',
        params: z.object({ calendarId: Id, year: Year }),
        body: z.object({ holidays: Dates, workdays: Dates }),
        response: { 200: CalendarYear },
      }),
    },
    async (req) => putCalendarYear(app.db, req.params.calendarId, req.params.year, req.body, req.user!.username),
  );

  r.get(
    '/api/sla/policy-sets',
    { schema: routeSchema({ tags, summary: '时限策略集 / SLA policy sets', response: { 200: z.array(PolicySet) } }) },
    async () => listPolicySets(app.db),
  );

  r.put(
    '/api/sla/policy-sets/:setKey/default',
    {
      schema: routeSchema({
        tags,
        summary: '设为生效策略集 / Make a set the one in force for clocks that start from now on',
        params: z.object({ setKey: Id }),
        response: { 200: z.array(PolicySet) },
      }),
    },
    async (req) => setDefaultPolicySet(app.db, req.params.setKey),
  );

  r.get(
    '/api/sla/policies',
    {
      schema: routeSchema({
        tags,
        summary: '时限策略（各策略的最新版本）/ The latest version of every policy of a set (default: the set in force)',
        querystring: z.object({ set: Id.optional() }),
        response: { 200: z.array(Policy) },
      }),
    },
    async (req) => listPolicies(app.db, req.query.set),
  );

  r.get(
    '/api/sla/policies/:setKey/:policyKey/versions',
    { schema: routeSchema({ tags, summary: '策略的历史版本 / Every version of a policy, newest first', params: z.object({ setKey: Id, policyKey: Id }), response: { 200: z.array(Policy) } }) },
    async (req) => policyVersions(app.db, req.params.setKey, req.params.policyKey),
  );

  r.put(
    '/api/sla/policies/:setKey/:policyKey',
    {
      schema: routeSchema({
        tags,
        summary: '修改时限策略（新增一个版本，只影响此后开始的计时）/ Change a policy: adds a version that applies to clocks starting afterwards',
        params: z.object({ setKey: Id, policyKey: Id }),
        body: z.object({
          name: z.string().min(1).max(200),
          duration: z.string().min(2).max(40),
          timeBase: z.enum(['natural', 'workingDays', 'workingHours']),
          calendar: Id.optional(),
          warnings: z.string().max(100).optional(),
        }),
        response: { 200: Policy },
      }),
    },
    async (req) => putPolicy(app.db, req.params.setKey, req.params.policyKey, req.body, req.user!.username),
  );
}
