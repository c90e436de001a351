/**
 * The HTTP application as a plugin-style factory: buildApp(deps) wires the API, its documentation
 * and the web app, and returns a Fastify instance that is not yet listening (tests use inject()).
 * External resources (pool, Temporal client) belong to the caller, which closes them after app.close().
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type pg from 'pg';
import type { Config } from './config.js';
import { notFoundProblem, registerProblemHandlers, sendProblem } from './http/problem.js';
import { zodSerializerCompiler, zodValidatorCompiler } from './http/schema.js';
import { startMessageSweep } from './auth/message-policy.js';
import { installAuth } from './auth/plugin.js';
import { installSecurityHeaders, WEB_APP_CSP } from './auth/headers.js';
import { startReconciliation } from '../services/reconcile.js';
import { registerRoutes } from './routes/index.js';

export interface TemporalDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
}

export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  temporal: TemporalDeps;
}

export interface BuildAppOptions {
  /** Fastify logger option; default: pino at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  /** Directory of the built web app; default modeler/dist. */
  webRoot?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: pg.Pool;
    temporal: TemporalDeps;
  }
}

/** How often expired messages are deleted. */
const MESSAGE_SWEEP_MS = 60_000;

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_WEB_ROOT = path.join(REPO_ROOT, 'modeler', 'dist');

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: deps.config.logLevel },
    // One log line per request only at debug/trace.
    logController: new LogController({
      disableRequestLogging: deps.config.logLevel !== 'debug' && deps.config.logLevel !== 'trace',
    }),
    // JSON bodies (variables, searches); BPMN uploads are multipart with their own per-file limit.
    bodyLimit: 1024 * 1024,
    // TRUST_PROXY: behind a TLS proxy, x-forwarded-proto/-for give the protocol (Secure cookies) and the client's address.
    // (it also takes a hop count or address list; the cast only keeps TypeScript on Fastify's HTTP/1 overload)
    trustProxy: deps.config.security.trustProxy as boolean,
  });

  app.decorate('config', deps.config);
  app.decorate('db', deps.pool);
  app.decorate('temporal', deps.temporal);

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);
  registerProblemHandlers(app);
  await installAuth(app, deps.pool);

  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: WEB_APP_CSP }, crossOriginEmbedderPolicy: false });
  installSecurityHeaders(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '供电服务流程平台 API / Power supply service process platform API',
        description: 'BPMN 2.0 service processes (业扩报装, 故障报修, 客户投诉) running on Temporal.',
        version: await packageVersion(),
      },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'username:password (what Camunda 8 clients send)' },
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token from POST /api/auth/tokens' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sid', description: 'browser session from POST /api/auth/sign-in (+ x-csrf-token header on changes)' },
        },
      },
      security: [{ basicAuth: [] }, { bearerAuth: [] }, { sessionCookie: [] }],
    },
  });
  // The docs page gets its own policy with the hashes of its inline script and style (served over plain HTTP on localhost too).
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(registerRoutes);

  // The reconciliation sweep runs in every server; an advisory lock lets one run at a time.
  if (deps.config.reconcileIntervalMs > 0) {
    let sweep: { stop(): Promise<void> } | undefined;
    app.addHook('onReady', async () => {
      sweep = startReconciliation({ pool: deps.pool, client: deps.temporal.client }, { intervalMs: deps.config.reconcileIntervalMs, log: app.log });
    });
    app.addHook('onClose', async () => sweep?.stop());
  }

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: true,
      // brotli/gzip copies written at build time (server/platform/precompress.ts)
      preCompressed: true,
      cacheControl: false,
      setHeaders(reply, file) {
        // Vite names what is under assets/ by content hash: a changed file has a new name.
        const hashed = file.startsWith(path.join(webRoot, 'assets') + path.sep);
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('供电服务流程平台: the web app is not built (npm run build:web). API docs: /api/docs\n'),
    );
  }

  app.setNotFoundHandler((request, reply) => sendProblem(reply, notFoundProblem(request)));

  const stopSweep = startMessageSweep(deps.pool, MESSAGE_SWEEP_MS, (err) => app.log.error({ err }, 'purging expired messages failed'));
  app.addHook('onClose', async () => stopSweep());
  return app;
}
