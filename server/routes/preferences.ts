/**
 * The signed-in user's own settings of the web app: GET /api/me/preferences lists them, PUT
 * /api/me/preferences/:key sets one (a JSON value of at most PREFERENCE_MAX_BYTES), DELETE removes one.
 * Row-level: always the caller's own rows; nobody reads another user's preferences. `language` is
 * checked to be one of LANGUAGES, since the web app and /api/auth/me read it.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { HttpProblem, ProblemSchema } from '../http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const PREFERENCE_MAX_BYTES = 16 * 1024;
export const PREFERENCES_MAX_KEYS = 50;

const Key = z.string().regex(/^[a-z][a-zA-Z0-9.-]{0,63}$/, '键名：小写字母开头，最多 64 个字母、数字、点或连字符 / key: a lower-case letter, then up to 63 letters, digits, dots or hyphens');

/** The language the user chose, or zh-CN. */
export async function languageOf(db: Pick<pg.Pool, 'query'>, userId: string): Promise<Language> {
  const { rows } = await db.query<{ value: unknown }>("SELECT value FROM user_preference WHERE user_id = $1 AND key = 'language'", [userId]);
  const v = rows[0]?.value;
  return (LANGUAGES as readonly unknown[]).includes(v) ? (v as Language) : 'zh-CN';
}

export async function preferenceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/me/preferences',
    {
      schema: routeSchema({
        tags: ['auth'],
        summary: '我的设置 / The signed-in user’s preferences (language, saved filters …)',
        response: { 200: z.object({ items: z.record(z.string(), z.unknown()) }) },
      }),
    },
    async (req) => {
      const { rows } = await app.db.query<{ key: string; value: unknown }>('SELECT key, value FROM user_preference WHERE user_id = $1 ORDER BY key', [req.user!.id]);
      return { items: Object.fromEntries(rows.map((row) => [row.key, row.value])) };
    },
  );

  r.put(
    '/api/me/preferences/:key',
    {
      bodyLimit: PREFERENCE_MAX_BYTES + 1024,
      schema: routeSchema({
        tags: ['auth'],
        summary: '保存一项设置 / Set one preference of the signed-in user',
        params: z.object({ key: Key }),
        body: z.object({ value: z.unknown() }),
        response: { 200: z.object({ key: z.string(), value: z.unknown() }), 400: ProblemSchema, 413: ProblemSchema },
      }),
    },
    async (req) => {
      const { key } = req.params;
      const value = req.body.value;
      if (value === undefined) throw new HttpProblem(400, '缺少 value / value is missing');
      const json = JSON.stringify(value);
      if (Buffer.byteLength(json) > PREFERENCE_MAX_BYTES) {
        throw new HttpProblem(413, `设置 ${key} 超过 ${PREFERENCE_MAX_BYTES} 字节 / preference ${key} is over ${PREFERENCE_MAX_BYTES} bytes`);
      }
      if (key === 'language' && !(LANGUAGES as readonly unknown[]).includes(value)) {
        throw new HttpProblem(400, `language 只能是 ${LANGUAGES.join('、')} / language must be one of ${LANGUAGES.join(', ')}`);
      }
      const userId = req.user!.id;
      const { rows } = await app.db.query<{ n: string }>(
        `INSERT INTO user_preference (user_id, key, value)
         SELECT $1, $2, $3::jsonb
          WHERE (SELECT count(*) FROM user_preference WHERE user_id = $1 AND key <> $2) < $4
         ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = now()
         RETURNING 1 AS n`,
        [userId, key, json, PREFERENCES_MAX_KEYS],
      );
      if (rows.length === 0) {
        throw new HttpProblem(400, `每个用户最多 ${PREFERENCES_MAX_KEYS} 项设置 / at most ${PREFERENCES_MAX_KEYS} preferences per user`);
      }
      return { key, value };
    },
  );

  r.delete(
    '/api/me/preferences/:key',
    { schema: routeSchema({ tags: ['auth'], summary: '删除一项设置 / Remove one preference of the signed-in user', params: z.object({ key: Key }) }) },
    async (req, reply) => {
      await app.db.query('DELETE FROM user_preference WHERE user_id = $1 AND key = $2', [req.user!.id, req.params.key]);
      return reply.code(204).send();
    },
  );
}
