import type { Client } from '@temporalio/client';
import type pg from 'pg';

/** What the engine services need: the read-model database and a Temporal client on the engine's task queue. */
export interface EngineDeps {
  pool: pg.Pool;
  client: Client;
  taskQueue: string;
}

export const DEFAULT_TENANT = '<default>';
