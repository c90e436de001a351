import type { FastifyInstance } from 'fastify';
import type { EngineDeps } from '../../../services/deps.js';

export function engineDeps(app: FastifyInstance): EngineDeps {
  return { pool: app.db, client: app.temporal.client, taskQueue: app.temporal.taskQueue };
}
