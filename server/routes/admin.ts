/** Administration: users, departments (= candidate groups) and the audit log. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { queryAudit } from '../auth/audit.js';
import { hashPassword } from '../auth/password.js';
import { ROLES } from '../auth/roles.js';
import { afterUserChange } from '../auth/user-changes.js';
import { assertDepartmentsExist, createUser, listUsers } from '../auth/users.js';
import { HttpProblem } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { coded } from '../../services/problem-codes.js';

const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  departments: z.array(z.string()),
  active: z.boolean(),
});

const Department = z.object({ id: z.string(), name: z.string(), nameEn: z.string().optional(), isHub: z.boolean() });

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/users',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '用户列表 / List users (department heads see their departments only)',
        querystring: z.object({ department: z.string().max(64).optional() }),
        response: { 200: z.array(User) },
      }),
    },
    async (req) => {
      const users = await listUsers(app.db, req.query.department ? { department: req.query.department } : {});
      const me = req.user!;
      if (me.role === 'dept_head') return users.filter((u) => u.departments.some((d) => me.departments.includes(d)));
      return users;
    },
  );

  r.post(
    '/api/users',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '新建用户 / Create a user',
        body: z.object({
          username: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'username: 1-64 letters, digits or . _ @ -'),
          displayName: z.string().min(1).max(100).optional(),
          password: z.string().min(8, 'password must have at least 8 characters').max(200),
          role: z.enum(ROLES),
          departments: z.array(z.string().min(1).max(64)).max(50).default([]),
        }),
        response: { 201: User },
      }),
    },
    async (req, reply) => reply.code(201).send({ ...(await createUser(app.db, req.body)), active: true }),
  );

  r.patch(
    '/api/users/:userId',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '修改用户 / Change a user (role, departments, password, active)',
        params: z.object({ userId: z.string().regex(/^\d+$/, 'userId must be numeric') }),
        body: z.object({
          displayName: z.string().min(1).max(100).optional(),
          password: z.string().min(8, 'password must have at least 8 characters').max(200).optional(),
          role: z.enum(ROLES).optional(),
          departments: z.array(z.string().min(1).max(64)).max(50).optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: User },
      }),
    },
    async (req) => {
      const b = req.body;
      if (req.params.userId === req.user!.id) {
        // An administrator cannot lock themselves out (another administrator can).
        if (b.active === false) throw new HttpProblem(409, '不能停用自己的账户 / You cannot deactivate your own account', { extra: coded('admin.ownAccount', {}) });
        if (b.role !== undefined && b.role !== req.user!.role) throw new HttpProblem(409, '不能修改自己的角色 / You cannot change your own role', { extra: coded('admin.ownRole', {}) });
      }
      if (b.departments) await assertDepartmentsExist(app.db, b.departments);
      const { rows } = await app.db.query(
        `UPDATE app_user SET display_name = coalesce($2, display_name), password_hash = coalesce($3, password_hash), role = coalesce($4, role),
           departments = coalesce($5, departments), active = coalesce($6, active) WHERE id = $1
         RETURNING id::text, username, display_name AS "displayName", role, departments, active`,
        [req.params.userId, b.displayName ?? null, b.password ? await hashPassword(b.password) : null, b.role ?? null, b.departments ?? null, b.active ?? null],
      );
      if (!rows[0]) throw new HttpProblem(404, `用户 ${req.params.userId} 不存在 / User ${req.params.userId} not found`);
      // Every change forgets remembered credentials; a new password or a deactivation ends sessions and API tokens.
      await afterUserChange(app, req.params.userId, { credentialsEnd: b.active === false || b.password !== undefined });
      return rows[0];
    },
  );

  r.get(
    '/api/departments',
    { schema: routeSchema({ tags: ['admin'], summary: '部门 / Departments (candidate groups)', response: { 200: z.array(Department) } }) },
    async () => {
      const { rows } = await app.db.query<{ id: string; name: string; name_en: string | null; is_hub: boolean }>(
        'SELECT id, name, name_en, is_hub FROM department ORDER BY id',
      );
      return rows.map((d) => ({ id: d.id, name: d.name, isHub: d.is_hub, ...(d.name_en ? { nameEn: d.name_en } : {}) }));
    },
  );

  r.post(
    '/api/departments',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '新建部门 / Create a department',
        body: z.object({
          id: z.string().min(1).max(64),
          name: z.string().min(1).max(100),
          nameEn: z.string().max(100).optional(),
          isHub: z.boolean().default(false),
        }),
        response: { 201: Department },
      }),
    },
    async (req, reply) => {
      const d = req.body;
      const res = await app.db.query('INSERT INTO department (id, name, name_en, is_hub) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        d.id,
        d.name,
        d.nameEn ?? null,
        d.isHub,
      ]);
      if (res.rowCount === 0) throw new HttpProblem(409, `部门编号 ${d.id} 已存在 / Department '${d.id}' already exists`, { extra: coded('admin.departmentExists', { departmentId: d.id }) });
      return reply.code(201).send(d);
    },
  );

  r.patch(
    '/api/departments/:departmentId',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '修改部门（名称、英文名、是否营销部）/ Rename a department or change its hub flag; its id (the candidate group) stays',
        params: z.object({ departmentId: z.string().min(1).max(64) }),
        body: z
          .object({ name: z.string().trim().min(1).max(100).optional(), nameEn: z.string().trim().max(100).nullable().optional(), isHub: z.boolean().optional() })
          .refine((b) => b.name !== undefined || b.nameEn !== undefined || b.isHub !== undefined, '请至少修改一项 / give name, nameEn or isHub'),
        response: { 200: Department },
      }),
    },
    async (req) => {
      const b = req.body;
      // nameEn: null or "" clears the English name; absent keeps it.
      const { rows } = await app.db.query<{ id: string; name: string; name_en: string | null; is_hub: boolean }>(
        `UPDATE department SET name = coalesce($2, name), name_en = CASE WHEN $3::boolean THEN nullif($4, '') ELSE name_en END,
           is_hub = coalesce($5, is_hub) WHERE id = $1 RETURNING id, name, name_en, is_hub`,
        [req.params.departmentId, b.name ?? null, b.nameEn !== undefined, b.nameEn ?? null, b.isHub ?? null],
      );
      const d = rows[0];
      if (!d) throw new HttpProblem(404, `部门 ${req.params.departmentId} 不存在 / Department '${req.params.departmentId}' not found`);
      return { id: d.id, name: d.name, isHub: d.is_hub, ...(d.name_en ? { nameEn: d.name_en } : {}) };
    },
  );

  r.get(
    '/api/audit',
    {
      schema: routeSchema({
        tags: ['admin'],
        summary: '审计日志 / Audit log, newest first, filterable by user, action, object and time, paged by cursor (before) or offset',
        querystring: z.object({
          username: z.string().max(100).optional(),
          action: z.string().max(200).optional(),
          objectType: z.string().max(100).optional(),
          objectId: z.string().max(200).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          before: z.string().regex(/^\d{1,19}$/, 'before: the numeric id of an entry (nextCursor)').optional(),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                at: z.string(),
                username: z.string().nullable(),
                action: z.string(),
                objectType: z.string().nullable(),
                objectId: z.string().nullable(),
                status: z.number().nullable(),
                ip: z.string().nullable(),
                detail: z.unknown(),
              }),
            ),
            nextCursor: z.string().optional(),
          }),
        },
      }),
    },
    async (req) => {
      const q = req.query;
      if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) {
        throw new HttpProblem(400, `开始时间晚于结束时间 / from (${q.from}) is after to (${q.to})`);
      }
      return queryAudit(app.db, q);
    },
  );
}
