/**
 * What `npm test` needs on this machine, prepared by the vitest global setup so that
 * `npm install && npm test` is the whole set-up (scripts/setup.sh does the same from bash, for CI
 * before `npm ci`). Each part is checked first and skipped when present, which takes well under a
 * second:
 *
 *   1. the Temporal CLI 1.5.1 (server/platform/temporal-cli.ts: found, or built with Go);
 *   2. Temporal's Java test server (time skipping) from Maven Central into
 *      $TEMPORAL_TEST_SERVER_DIR (default ~/.cache/gongdian-flow/temporal-test-server);
 *   3. Debian's chromium (browser tests) and 4. the small CJK font fonts-wqy-microhei (screenshots).
 *
 * Parts 2–4 are installed with apt-get (Java, Maven, chromium, the font) only when running as root
 * with apt-get available; otherwise a line names what to install, and only the tests that need that
 * part fail, with their own message.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli, type TemporalCli } from '../../server/platform/temporal-cli.js';

const POM = fileURLToPath(new URL('../test-server/pom.xml', import.meta.url));
export const CHROMIUM_PATH = '/usr/bin/chromium';
const FONT_FILES = ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'];

export function testServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_TEST_SERVER_DIR || path.join(env.HOME || homedir(), '.cache', 'gongdian-flow', 'temporal-test-server');
}

function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, cmd), constants.X_OK);
      return dir !== '';
    } catch {
      return false;
    }
  });
}

function exec(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const recent: string[] = [];
    const collect = (c: Buffer) => recent.push(...c.toString('utf8').split('\n').filter((l) => l.trim())) && recent.splice(0, Math.max(0, recent.length - 15));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${recent.join('\n')}`))));
  });
}

const canApt = () => userInfo().uid === 0 && onPath('apt-get');
let aptUpdated = false;
/** apt-get takes a lock: one install at a time, `apt-get update` once before the first. */
let aptQueue: Promise<unknown> = Promise.resolve();

function aptInstall(packages: string[]): Promise<void> {
  const next = aptQueue.then(async () => {
    // Another apt-get (a second test run, scripts/setup.sh) may hold the lock: wait for it.
    const wait = ['-o', 'DPkg::Lock::Timeout=600'];
    if (!aptUpdated) await exec('apt-get', [...wait, 'update', '-qq']);
    aptUpdated = true;
    await exec('apt-get', [...wait, 'install', '-y', '-qq', ...packages]);
  });
  aptQueue = next.catch(() => undefined);
  return next;
}

function pomHash(): string {
  return createHash('sha256').update(readFileSync(POM)).digest('hex');
}

/** True when the Java test server is installed from the current pom.xml. */
export function testServerIsCurrent(dir: string = testServerDir()): boolean {
  const stamp = path.join(dir, '.pom.sha256');
  return existsSync(path.join(dir, 'temporal-test-server')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pomHash();
}

async function installTestServer(dir: string, log: (line: string) => void): Promise<void> {
  if (!onPath('java') || !onPath('mvn')) {
    if (!canApt()) throw new Error('Java and Maven are needed to fetch it: install default-jre-headless and maven');
    log("  Java/Maven 缺失 / missing: installing Debian's default-jre-headless and maven …");
    await aptInstall(['default-jre-headless', 'maven']);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'lib'), { recursive: true });
  await exec('mvn', ['-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'lib')}`]);
  const wrapper = path.join(dir, 'temporal-test-server');
  await writeFile(
    wrapper,
    '#!/usr/bin/env bash\n# Temporal\'s Java test server: temporal-test-server <port> [--enable-time-skipping]\n' +
      'exec java -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"\n',
  );
  await chmod(wrapper, 0o755);
  await writeFile(path.join(dir, '.pom.sha256'), `${pomHash()}\n`);
}

function fontInstalled(): boolean {
  return FONT_FILES.some((f) => existsSync(f));
}

export interface PreparedMachine {
  /** The CLI to run; null: none found and no Go (the SDK's download is tried). Undefined with TEMPORAL_ADDRESS. */
  temporalCli?: TemporalCli | null;
  /** One entry per part: what was done ("present", "installed …") or what is missing. */
  report: string[];
}

/** Prepares the machine for the tests; throws only when the Temporal CLI cannot be had. */
export async function prepareTestMachine(log: (line: string) => void = (l) => console.log(l)): Promise<PreparedMachine> {
  const report: string[] = [];
  const attempt = async (part: string, present: () => boolean, install: () => Promise<void>) => {
    if (present()) return report.push(`${part}: present`);
    log(`[test setup] ${part}: 正在安装 / installing (once; may take a few minutes) …`);
    const started = performance.now();
    try {
      await install();
      report.push(`${part}: installed (${((performance.now() - started) / 1000).toFixed(0)}s)`);
    } catch (err) {
      const line = `${part}: 缺失 / missing — ${err instanceof Error ? err.message : String(err)}`;
      log(`[test setup] ${line}`);
      report.push(line);
    }
    return report.length;
  };
  // The other parts only matter for some tests; they never stop the run.
  const others = Promise.all([
    attempt("Temporal's Java test server", () => testServerIsCurrent(), () => installTestServer(testServerDir(), log)),
    attempt(`chromium (${CHROMIUM_PATH})`, () => existsSync(CHROMIUM_PATH), async () => {
      if (!canApt()) throw new Error("install Debian's chromium (apt-get install chromium) as root");
      await aptInstall(['chromium']);
    }),
    attempt('CJK font fonts-wqy-microhei', fontInstalled, async () => {
      if (!canApt()) throw new Error('install fonts-wqy-microhei (apt-get) as root');
      await aptInstall(['fonts-wqy-microhei']);
    }),
  ]);
  let temporalCli: TemporalCli | null | undefined;
  if (!process.env.TEMPORAL_ADDRESS) {
    temporalCli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, (line) => log(`[test setup] ${line}`));
    report.push(`Temporal CLI: ${temporalCli ? `${temporalCli.path} (${temporalCli.source})` : 'none (SDK download)'}`);
  }
  await others;
  return { ...(temporalCli !== undefined ? { temporalCli } : {}), report };
}
