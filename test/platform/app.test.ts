import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { HttpProblem } from '../../server/http/problem.js';
import { routeSchema, type ZodTypeProvider } from '../../server/http/schema.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp();
});
afterAll(async () => {
  await stack?.close();
});

describe('HTTP app', () => {
  it('answers liveness', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when PostgreSQL, Temporal and the migrations are', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/api/ready' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ready');
    expect(body.components.postgres.ok).toBe(true);
    expect(body.components.temporal.ok).toBe(true);
    expect(body.components.migrations.ok).toBe(true);
  });

  it('decorates the app with db and temporal', async () => {
    const res = await stack.app.db.query<{ n: number }>('SELECT 41 + 1 AS n');
    expect(res.rows[0].n).toBe(42);
    expect(stack.app.temporal.taskQueue).toBe(stack.taskQueue);
    expect(stack.app.temporal.client).toBe(stack.client);
  });

  it('publishes OpenAPI and the interactive docs', async () => {
    const spec = await stack.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/ready']));
    expect(doc.paths['/api/health'].get.responses['200'].content['application/json'].schema.properties.status).toBeDefined();
    const docs = await stack.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers unknown API routes with problem+json 404', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found', detail: expect.stringContaining('/api/no-such-thing') });
  });
});

describe('route schemas and errors', () => {
  it('validates with zod, types the handler, documents the route, and maps failures to problem+json', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: stack.app.config.temporal.address ?? '', LOG_LEVEL: 'silent' }, 'server');
    const app = await buildApp({ config, pool: db.pool, temporal: stack.app.temporal }, { logger: false });
    try {
      const Query = z.object({ times: z.coerce.number().int().min(1).max(3).default(1) });
      const Body = z.object({ word: z.string().min(2) });
      app.withTypeProvider<ZodTypeProvider>().post(
        '/api/test/echo',
        { config: { permission: 'public' }, schema: routeSchema({ tags: ['test'], querystring: Query, body: Body, response: { 200: z.object({ echo: z.string() }) } }) },
        async (req) => {
          if (req.body.word === 'teapot') throw new HttpProblem(418, 'no coffee here', { title: "I'm a teapot", extra: { hint: 'tea' } });
          if (req.body.word === 'boom') throw new Error('internal detail that must not leak');
          return { echo: req.body.word.repeat(req.query.times) };
        },
      );

      const ok = await app.inject({ method: 'POST', url: '/api/test/echo?times=2', payload: { word: 'hi' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ echo: 'hihi' });

      const bad = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { word: 'x' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = bad.json();
      expect(problem).toMatchObject({ type: 'urn:problem:validation', title: 'Invalid request', status: 400 });
      expect(problem.detail).toMatch(/^body\.word: /);
      expect(problem.issues[0]).toMatchObject({ path: 'word' });

      const badQuery = await app.inject({ method: 'POST', url: '/api/test/echo?times=9', payload: { word: 'hi' } });
      expect(badQuery.statusCode).toBe(400);
      expect(badQuery.json().detail).toMatch(/^querystring\.times: /);

      const teapot = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { word: 'teapot' } });
      expect(teapot.statusCode).toBe(418);
      expect(teapot.json()).toEqual({ type: 'about:blank', title: "I'm a teapot", status: 418, detail: 'no coffee here', hint: 'tea' });

      const boom = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { word: 'boom' } });
      expect(boom.statusCode).toBe(500);
      expect(boom.body).not.toContain('internal detail');

      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      const op = doc.paths['/api/test/echo'].post;
      expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'times', in: 'query' })]));
      expect(op.requestBody.content['application/json'].schema.properties.word).toMatchObject({ type: 'string', minLength: 2 });
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('refuses plain JSON schemas so that every boundary is zod-checked', async () => {
    const db = await createTestDatabase({ migrate: false });
    const app = await buildApp({ config: stack.app.config, pool: db.pool, temporal: stack.app.temporal }, { logger: false });
    try {
      app.post('/api/test/plain', { config: { permission: 'public' }, schema: { body: { type: 'object' } } }, async () => ({}));
      await expect(app.ready()).rejects.toThrow(/plain JSON schema; declare it with routeSchema\(\)/);
    } finally {
      await app.close().catch(() => undefined);
      await db.drop();
    }
  });
});

describe('readiness failures', () => {
  it('names pending migrations', async () => {
    const db = await createTestDatabase({ migrate: false });
    const app = await buildApp({ config: stack.app.config, pool: db.pool, temporal: stack.app.temporal }, { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body).toMatchObject({ status: 503, title: 'Not ready', failing: ['migrations'] });
      expect(body.detail).toMatch(/migrations: not applied: 0001_platform\.sql/);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('names Temporal when it is unreachable', async () => {
    const { Client, Connection } = await import('@temporalio/client');
    const { freePort } = await import('../support/ports.js');
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 1000 });
    const client = new Client({ connection, namespace: 'default' });
    const app = await buildApp(
      { config: stack.app.config, pool: stack.pool, temporal: { client, namespace: 'default', taskQueue: 'none' } },
      { logger: false },
    );
    try {
      const res = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.failing).toEqual(['temporal']);
      expect(body.detail).toMatch(/^temporal: /);
    } finally {
      await app.close();
      await connection.close();
    }
  });

  it('names PostgreSQL when the database is unreachable', async () => {
    const db = await createTestDatabase();
    await db.drop(); // the pool now points at a database that no longer exists
    const { createPool } = await import('../../db/pool.js');
    const pool = createPool(db.url, { max: 1 });
    const app = await buildApp({ config: stack.app.config, pool, temporal: stack.app.temporal }, { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.failing).toContain('postgres');
      expect(body.failing).not.toContain('temporal');
      expect(body.detail).toMatch(/^postgres: /);
    } finally {
      await app.close();
      await pool.end();
    }
  });
});
