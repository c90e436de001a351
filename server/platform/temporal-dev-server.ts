/**
 * The Temporal dev server (`temporal server start-dev`) that `npm start` and the tests run when no
 * TEMPORAL_ADDRESS is given.
 *
 * The CLI binary comes from ensureTemporalCli() (temporal-cli.ts: found, or built with Go); without
 * one, the Temporal SDK's cached download (needs internet). The binary runs in its own process
 * group, which stop() terminates as a whole; `exited` tells a supervisor when it died.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { missingCliMessage, type TemporalCli } from './temporal-cli.js';

export type { TemporalCli } from './temporal-cli.js';

export interface DevServerOptions {
  /** Path of the CLI; null means the SDK's cached download. */
  cli: TemporalCli | null;
  /** SQLite file for persistent state; undefined keeps everything in memory. */
  dbFile?: string;
  port: number;
  /** Web UI port; null runs headless. */
  uiPort: number | null;
  namespace: string;
  /** File receiving the server's output; without it the output is only kept for error messages. */
  logFile?: string;
  /** Search attributes to register: name → type (Keyword, Text, Int, Double, Bool, Datetime, KeywordList). */
  searchAttributes?: Record<string, string>;
  /** How long to wait until the server accepts connections (default 60 s). */
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** Process id of the CLI (its process group id too); null for the SDK download. */
  pid: number | null;
  /** Resolves with a description ("signal SIGKILL", "code 1") when the server process ends; never for the SDK download. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export class TemporalServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalServerError';
  }
}

const HOST = '127.0.0.1';

/** Waits until the frontend at `address` answers for `namespace`; `alive` aborts early when the process died. */
export async function waitForTemporal(
  address: string,
  namespace: string,
  timeoutMs: number,
  alive: () => string | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const died = alive();
    if (died) throw new TemporalServerError(died);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.withDeadline(Date.now() + 3000, () =>
          connection.workflowService.describeNamespace({ namespace }),
        );
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new TemporalServerError(`Temporal at ${address} did not become ready within ${timeoutMs / 1000}s: ${reason}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

async function startFromCli(cli: TemporalCli, options: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(options.port), '--log-level', 'warn'];
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);

  const child = spawn(cli.path, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const recent: string[] = [];
  const logStream = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
  const collect = (chunk: Buffer) => {
    logStream?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | null = null;
  child.on('error', (err) => (spawnError = err));
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
  );
  const isRunning = () => child.exitCode === null && child.signalCode === null && spawnError === null;

  // If this process exits without stop() (an uncaught error), take the server along.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (isRunning()) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    // Children of the CLI (if any) share its process group.
    killGroup(child, 'SIGKILL');
    await new Promise<void>((resolve) => (logStream ? logStream.end(resolve) : resolve()));
  };

  const address = `${HOST}:${options.port}`;
  try {
    await waitForTemporal(address, options.namespace, options.startTimeoutMs ?? 60_000, () => {
      if (isRunning()) return null;
      const log = recent.join('\n');
      if (spawnError) return `could not run ${cli.path}: ${(spawnError as Error).message}`;
      if (/address already in use/i.test(log)) {
        return `Temporal could not listen on port ${options.port} or ${options.uiPort} (already in use); set TEMPORAL_PORT / TEMPORAL_UI_PORT to free ports, or TEMPORAL_ADDRESS to use another server`;
      }
      return `temporal server start-dev exited (code ${child.exitCode ?? child.signalCode})${log ? `\n--- Temporal log ---\n${log}` : ''}`;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://localhost:${options.uiPort}`,
    pid: child.pid ?? null,
    exited,
    stop,
  };
}

async function startFromDownload(options: DevServerOptions): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  let env: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: HOST,
        port: options.port,
        ui: options.uiPort !== null,
        uiPort: options.uiPort ?? undefined,
        dbFilename: options.dbFile,
        namespace: options.namespace,
        extraArgs: Object.entries(options.searchAttributes ?? {}).flatMap(([n, t]) => ['--search-attribute', `${n}=${t}`]),
      },
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TemporalServerError(`${missingCliMessage()}. (The Temporal SDK could not download one either: ${reason})`);
  }
  return {
    address: env.address,
    uiUrl: options.uiPort === null ? null : `http://localhost:${options.uiPort}`,
    pid: null,
    exited: new Promise<string>(() => undefined),
    stop: () => env.teardown(),
  };
}

/** Starts a dev server and waits until it accepts connections for `namespace`. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  if (options.logFile) mkdirSync(path.dirname(options.logFile), { recursive: true });
  if (options.cli && !existsSync(options.cli.path)) {
    throw new TemporalServerError(`temporal CLI ${options.cli.path} does not exist`);
  }
  return options.cli ? startFromCli(options.cli, options) : startFromDownload(options);
}
