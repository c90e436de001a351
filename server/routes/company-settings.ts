/**
 * Company settings (company/settings.ts) — thin routes: everyone reads them, administrators change
 * them (the permissions of the SLA policies, server/auth/route-permissions.ts). A change applies to
 * the next time a running or new instance reads the setting; it is audited by the auth plugin.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listSettings, putSetting } from '../../company/settings.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

const Setting = z.object({ key: z.string(), value: z.unknown(), name: z.string(), updatedBy: z.string().nullable(), updatedAt: z.string() });

export async function companySettingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['company settings'];
  r.get(
    '/api/company/settings',
    { schema: routeSchema({ tags, summary: '公司设置 / Company settings the processes read when they run', response: { 200: z.object({ items: z.array(Setting) }) } }) },
    async () => ({ items: await listSettings(app.db) }),
  );
  r.put(
    '/api/company/settings/:settingKey',
    {
      schema: routeSchema({
        tags,
        summary: '修改公司设置 / Change a company setting, e.g. complaint.max-reopenings {"value": 3}',
        params: z.object({ settingKey: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,126}$/, 'settingKey looks like complaint.max-reopenings') }),
        body: z.object({ value: z.union([z.number(), z.string().max(200), z.boolean()]) }),
        response: { 200: Setting },
      }),
    },
    async (req) => putSetting(app.db, req.params.settingKey, req.body.value, req.user!.username),
  );
}
