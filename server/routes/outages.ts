/**
 * Outages (停电事件) of the marketing hub — thin routes; the work is in company/outages.ts. Hub
 * coordinators and administrators open, link and close outages; managers read them
 * (server/auth/route-permissions.ts). Mutations are audited by the auth plugin (object "outage").
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AREAS, closeOutage, createOutage, getOutage, linkOutage, listOutages, MAX_CAUSE_LENGTH, MAX_TITLE_LENGTH, OUTAGE_STATES } from '../../company/outages.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { engineDeps } from './v2/deps.js';

const OutageId = z.object({ outageId: z.string().regex(/^OUT-[0-9]{8}-[0-9]{2,6}$/, 'outageId looks like OUT-20261201-01') });
const Key = z.string().regex(/^[1-9][0-9]{0,18}$/, 'processInstanceKey must be a numeric key such as 2251799813685249');
const Outage = z.object({
  id: z.string(),
  title: z.string(),
  area: z.enum(AREAS),
  state: z.enum(OUTAGE_STATES),
  createdBy: z.string(),
  createdAt: z.string(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  cause: z.string().nullable(),
  linkCount: z.number().int(),
});
const Link = z.object({
  processInstanceKey: z.string(),
  businessKey: z.string().nullable(),
  linkedBy: z.string(),
  linkedAt: z.string(),
  notifiedAt: z.string().nullable(),
});

export async function outageRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['outages'];

  r.post(
    '/api/outages',
    {
      schema: routeSchema({
        tags,
        summary: '新建停电事件 / Open an outage: many calls about one fault are linked to it and answered together',
        body: z.object({ title: z.string().trim().min(1).max(MAX_TITLE_LENGTH), area: z.enum(AREAS) }),
        response: { 201: Outage },
      }),
    },
    async (req, reply) => reply.code(201).send(await createOutage(app.db, { ...req.body, actor: req.user!.username })),
  );

  r.get(
    '/api/outages',
    {
      schema: routeSchema({
        tags,
        summary: '停电事件列表 / Outages, newest first; state=open|closed filters',
        querystring: z.object({
          state: z.enum(OUTAGE_STATES).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(Outage), page: z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int() }) }) },
      }),
    },
    async (req) => listOutages(app.db, req.query),
  );

  r.get(
    '/api/outages/:outageId',
    {
      schema: routeSchema({
        tags,
        summary: '停电事件详情 / An outage with its linked reports',
        params: OutageId,
        response: { 200: Outage.extend({ links: z.array(Link) }) },
      }),
    },
    async (req) => getOutage(app.db, req.params.outageId),
  );

  r.post(
    '/api/outages/:outageId/link',
    {
      schema: routeSchema({
        tags,
        summary: '关联报修工单 / Link a report’s instance to an open outage (sets its variable outageId); linking again changes nothing',
        params: OutageId,
        body: z.object({ processInstanceKey: Key }),
        response: { 200: z.object({ outage: Outage, link: Link, created: z.boolean() }) },
      }),
    },
    async (req) => linkOutage(engineDeps(app), { outageId: req.params.outageId, processInstanceKey: req.body.processInstanceKey, actor: req.user!.username }),
  );

  r.post(
    '/api/outages/:outageId/close',
    {
      schema: routeSchema({
        tags,
        summary: '恢复送电 / Close the outage with its cause: message outage-restored to every linked report (again: publishes again)',
        params: OutageId,
        body: z.object({ cause: z.string().trim().min(1).max(MAX_CAUSE_LENGTH) }),
        response: {
          200: z.object({
            outage: Outage,
            alreadyClosed: z.boolean(),
            waiting: z.array(z.string()),
            buffered: z.array(z.string()),
            messageKey: z.string(),
          }),
        },
      }),
    },
    async (req) => closeOutage(engineDeps(app), { outageId: req.params.outageId, cause: req.body.cause, actor: req.user!.username }),
  );
}
