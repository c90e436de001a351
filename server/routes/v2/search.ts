/**
 * Camunda 8 search requests: { filter, sort: [{ field, order }], page: { from, limit } } answered
 * with { items, page: { totalItems } }. Each resource's column description (columns.ts) maps its API
 * field names to SQL columns; only those fields can be filtered and sorted, anything else (also
 * `constructor` or `__proto__`) is a 400 naming the field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { scopeSql } from '../../auth/visibility.js';
import { ServiceError } from '../../../services/errors.js';
import type { FieldSpec, Resource } from './columns.js';

export const SearchRequest = z
  .object({
    filter: z.record(z.string(), z.unknown()).optional(),
    sort: z.array(z.object({ field: z.string(), order: z.enum(['ASC', 'DESC', 'asc', 'desc']).optional() })).optional(),
    page: z
      .object({
        from: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .optional(),
  })
  .default({});
export type SearchRequest = z.infer<typeof SearchRequest>;

export const searchResponse = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.object({ totalItems: z.number().int() }) });

export interface SearchSpec {
  table: string;
  /** Column list for SELECT. */
  select: string;
  fields: ReadonlyMap<string, FieldSpec>;
  defaultSort: string;
  /** Extra SQL condition always applied (access control), with placeholders $1@, $2@ … for its params. */
  where?: { sql: string; params: unknown[] };
}

const allowed = (spec: SearchSpec) => [...spec.fields.keys()].join(', ');

/** Builds and runs the query; returns rows and the total count. */
export async function runSearch<Row>(
  db: { query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }> },
  spec: SearchSpec,
  req: SearchRequest,
): Promise<{ rows: Row[]; total: number }> {
  const params: unknown[] = [];
  const where: string[] = [];
  for (const [field, raw] of Object.entries(req.filter ?? {})) {
    if (raw === undefined || raw === null) continue;
    const f = spec.fields.get(field);
    if (!f) throw new ServiceError('INVALID_ARGUMENT', `Unknown filter field '${field}'; allowed: ${allowed(spec)}`);
    const value = typeof raw === 'object' && raw !== null && '$eq' in raw ? (raw as { $eq: unknown }).$eq : raw;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const ops = value as Record<string, unknown>;
      if (Array.isArray(ops.$in)) {
        params.push(ops.$in.map(String));
        where.push(`${f.column}::text = ANY($${params.length})`);
        continue;
      }
      if (f.kind === 'date' && Object.keys(ops).length > 0 && Object.keys(ops).every((op) => Object.hasOwn(RANGE_OPS, op))) {
        for (const [op, bound] of Object.entries(ops)) {
          params.push(rangeBound(field, op, bound));
          where.push(`${f.column} ${RANGE_OPS[op]} $${params.length}::timestamptz`);
        }
        continue;
      }
      const range = f.kind === 'date' ? ', or a range {"$gte": date-time, "$lt": date-time} ($gt, $gte, $lt, $lte)' : '';
      throw new ServiceError('INVALID_ARGUMENT', `Filter '${field}' supports a value, {"$eq": value} or {"$in": [values]}${range}`);
    }
    params.push(f.kind === 'bool' ? Boolean(value) : String(value));
    const p = `$${params.length}`;
    if (f.kind === 'member') where.push(`${p} = ANY(${f.column})`);
    else if (f.kind === 'bool') where.push(`${f.column} = ${p}::boolean`);
    else where.push(`${f.column}::text = ${p}`);
  }
  if (spec.where) {
    where.push(scopeSql(spec.where, params.length));
    params.push(...spec.where.params);
  }
  const order: string[] = [];
  for (const s of req.sort ?? []) {
    const f = spec.fields.get(s.field);
    if (!f) throw new ServiceError('INVALID_ARGUMENT', `Unknown sort field '${s.field}'; allowed: ${allowed(spec)}`);
    order.push(`${f.column} ${s.order?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
  }
  order.push(spec.defaultSort);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = req.page?.limit ?? 100;
  const from = req.page?.from ?? 0;
  const count = await db.query(`SELECT count(*)::int AS n FROM ${spec.table} ${whereSql}`, params);
  const rows = await db.query(
    `SELECT ${spec.select} FROM ${spec.table} ${whereSql} ORDER BY ${order.join(', ')} LIMIT ${limit} OFFSET ${from}`,
    params,
  );
  return { rows: rows.rows as Row[], total: (count.rows[0] as { n: number }).n };
}

/** Range operators of date fields (Camunda 8's advanced date filter). */
const RANGE_OPS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** An ISO 8601 date-time with its offset (2026-03-01T00:00:00+08:00 or …Z), as a Date; 400 naming the field otherwise. */
function rangeBound(field: string, op: string, bound: unknown): string {
  const ok = typeof bound === 'string' && bound.length <= 40 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(bound);
  const time = ok ? Date.parse(bound) : NaN;
  if (Number.isNaN(time)) {
    throw new ServiceError('INVALID_ARGUMENT', `Filter '${field}' ${op}: expected a date-time with its offset such as 2026-03-01T00:00:00+08:00, got ${JSON.stringify(bound)?.slice(0, 60)}`);
  }
  return new Date(time).toISOString();
}

export const KeyParam = (name: string) =>
  z.object({ [name]: z.string().regex(/^[1-9][0-9]{0,18}$/, `${name} must be a numeric key such as 2251799813685249`) });

/**
 * Registers `POST <url>` answering a Camunda search over `resource`;
 * `scope` adds a per-request condition (row-level access control).
 */
export function searchRoute(
  app: FastifyInstance,
  opts: {
    url: string;
    tag: string;
    summary: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any resource, whatever its columns
    resource: Resource<any>;
    scope?: (req: FastifyRequest) => SearchSpec['where'];
  },
): void {
  const { resource } = opts;
  app.withTypeProvider<ZodTypeProvider>().post(
    opts.url,
    { schema: routeSchema({ tags: [opts.tag], summary: opts.summary, body: SearchRequest, response: { 200: searchResponse(resource.item) } }) },
    async (req) => {
      const where = opts.scope?.(req);
      const { rows, total } = await runSearch<Record<string, unknown>>(app.db, where ? { ...resource, where } : resource, req.body);
      return { items: rows.map((row) => resource.toItem(row)), page: { totalItems: total } };
    },
  );
}

/** The one row of `resource` where `condition` holds (with params $1 …), as an item; undefined when there is none. */
export async function findItem<R extends Resource<any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  db: { query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }> },
  resource: R,
  condition: string,
  params: unknown[],
): Promise<ReturnType<R['toItem']> | undefined> {
  const { rows } = await db.query(`SELECT ${resource.select} FROM ${resource.table} WHERE ${condition}`, params);
  return rows[0] ? (resource.toItem(rows[0] as Record<string, unknown>) as ReturnType<R['toItem']>) : undefined;
}
