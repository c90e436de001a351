/**
 * The HTTP server while a part is down (server/platform/availability.ts) and /api/ready's time
 * bound (server/routes/health.ts), on a small Fastify app with the real health routes and error
 * handler. PostgreSQL is a stand-in that never answers, Temporal a TCP port that accepts connections
 * and never answers — situations a real server cannot be made to produce on demand;
 * test/platform/supervision.test.ts kills the real ones.
 */
import { createServer, type Server, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerProblemHandlers } from '../../server/http/problem.js';
import { zodSerializerCompiler, zodValidatorCompiler } from '../../server/http/schema.js';
import { installAvailability } from '../../server/platform/availability.js';
import type { ComponentReport, ComponentState } from '../../server/platform/supervisor.js';
import { healthRoutes } from '../../server/routes/health.js';

let app: FastifyInstance;
let temporalCalls = 0; // connections to the silent Temporal
let silent: Server;
let silentPort = 0;
const sockets: Socket[] = [];
const states: Record<string, ComponentState> = {};

const never = () => new Promise<never>(() => undefined);

async function build(supervised: boolean): Promise<FastifyInstance> {
  const a = Fastify({ logger: false });
  a.setValidatorCompiler(zodValidatorCompiler);
  a.setSerializerCompiler(zodSerializerCompiler);
  registerProblemHandlers(a);
  // Dependencies that hang: the checks must give up on their own.
  a.decorate('db', { query: never } as never);
  a.decorate('temporal', {
    namespace: 'default',
    taskQueue: 'q',
    client: { connection: { options: { address: `127.0.0.1:${silentPort}` } } },
  } as never);
  await a.register(healthRoutes);
  a.get('/v2/fine', async () => ({ ok: true }));
  a.get('/v2/boom', async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:7233');
  });
  a.get('/index.html', async () => 'the web app');
  if (supervised) {
    installAvailability(a, {
      components: (): ComponentReport[] =>
        Object.entries(states).map(([name, state]) => ({
          name,
          state,
          detail: state === 'up' ? 'running' : `${name} is down (exited: signal SIGKILL); restart attempt 1 in 2s`,
        })),
      retryAfterSeconds: () => 3,
    });
  }
  return a;
}

beforeAll(async () => {
  silent = createServer((socket) => {
    temporalCalls += 1;
    sockets.push(socket);
    socket.on('error', () => undefined); // and never a byte back
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

beforeEach(() => {
  temporalCalls = 0;
  Object.assign(states, { postgres: 'up', temporal: 'up', worker: 'up' });
});
afterEach(async () => {
  await app?.close();
});

describe('/api/ready', () => {
  it('answers within 1 s when PostgreSQL and Temporal hang, naming both, with Retry-After', async () => {
    app = await build(false);
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/api/ready' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    const body = res.json();
    expect(body.failing).toEqual(['postgres', 'temporal', 'migrations']);
    expect(body.components.postgres.detail).toMatch(/PostgreSQL did not answer within 0\.8s/);
    expect(body.components.temporal.detail).toMatch(/Temporal did not answer within 0\.8s|Deadline exceeded/i);
    expect(temporalCalls).toBeGreaterThan(0);
  });

  it('reports a supervised part that is down without asking it, and the worker too', async () => {
    app = await build(true);
    states.temporal = 'restarting';
    states.worker = 'restarting';
    const res = await app.inject({ method: 'GET', url: '/api/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
    const body = res.json();
    expect(body.failing).toEqual(expect.arrayContaining(['temporal', 'worker']));
    expect(body.components.temporal).toEqual({ ok: false, detail: 'temporal is down (exited: signal SIGKILL); restart attempt 1 in 2s' });
    expect(body.components.worker.ok).toBe(false);
    expect(temporalCalls).toBe(0);
  });
});

describe('API answers while a part is down', () => {
  it('PostgreSQL down: every API route answers 503 at once naming it; health and the web app still answer', async () => {
    app = await build(true);
    states.postgres = 'restarting';
    const res = await app.inject({ method: 'GET', url: '/v2/fine' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 503, failing: ['postgres'], detail: expect.stringContaining('postgres is down') });
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/index.html' })).statusCode).toBe(200);

    states.postgres = 'up';
    expect((await app.inject({ method: 'GET', url: '/v2/fine' })).statusCode).toBe(200);
  });

  it('Temporal down: a request that fails becomes 503 naming Temporal; one that does not need it still works', async () => {
    app = await build(true);
    states.temporal = 'restarting';
    const boom = await app.inject({ method: 'GET', url: '/v2/boom' });
    expect(boom.statusCode).toBe(503);
    expect(boom.headers['retry-after']).toBe('3');
    expect(boom.json()).toMatchObject({ failing: ['temporal'], title: 'Service Unavailable' });
    expect((await app.inject({ method: 'GET', url: '/v2/fine' })).statusCode).toBe(200);
  });

  it('with every part up, a failure stays the 500 it is', async () => {
    app = await build(true);
    const boom = await app.inject({ method: 'GET', url: '/v2/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.headers['retry-after']).toBeUndefined();
  });
});
