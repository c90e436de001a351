/**
 * Camunda 8 search requests: { filter, sort: [{ field, order }], page: { from, limit } } answered
 * with { items, page: { totalItems } }. Each resource maps its API field names to SQL columns;
 * only mapped fields can be filtered and sorted, anything else is a 400 naming the field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { scopeSql } from '../../auth/visibility.js';
import { ServiceError } from '../../../services/errors.js';

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

export interface FieldSpec {
  column: string;
  /** How filter values are compared: exact text/key/number, boolean, or array membership. */
  kind?: 'text' | 'key' | 'int' | 'bool' | 'member' | 'state';
}

export interface SearchSpec {
  table: string;
  /** Column list for SELECT. */
  select: string;
  fields: Record<string, FieldSpec>;
  defaultSort: string;
  /** Extra SQL condition always applied (access control), with placeholders $1@, $2@ … for its params. */
  where?: { sql: string; params: unknown[] };
}

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
    const f = spec.fields[field];
    if (!f) {
      throw new ServiceError('INVALID_ARGUMENT', `Unknown filter field '${field}'; allowed: ${Object.keys(spec.fields).join(', ')}`);
    }
    const value = typeof raw === 'object' && raw !== null && '$eq' in raw ? (raw as { $eq: unknown }).$eq : raw;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const ops = value as Record<string, unknown>;
      if (Array.isArray(ops.$in)) {
        params.push(ops.$in.map(String));
        where.push(`${f.column}::text = ANY($${params.length})`);
        continue;
      }
      throw new ServiceError('INVALID_ARGUMENT', `Filter '${field}' supports a value, {"$eq": value} or {"$in": [values]}`);
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
    const f = spec.fields[s.field];
    if (!f) throw new ServiceError('INVALID_ARGUMENT', `Unknown sort field '${s.field}'; allowed: ${Object.keys(spec.fields).join(', ')}`);
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

export const KeyParam = (name: string) =>
  z.object({ [name]: z.string().regex(/^[1-9][0-9]{0,18}$/, `${name} must be a numeric key such as 2251799813685249`) });

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : undefined);

/** 'userTask' → 'USER_TASK', as Camunda names element types. */
export function camundaType(elementType: string): string {
  return elementType.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * Registers `POST <url>` answering a Camunda search over `spec` with items made by `toItem`;
 * `scope` adds a per-request condition (row-level access control).
 */
export function searchRoute<Row, Item extends z.ZodType>(
  app: FastifyInstance,
  opts: {
    url: string;
    tag: string;
    summary: string;
    item: Item;
    spec: SearchSpec;
    toItem: (row: Row) => z.input<Item>;
    scope?: (req: FastifyRequest) => SearchSpec['where'];
  },
): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    opts.url,
    { schema: routeSchema({ tags: [opts.tag], summary: opts.summary, body: SearchRequest, response: { 200: searchResponse(opts.item) } }) },
    async (req) => {
      const where = opts.scope?.(req);
      const { rows, total } = await runSearch<Row>(app.db, where ? { ...opts.spec, where } : opts.spec, req.body);
      return { items: rows.map(opts.toItem), page: { totalItems: total } };
    },
  );
}
