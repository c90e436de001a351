/**
 * Temporal connections of one process: a client (start, update, signal, query) for the server and a
 * native connection for the worker, plus the search attributes the product registers.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel as TemporalLogLevel } from '@temporalio/worker';
import type { LogLevel } from './config.js';

/** Custom search attributes the workflows use: name → type. Registered on the dev server at start. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList'> = {};

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  return new Client({ connection, namespace });
}

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

const TEMPORAL_LEVEL: Record<LogLevel, TemporalLogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'WARN', // the SDK's INFO lines (worker state changes) are noise at the product's info level
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};

let runtimeInstalled = false;

/**
 * Installs the Temporal SDK runtime once per process: logging at the product's level and no signal
 * handlers of its own (server/main.ts orders the shutdown). Must run before any worker or native
 * connection exists.
 */
export function installTemporalRuntime(level: LogLevel): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger(TEMPORAL_LEVEL[level]), shutdownSignals: [] });
  runtimeInstalled = true;
}
