/**
 * The restart policy of server/platform/supervisor.ts with in-process fake parts whose death the
 * test controls, and short delays (10 ms doubling to 40 ms) instead of 1 s doubling to 30 s.
 */
import { describe, expect, it } from 'vitest';
import { Supervised, type RunningComponent } from '../../server/platform/supervisor.js';

interface Fake extends RunningComponent {
  id: number;
  die(reason: string): void;
  stopped: boolean;
}

/** A launcher whose instances die when told; `failNext` makes the next launches throw. */
function fakeLauncher() {
  const instances: Fake[] = [];
  const launchedAt: number[] = [];
  let failures = 0;
  const launch = async (): Promise<Fake> => {
    launchedAt.push(Date.now());
    if (failures > 0) {
      failures -= 1;
      throw new Error('port 5432 still in use\nsecond line');
    }
    let die!: (reason: string) => void;
    const exited = new Promise<string>((resolve) => (die = resolve));
    const fake: Fake = {
      id: instances.length + 1,
      exited,
      die,
      stopped: false,
      stop: async () => {
        fake.stopped = true;
        die('code 0');
      },
    };
    instances.push(fake);
    return fake;
  };
  return { launch, instances, launchedAt, failNext: (n: number) => (failures = n) };
}

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
};

function supervised(launcher: ReturnType<typeof fakeLauncher>, lines: string[], extra = {}) {
  return new Supervised('postgres', 'PostgreSQL', launcher.launch, {
    initialDelayMs: 10,
    maxDelayMs: 40,
    stableAfterMs: 10_000,
    log: (l) => lines.push(l),
    ...extra,
  });
}

describe('Supervised', () => {
  it('restarts a part that dies, says so, and reports it down meanwhile', async () => {
    const launcher = fakeLauncher();
    const lines: string[] = [];
    let restarted = 0;
    const s = supervised(launcher, lines, { initialDelayMs: 200, onRestarted: () => (restarted += 1) });
    const first = await s.start();
    expect(s.report()).toEqual({ name: 'postgres', state: 'up', detail: 'running' });

    first.die('signal SIGKILL');
    await until(() => s.state === 'restarting');
    const down = s.report();
    expect(down.state).toBe('restarting');
    expect(down.detail).toMatch(/^PostgreSQL is down \(exited: signal SIGKILL\); restart attempt 1 in \ds$/);
    expect(s.running).toBeNull();
    expect(s.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toBe('PostgreSQL 意外退出 / exited unexpectedly (signal SIGKILL); 0.20s后重启 / restarting in 0.20s (attempt 1)');

    await until(() => s.state === 'up');
    expect(launcher.instances).toHaveLength(2);
    expect(s.running).toBe(launcher.instances[1]);
    expect(restarted).toBe(1);
    expect(lines[1]).toMatch(/^PostgreSQL 已重启 \/ restarted \(attempt 1, \d+\.\ds\)$/);
    expect(s.report().detail).toBe('running (restarted 1×)');
    await s.stop();
  });

  it('doubles the delay after each failed attempt up to the maximum, naming the failure', async () => {
    const launcher = fakeLauncher();
    const lines: string[] = [];
    const s = supervised(launcher, lines);
    const first = await s.start();
    launcher.failNext(3);
    first.die('code 1');
    await until(() => s.state === 'restarting');
    await until(() => s.state === 'up');
    // The first start, then attempts 10, 20, 40 and 40 ms (the maximum) apart.
    expect(launcher.launchedAt).toHaveLength(5);
    const gaps = launcher.launchedAt.slice(2).map((t, i) => t - launcher.launchedAt[i + 1]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeLessThan(200);
    expect(lines.filter((l) => l.includes('重启失败 / restart failed: port 5432 still in use;'))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/restarted \(attempt 4,/);
    await s.stop();
  });

  it('starts again from the shortest delay once the part has stayed up long enough', async () => {
    const launcher = fakeLauncher();
    const lines: string[] = [];
    const s = supervised(launcher, lines, { stableAfterMs: 50 });
    (await s.start()).die('code 1');
    await until(() => s.state === 'restarting');
    await until(() => s.state === 'up'); // restarted after 10 ms; the next delay would be 20 ms
    await new Promise((r) => setTimeout(r, 80)); // stays up longer than stableAfterMs
    launcher.instances[1]!.die('code 1');
    await until(() => s.state === 'restarting');
    expect(lines.at(-1)).toContain('restarting in 0.01s');
    await until(() => s.state === 'up');
    // Dying again at once: the delay doubles.
    launcher.instances[2]!.die('code 1');
    await until(() => s.state === 'restarting');
    expect(lines.at(-1)).toContain('restarting in 0.02s');
    await until(() => s.state === 'up');
    await s.stop();
  });

  it('stop() stops the running instance and nothing is restarted afterwards', async () => {
    const launcher = fakeLauncher();
    const lines: string[] = [];
    const s = supervised(launcher, lines);
    const first = await s.start();
    await s.stop();
    expect(first.stopped).toBe(true);
    expect(s.state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 50));
    expect(launcher.instances).toHaveLength(1);
    expect(lines).toEqual([]);
  });

  it('stop() while a restart is pending cancels it', async () => {
    const launcher = fakeLauncher();
    const s = supervised(launcher, [], { initialDelayMs: 30 });
    (await s.start()).die('signal SIGKILL');
    await until(() => s.state === 'restarting');
    await s.stop();
    await new Promise((r) => setTimeout(r, 80));
    expect(launcher.instances).toHaveLength(1);
  });

  it('halt() keeps a part that dies from being restarted; stop() also stops one a restart is starting', async () => {
    const launcher = fakeLauncher();
    const s = supervised(launcher, []);
    (await s.start()).die('signal SIGINT'); // died of the same Ctrl-C
    s.halt();
    await new Promise((r) => setTimeout(r, 50));
    expect(launcher.instances).toHaveLength(1);

    // A restart under way when the product stops: the instance it brings up is stopped too.
    let release!: () => void;
    const slow = new Supervised('worker', 'worker', async () => {
      const fake = await launcher.launch();
      if (launcher.instances.length > 2) await new Promise<void>((r) => (release = r));
      return fake;
    }, { initialDelayMs: 1, log: () => undefined });
    (await slow.start()).die('code 1');
    await until(() => launcher.instances.length === 3);
    const stopping = slow.stop();
    release();
    await stopping;
    expect(launcher.instances[2]!.stopped).toBe(true);
  });

  it('a failing first start is the caller’s error, and nothing is retried', async () => {
    const launcher = fakeLauncher();
    launcher.failNext(1);
    const s = supervised(launcher, []);
    await expect(s.start()).rejects.toThrow(/port 5432 still in use/);
    await new Promise((r) => setTimeout(r, 50));
    expect(launcher.launchedAt).toHaveLength(1);
  });
});
