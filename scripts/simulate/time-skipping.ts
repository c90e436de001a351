/**
 * Temporal's Java test server with time skipping, its clock starting at the first instant of the
 * simulated window (the window lies in the past, and a test server's clock only moves forward).
 * The test server's own main class cannot be given a start instant, so SimTestServer.java (next to
 * this file) starts the same services with one; it is compiled once with the JDK's javac against the
 * test server's libraries (scripts/setup.sh step 4) into ~/.cache/gongdian-flow/sim-test-server.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE = path.join(homedir(), '.cache', 'gongdian-flow');
const TEST_SERVER_DIR = process.env.TEMPORAL_TEST_SERVER_DIR ?? path.join(CACHE, 'temporal-test-server');

export class SimulatorSetupError extends Error {}

/** Compiles SimTestServer.java when its compiled class is missing or older than the source. */
function compiledLauncher(): string {
  const lib = path.join(TEST_SERVER_DIR, 'lib');
  if (!existsSync(lib)) {
    throw new SimulatorSetupError(`Temporal's Java test server is missing at ${TEST_SERVER_DIR}; run bash scripts/setup.sh`);
  }
  const source = readFileSync(path.join(HERE, 'SimTestServer.java'));
  const out = path.join(CACHE, 'sim-test-server', createHash('sha256').update(source).digest('hex').slice(0, 16));
  if (!existsSync(path.join(out, 'SimTestServer.class'))) {
    mkdirSync(out, { recursive: true });
    try {
      execFileSync('javac', ['-cp', `${lib}/*`, '-d', out, path.join(HERE, 'SimTestServer.java')], { stdio: 'pipe' });
    } catch (err) {
      rmSync(out, { recursive: true, force: true });
      throw new SimulatorSetupError(
        `could not compile scripts/simulate/SimTestServer.java (a JDK's javac is needed, e.g. apt-get install default-jdk-headless): ${(err as Error).message}`,
      );
    }
  }
  return out;
}

/** A time-skipping environment whose clock starts at `startMs`. */
export async function startTimeSkippingAt(startMs: number): Promise<{ env: TestWorkflowEnvironment; cleanup(): void }> {
  const classes = compiledLauncher();
  const dir = mkdtempSync(path.join(tmpdir(), 'gongdian-sim-'));
  const wrapper = path.join(dir, 'sim-test-server');
  // The SDK starts the executable with "<port> --enable-time-skipping"; the start instant is ours.
  writeFileSync(
    wrapper,
    `#!/usr/bin/env bash\nexec java -cp "${path.join(TEST_SERVER_DIR, 'lib')}/*:${classes}" SimTestServer "$@" ${Math.floor(startMs)}\n`,
  );
  chmodSync(wrapper, 0o755);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: wrapper } } });
  return { env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
