/**
 * Finding — and when needed building — the Temporal CLI (`temporal server start-dev`) that
 * `npm start` and `npm test` run when no TEMPORAL_ADDRESS is given.
 *
 * Looked up in this order: TEMPORAL_CLI_PATH (taken as it is), `temporal` on PATH, then the Go bin
 * directories ($GOBIN, $(go env GOPATH)/bin, ~/go/bin). The first binary that is version 1.5.1 is
 * used. When there is none and Go is installed, it is built once with
 * `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` (a few minutes; later tags carry a
 * `replace` directive that `go install` refuses). Without Go, a `temporal` of another version is
 * used as found; with none at all the caller falls back to the SDK's download (needs internet) and
 * reports missingCliMessage() when that fails too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export interface TemporalCli {
  path: string;
  /** Where it was found, for the progress line. */
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'go bin' | 'go install';
  /** Its version when known ("1.5.1"); null when it could not be told. */
  version: string | null;
}

/** The environment the lookup reads (PATH, GOBIN, HOME); tests pass a fake one. */
export type LookupEnv = Readonly<Record<string, string | undefined>>;

export type CliPlan =
  | { kind: 'found'; cli: TemporalCli }
  /** No 1.5.1 binary, but Go is there: build it into `goBin`. */
  | { kind: 'build'; goBin: string; others: TemporalCli[] }
  /** No 1.5.1 binary and no Go; `others` are binaries of other or unknown versions. */
  | { kind: 'missing'; others: TemporalCli[] };

export class TemporalCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalCliError';
  }
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], env: LookupEnv, timeoutMs = 10_000): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', env: { ...env }, stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs });
  } catch {
    return null;
  }
}

/** The `go` binary on PATH, or null. */
function findGo(env: LookupEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  return null;
}

/** Where `go install` puts binaries: $GOBIN, else the first GOPATH entry's bin; null without Go. */
export function goInstallDir(env: LookupEnv): string | null {
  const go = findGo(env);
  if (!go) return null;
  const out = run(go, ['env', 'GOBIN', 'GOPATH'], env);
  if (out === null) return null;
  const [gobin = '', gopath = ''] = out.split('\n').map((l) => l.trim());
  if (gobin) return gobin;
  const first = gopath.split(path.delimiter).find(Boolean);
  return first ? path.join(first, 'bin') : null;
}

/**
 * The version of a temporal binary: a release says it in `temporal --version`; a `go install` build
 * says 0.0.0-DEV there but records its module version, which `go version -m` prints.
 */
export function temporalCliVersion(binary: string, env: LookupEnv): string | null {
  const own = run(binary, ['--version'], env)?.match(/(\d+\.\d+\.\d+)/)?.[1];
  if (own && own !== '0.0.0') return own;
  const go = findGo(env);
  if (!go) return null;
  const module = run(go, ['version', '-m', binary], env)?.match(/github\.com\/temporalio\/cli\s+v(\d+\.\d+\.\d+)/)?.[1];
  return module ?? null;
}

function candidates(env: LookupEnv, goBin: string | null): { path: string; source: 'PATH' | 'go bin' }[] {
  const out: { path: string; source: 'PATH' | 'go bin' }[] = [];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir) out.push({ path: path.join(dir, 'temporal'), source: 'PATH' });
  }
  const goDirs = [goBin, env.GOBIN, path.join(env.HOME || homedir(), 'go', 'bin')];
  for (const dir of goDirs) if (dir) out.push({ path: path.join(dir, 'temporal'), source: 'go bin' });
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.path) && seen.add(c.path) && isExecutable(c.path));
}

/** Decides what to use: a found 1.5.1 binary, a build with Go, or nothing (see CliPlan). */
export function planTemporalCli(explicitPath: string | undefined, env: LookupEnv = process.env): CliPlan {
  if (explicitPath) {
    if (!isExecutable(explicitPath)) {
      throw new TemporalCliError(`TEMPORAL_CLI_PATH=${explicitPath} is not an executable file; point it at a temporal binary or unset it`);
    }
    return { kind: 'found', cli: { path: explicitPath, source: 'TEMPORAL_CLI_PATH', version: null } };
  }
  const others: TemporalCli[] = [];
  const goBin = goInstallDir(env);
  for (const c of candidates(env, goBin)) {
    const cli: TemporalCli = { ...c, version: temporalCliVersion(c.path, env) };
    if (cli.version === TEMPORAL_CLI_VERSION) return { kind: 'found', cli };
    others.push(cli);
  }
  return goBin ? { kind: 'build', goBin, others } : { kind: 'missing', others };
}

/** The error text when there is no CLI, no Go and no download: what to install, or what to set. */
export function missingCliMessage(): string {
  return (
    `Temporal CLI ${TEMPORAL_CLI_VERSION} not found (TEMPORAL_CLI_PATH, PATH, $(go env GOPATH)/bin, ~/go/bin) and Go is not installed. ` +
    `Install Go (apt-get install golang-go, or https://go.dev/dl) and run again — it is then built automatically ` +
    `(go install ${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}) — or set TEMPORAL_CLI_PATH to a temporal binary, ` +
    'or TEMPORAL_ADDRESS to an existing Temporal server'
  );
}

/** Builds the CLI with `go install` into `goBin` (a few minutes the first time) and checks its version. */
export async function buildTemporalCli(goBin: string, env: LookupEnv = process.env): Promise<TemporalCli> {
  const go = findGo(env);
  if (!go) throw new TemporalCliError(missingCliMessage());
  const recent: string[] = [];
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(go, ['install', `${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}`], {
      env: { ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) recent.push(line);
      recent.splice(0, Math.max(0, recent.length - 20));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => resolve(err.message));
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? String(signal)));
  });
  const built = path.join(goBin, 'temporal');
  if (code !== 0) {
    throw new TemporalCliError(
      `go install ${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION} failed (${code}); it needs the Go module proxy ` +
        `(GOPROXY) or a module cache. Last output:\n${recent.join('\n')}`,
    );
  }
  const version = temporalCliVersion(built, env);
  if (version !== TEMPORAL_CLI_VERSION) {
    throw new TemporalCliError(`go install built ${built}, but it reports version ${version ?? 'unknown'}, not ${TEMPORAL_CLI_VERSION}`);
  }
  return { path: built, source: 'go install', version };
}

/**
 * The CLI to run: found, built now (announce() is called first: it takes minutes), or null when
 * there is neither a binary nor Go (the caller then tries the SDK's download).
 */
export async function ensureTemporalCli(
  explicitPath: string | undefined,
  announce: (message: string) => void,
  env: LookupEnv = process.env,
): Promise<TemporalCli | null> {
  const plan = planTemporalCli(explicitPath, env);
  if (plan.kind === 'found') return plan.cli;
  if (plan.kind === 'missing') return plan.others[0] ?? null;
  announce(buildAnnouncement(plan));
  return buildTemporalCli(plan.goBin, env);
}

export function buildAnnouncement(plan: Extract<CliPlan, { kind: 'build' }>): string {
  const other = plan.others[0];
  const why = other ? `${other.path} is version ${other.version ?? 'unknown'}` : 'not found';
  return (
    `Temporal CLI ${TEMPORAL_CLI_VERSION}: ${why}; 正在用 Go 构建 / building it with go install into ${plan.goBin} — ` +
    '需要几分钟，只此一次 / takes a few minutes, once'
  );
}
