import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { VariableLimits } from '../../workflows/variables-limits.js';
import { HttpProblem } from '../http/problem.js';

/** What the engine services need: the read-model database and a Temporal client on the engine's task queue. */
export interface EngineDeps {
  pool: pg.Pool;
  client: Client;
  taskQueue: string;
  /** Size limits of variables (server/config.ts); DEFAULT_VARIABLE_LIMITS when absent. */
  variableLimits?: VariableLimits;
}

/**
 * A request the engine refuses: problem+json with this status and a Camunda-style title
 * (NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS…), so Camunda clients read it as they read Camunda's.
 */
export class EngineError extends HttpProblem {
  constructor(status: 400 | 404 | 409 | 422 | 503, title: string, detail: string, extra: Record<string, unknown> = {}) {
    super(status, detail, { title, extra });
    this.name = 'EngineError';
  }
}

export const DEFAULT_TENANT = '<default>';
