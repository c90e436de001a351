import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { EngineLimits } from '../workflows/engine/limits.js';
import type { VariableLimits } from '../workflows/variables-limits.js';

/** What the engine services need: the read-model database and a Temporal client on the engine's task queue. */
export interface EngineDeps {
  pool: pg.Pool;
  client: Client;
  taskQueue: string;
  /** Size limits of variables (server/config.ts); DEFAULT_VARIABLE_LIMITS when absent. */
  variableLimits?: VariableLimits;
  /** Bounds on FEEL evaluation and multi-instance cardinality given to new instances (server/config.ts); the engine's defaults when absent. */
  engineLimits?: Partial<EngineLimits>;
}

export const DEFAULT_TENANT = '<default>';
