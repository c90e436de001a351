/**
 * Temporal's Java test server with time skipping, its clock starting at the first instant of the
 * simulated window (the window lies in the past, and a test server's clock only moves forward).
 * The test server's own main class cannot be given a start instant, so SimTestServer.java (next to
 * this file) starts the same services with one; it is compiled once with the JDK's javac against the
 * test server's libraries (scripts/setup.sh step 4) into ~/.cache/gongdian-flow/sim-test-server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { homedir } from 'node:os';
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

/**
 * A time-skipping environment whose clock starts at `startMs`. The server is started here, not by the
 * SDK (which gives a JVM 5 s to listen: too short on a loaded machine); the SDK then connects to it
 * as to an existing server that supports the test service (env.sleep skips time).
 */
export async function startTimeSkippingAt(startMs: number): Promise<{ env: TestWorkflowEnvironment; cleanup(): Promise<void> }> {
  const classes = compiledLauncher();
  const port = await freePort();
  const started = await launchTestServer('java', ['-cp', `${path.join(TEST_SERVER_DIR, 'lib')}/*:${classes}`, 'SimTestServer', String(port), '--enable-time-skipping', String(Math.floor(startMs))], port);
  try {
    // Started unlocked, the test server skips to the next timer whenever nothing is in flight, even
    // between two API calls of one round: the clock would run away from the simulator, and an
    // Update whose workflow task cancels a timer could race the timer's firing (the Java test
    // server then fails the task with "invalid history builder state for action" and its clock
    // stops for good). Locked, the clock runs at real pace and skips only in env.sleep (which
    // unlocks, skips and locks again).
    const testService = (started.env.connection as unknown as { testService: { lockTimeSkipping(req: object): Promise<unknown> } }).testService;
    await testService.lockTimeSkipping({});
  } catch (err) {
    await started.cleanup();
    throw err;
  }
  return started;
}

/**
 * Temporal's stock Java test server (the executable scripts/setup.sh installs), as the SDK would
 * start it, but given two minutes to listen instead of the SDK's five seconds.
 */
export async function startStockTimeSkipping(executable: string): Promise<{ env: TestWorkflowEnvironment; cleanup(): Promise<void> }> {
  const port = await freePort();
  // Without --enable-time-skipping, as the SDK starts it: time skipping starts locked, and the
  // time-skipping client unlocks it while a test awaits a workflow's result (and env.sleep).
  return launchTestServer(executable, [String(port)], port);
}

/** Spawns a test server listening on `port`, waits until it listens, and connects the SDK to it. */
async function launchTestServer(command: string, args: string[], port: number): Promise<{ env: TestWorkflowEnvironment; cleanup(): Promise<void> }> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const deadline = Date.now() + 120_000;
    while (!(await listening(port))) {
      if (child.exitCode !== null) throw new SimulatorSetupError(`the time-skipping test server exited (code ${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline) throw new SimulatorSetupError(`the time-skipping test server did not listen on port ${port} within 120 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Public in JavaScript, protected in the SDK's types: an existing server with the test service.
    const create = (TestWorkflowEnvironment as unknown as { create(opts: unknown): Promise<TestWorkflowEnvironment> }).create.bind(TestWorkflowEnvironment);
    const env = await create({ supportsTimeSkipping: true, server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default' });
    return {
      env,
      cleanup: async () => {
        await env.teardown().catch(() => undefined);
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
