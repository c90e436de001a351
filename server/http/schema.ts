/**
 * Route schemas declared once with zod, giving validation, typed handlers and OpenAPI together.
 *
 *   import { z } from 'zod';
 *   import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
 *
 *   const Params = z.object({ id: z.uuid() });
 *   const Body = z.object({ name: z.string().min(1) });
 *   app.withTypeProvider<ZodTypeProvider>().put('/api/things/:id', {
 *     schema: routeSchema({ tags: ['things'], summary: 'Rename a thing', params: Params, body: Body,
 *                           response: { 200: Thing } }),
 *   }, async (req) => rename(req.params.id, req.body.name));   // req.params / req.body are typed
 *
 * Each zod schema is converted to JSON Schema (OpenAPI 3.0 dialect) for @fastify/swagger; the app's
 * validator compiler finds the zod schema again and validates with it, so coercions, defaults and
 * refinements apply and a failure is a ZodError (→ 400 problem+json). Query strings arrive as
 * strings: use z.coerce.number() and friends there. Response schemas document the answer; replies
 * are serialised with JSON.stringify. Plain JSON schemas are refused at start-up so that every
 * boundary stays zod-checked.
 */
import type { FastifySchema, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';

declare const zodTypeKey: unique symbol;
/** A JSON Schema that remembers (in its type only) the zod schema it came from. */
export type ZodJsonSchema<T extends z.ZodType> = { readonly [zodTypeKey]?: T } & Record<string, unknown>;

const origins = new WeakMap<object, z.ZodType>();

/** Converts one zod schema; `io` picks the input form (requests) or output form (responses). */
export function toJsonSchema<T extends z.ZodType>(schema: T, io: 'input' | 'output' = 'input'): ZodJsonSchema<T> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  origins.set(json, schema);
  return json as ZodJsonSchema<T>;
}

interface RouteSchemaInput<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  H extends z.ZodType | undefined,
> {
  body?: B;
  querystring?: Q;
  params?: P;
  headers?: H;
  /** Status code → zod schema of the reply. */
  response?: Record<number | string, z.ZodType>;
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  /** Hide from the OpenAPI document. */
  hide?: boolean;
}

type Converted<T> = T extends z.ZodType ? ZodJsonSchema<T> : undefined;

export function routeSchema<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(
  input: RouteSchemaInput<B, Q, P, H>,
): FastifySchema & { body: Converted<B>; querystring: Converted<Q>; params: Converted<P>; headers: Converted<H> } {
  const { body, querystring, params, headers, response, ...doc } = input;
  const schema: Record<string, unknown> = { ...doc };
  if (body) schema.body = toJsonSchema(body);
  if (querystring) schema.querystring = toJsonSchema(querystring);
  if (params) schema.params = toJsonSchema(params);
  if (headers) schema.headers = toJsonSchema(headers);
  if (response) {
    schema.response = Object.fromEntries(Object.entries(response).map(([code, s]) => [code, toJsonSchema(s, 'output')]));
  }
  return schema as unknown as ReturnType<typeof routeSchema<B, Q, P, H>>;
}

/** Fastify type provider: request parts are typed by the zod schemas given to routeSchema(). */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends ZodJsonSchema<infer T> ? (T extends z.ZodType ? z.output<T> : unknown) : unknown;
  serializer: this['schema'] extends ZodJsonSchema<infer T> ? (T extends z.ZodType ? z.input<T> : unknown) : unknown;
}

function zodOf(schema: unknown, where: string): z.ZodType {
  const found = typeof schema === 'object' && schema !== null ? origins.get(schema) : undefined;
  if (!found) {
    throw new Error(`${where} has a plain JSON schema; declare it with routeSchema() from server/http/schema.ts (zod)`);
  }
  return found;
}

export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, method, url, httpPart }) => {
  const zodSchema = zodOf(schema, `route ${method} ${url} (${httpPart})`);
  return (data: unknown) => {
    const result = zodSchema.safeParse(data);
    return result.success ? { value: result.data } : { error: result.error };
  };
};

export const zodSerializerCompiler = ({ schema, method, url }: { schema: unknown; method: string; url: string }) => {
  zodOf(schema, `route ${method} ${url} (response)`);
  return (data: unknown) => JSON.stringify(data);
};
