/**
 * The modeler's server side: drafts of diagrams (never lost by a reload) and the directory of people
 * the assignment picker offers.
 *
 * Drafts (/api/drafts): a designer lists, reads, changes and deletes their own; administrators all
 * (someone else's draft is 404 to a designer, as if it did not exist). A save names the version it
 * replaces (optimistic concurrency: 409 when another tab saved in between). Limits: XML at most
 * BPMN_MAX_MODEL_BYTES, forms JSON at most FORMS_MAX_BYTES, DRAFTS_PER_USER drafts per owner.
 *
 * Directory (/api/directory?q=): active users' username, display name and departments — not roles or
 * anything else — for those who design or assign; at most DIRECTORY_LIMIT rows, filtered by `q`
 * (a plain substring of username or display name; no pattern language).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpProblem, ProblemSchema } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { coded } from '../../services/problem-codes.js';

export const DRAFTS_PER_USER = 200;
export const FORMS_MAX_BYTES = 512 * 1024;
export const DIRECTORY_LIMIT = 500;

const DraftSummary = z.object({ id: z.string(), name: z.string(), owner: z.string(), updatedAt: z.string(), version: z.number().int() });
const Draft = DraftSummary.extend({ xml: z.string(), forms: z.record(z.string(), z.unknown()) });
const DraftId = z.object({ draftId: z.string().regex(/^\d{1,18}$/, '草稿编号必须是数字 / draftId must be numeric') });
const Name = z.string().trim().min(1, '名称不能为空 / name must not be empty').max(200, '名称最多 200 个字符 / name has at most 200 characters');
const Forms = z.record(z.string().max(200), z.unknown()).default({});

interface Row {
  id: string;
  name: string;
  owner: string;
  updated_at: Date;
  version: number;
  xml?: string;
  forms?: Record<string, unknown>;
}

const summary = (r: Row) => ({ id: r.id, name: r.name, owner: r.owner, updatedAt: r.updated_at.toISOString(), version: r.version });

export async function draftRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const maxXml = app.config.deploy.maxModelBytes;
  const bodyLimit = maxXml + FORMS_MAX_BYTES + 64 * 1024;

  function checkSizes(xml: string, forms: Record<string, unknown>): void {
    const xmlBytes = Buffer.byteLength(xml);
    if (xmlBytes > maxXml) {
      throw new HttpProblem(413, `草稿 XML 为 ${xmlBytes} 字节，超过上限 ${maxXml} 字节（BPMN_MAX_MODEL_BYTES）/ the draft's XML is ${xmlBytes} bytes, over the limit of ${maxXml} (BPMN_MAX_MODEL_BYTES)`);
    }
    const formBytes = Buffer.byteLength(JSON.stringify(forms));
    if (formBytes > FORMS_MAX_BYTES) {
      throw new HttpProblem(413, `草稿的表单共 ${formBytes} 字节，超过上限 ${FORMS_MAX_BYTES} 字节 / the draft's forms are ${formBytes} bytes, over the limit of ${FORMS_MAX_BYTES}`);
    }
  }

  /** Row-level scope: a designer's own drafts; an administrator's scope is everyone's. */
  const scope = (req: { user?: { id: string; role: string } | null }) => (req.user!.role === 'admin' ? null : req.user!.id);

  r.get(
    '/api/drafts',
    {
      schema: routeSchema({
        tags: ['modeler'],
        summary: '流程草稿 / Diagram drafts (own; administrators all), last changed first',
        response: { 200: z.object({ items: z.array(DraftSummary) }) },
      }),
    },
    async (req) => {
      const { rows } = await app.db.query<Row>(
        `SELECT d.id::text, d.name, u.username AS owner, d.updated_at, d.version
           FROM model_draft d JOIN app_user u ON u.id = d.owner_id
          WHERE $1::bigint IS NULL OR d.owner_id = $1
          ORDER BY d.updated_at DESC, d.id DESC LIMIT 1000`,
        [scope(req)],
      );
      return { items: rows.map(summary) };
    },
  );

  r.get(
    '/api/drafts/:draftId',
    { schema: routeSchema({ tags: ['modeler'], summary: '读取草稿 / One draft with its XML and forms', params: DraftId, response: { 200: Draft, 404: ProblemSchema } }) },
    async (req) => {
      const { rows } = await app.db.query<Row>(
        `SELECT d.id::text, d.name, u.username AS owner, d.updated_at, d.version, d.xml, d.forms
           FROM model_draft d JOIN app_user u ON u.id = d.owner_id
          WHERE d.id = $1 AND ($2::bigint IS NULL OR d.owner_id = $2)`,
        [req.params.draftId, scope(req)],
      );
      const row = rows[0];
      if (!row) throw new HttpProblem(404, `草稿 ${req.params.draftId} 不存在 / draft ${req.params.draftId} not found`);
      return { ...summary(row), xml: row.xml ?? '', forms: row.forms ?? {} };
    },
  );

  r.post(
    '/api/drafts',
    {
      bodyLimit,
      schema: routeSchema({
        tags: ['modeler'],
        summary: '新建草稿 / Create a draft (owned by the caller)',
        body: z.object({ name: Name, xml: z.string().min(1, 'xml 不能为空 / xml must not be empty'), forms: Forms }),
        response: { 201: Draft, 400: ProblemSchema, 413: ProblemSchema },
      }),
    },
    async (req, reply) => {
      const { name, xml, forms } = req.body;
      checkSizes(xml, forms);
      const me = req.user!;
      const { rows } = await app.db.query<Row>(
        `INSERT INTO model_draft (owner_id, name, xml, forms)
         SELECT $1, $2, $3, $4::jsonb WHERE (SELECT count(*) FROM model_draft WHERE owner_id = $1) < $5
         RETURNING id::text, name, $6::text AS owner, updated_at, version, xml, forms`,
        [me.id, name, xml, JSON.stringify(forms), DRAFTS_PER_USER, me.username],
      );
      const row = rows[0];
      if (!row) {
        throw new HttpProblem(400, `每位用户最多 ${DRAFTS_PER_USER} 份草稿，请先删除不再需要的草稿 / at most ${DRAFTS_PER_USER} drafts per user; delete drafts you no longer need first`);
      }
      return reply.code(201).send({ ...summary(row), xml: row.xml ?? '', forms: row.forms ?? {} });
    },
  );

  r.put(
    '/api/drafts/:draftId',
    {
      bodyLimit,
      schema: routeSchema({
        tags: ['modeler'],
        summary: '保存草稿 / Save a draft over the version read (409 when it changed meanwhile)',
        params: DraftId,
        body: z.object({ name: Name, xml: z.string().min(1, 'xml 不能为空 / xml must not be empty'), forms: Forms, version: z.number().int().min(1) }),
        response: { 200: DraftSummary, 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 413: ProblemSchema },
      }),
    },
    async (req) => {
      const { name, xml, forms, version } = req.body;
      checkSizes(xml, forms);
      const id = req.params.draftId;
      const { rows } = await app.db.query<Row>(
        `UPDATE model_draft d SET name = $3, xml = $4, forms = $5::jsonb, version = d.version + 1, updated_at = now()
           FROM app_user u
          WHERE d.id = $1 AND u.id = d.owner_id AND ($2::bigint IS NULL OR d.owner_id = $2) AND d.version = $6
          RETURNING d.id::text, d.name, u.username AS owner, d.updated_at, d.version`,
        [id, scope(req), name, xml, JSON.stringify(forms), version],
      );
      if (rows[0]) return summary(rows[0]);
      const current = await app.db.query<{ version: number }>('SELECT version FROM model_draft WHERE id = $1 AND ($2::bigint IS NULL OR owner_id = $2)', [id, scope(req)]);
      if (!current.rows[0]) throw new HttpProblem(404, `草稿 ${id} 不存在 / draft ${id} not found`);
      throw new HttpProblem(
        409,
        `草稿 ${id} 已在别处保存（当前版本 ${current.rows[0].version}，您修改的是版本 ${version}），请重新打开后再改 / draft ${id} was saved elsewhere (now version ${current.rows[0].version}, you changed version ${version}); open it again`,
        { extra: { currentVersion: current.rows[0].version, ...coded('draft.stale', { draftId: id, currentVersion: current.rows[0].version, version }) } },
      );
    },
  );

  r.delete(
    '/api/drafts/:draftId',
    { schema: routeSchema({ tags: ['modeler'], summary: '删除草稿 / Delete a draft', params: DraftId, response: { 404: ProblemSchema } }) },
    async (req, reply) => {
      const res = await app.db.query('DELETE FROM model_draft WHERE id = $1 AND ($2::bigint IS NULL OR owner_id = $2)', [req.params.draftId, scope(req)]);
      if (res.rowCount === 0) throw new HttpProblem(404, `草稿 ${req.params.draftId} 不存在 / draft ${req.params.draftId} not found`);
      return reply.code(204).send();
    },
  );

  r.get(
    '/api/directory',
    {
      schema: routeSchema({
        tags: ['modeler'],
        summary: '人员目录 / People a task can be assigned to: username, name, departments (active users)',
        querystring: z.object({ q: z.string().max(100, 'q 最多 100 个字符 / q has at most 100 characters').optional() }),
        response: { 200: z.object({ items: z.array(z.object({ username: z.string(), displayName: z.string(), departments: z.array(z.string()) })) }) },
      }),
    },
    async (req) => {
      const q = req.query.q?.trim() ?? '';
      const { rows } = await app.db.query<{ username: string; displayName: string; departments: string[] }>(
        `SELECT username, display_name AS "displayName", departments FROM app_user
          WHERE active AND ($1 = '' OR strpos(lower(username), lower($1)) > 0 OR strpos(lower(display_name), lower($1)) > 0)
          ORDER BY username LIMIT $2`,
        [q, DIRECTORY_LIMIT],
      );
      return { items: rows };
    },
  );
}
