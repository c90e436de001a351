/**
 * Supervision of the parts `npm start` runs as processes of their own (embedded PostgreSQL, the
 * Temporal dev server, the worker): when one dies unexpectedly it is started again with backoff —
 * 1 s, doubling to 30 s; back to 1 s once it has stayed up for 30 s — and every exit, failed attempt
 * and successful restart prints one line. Its state feeds /api/ready and the 503 answers of the
 * HTTP server while it is down.
 */

/** One running instance of a supervised part. */
export interface RunningComponent {
  /** Resolves (with "signal SIGKILL", "code 1" …) when the process has ended, for whatever reason. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export type ComponentState = 'starting' | 'up' | 'restarting' | 'stopped';

export interface ComponentReport {
  /** Short id used by /api/ready and problem documents: postgres, temporal, worker. */
  name: string;
  state: ComponentState;
  /** For a person: why it is down and when the next attempt comes. */
  detail: string;
}

export interface SupervisorOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Up this long before dying again resets the delay to initialDelayMs. */
  stableAfterMs?: number;
  /** One line per event (default: console.error). */
  log?: (line: string) => void;
  /** Called after every successful restart (not the first start). */
  onRestarted?: () => void;
}

export class Supervised<T extends RunningComponent> {
  state: ComponentState = 'starting';
  /** Restarts that succeeded so far. */
  restarts = 0;
  private current: T | null = null;
  private launching: Promise<T> | null = null;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private attempt = 0;
  private upSince = 0;
  private lastExit = '';
  private lastError = '';
  private nextAt = 0;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly stableAfterMs: number;
  private readonly log: (line: string) => void;

  /**
   * @param name short id (postgres, temporal, worker)
   * @param label name for people ("PostgreSQL", "Temporal dev server", "worker")
   * @param launch starts one instance and resolves once it is usable
   */
  constructor(
    readonly name: string,
    readonly label: string,
    private readonly launch: () => Promise<T>,
    private readonly options: SupervisorOptions = {},
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.stableAfterMs = options.stableAfterMs ?? 30_000;
    this.delayMs = this.initialDelayMs;
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** The first start; its failure is the caller's (start-up fails), no restart is tried. */
  async start(): Promise<T> {
    const running = await this.launch();
    this.adopt(running);
    return running;
  }

  /** The instance running now, or null while it is down. */
  get running(): T | null {
    return this.state === 'up' ? this.current : null;
  }

  report(): ComponentReport {
    const seconds = Math.max(0, Math.ceil((this.nextAt - Date.now()) / 1000));
    const detail =
      this.state === 'up'
        ? this.restarts > 0
          ? `running (restarted ${this.restarts}×)`
          : 'running'
        : this.state === 'restarting'
          ? `${this.label} is down (${this.lastExit}${this.lastError ? `; last attempt: ${this.lastError}` : ''}); ` +
            (this.timer ? `restart attempt ${this.attempt} in ${seconds}s` : `restart attempt ${this.attempt} under way`)
          : `${this.label} is ${this.state}`;
    return { name: this.name, state: this.state, detail };
  }

  /** Seconds a client should wait before trying again (for Retry-After). */
  retryAfterSeconds(): number {
    if (this.state !== 'restarting') return 1;
    return Math.max(1, Math.ceil((this.nextAt - Date.now()) / 1000) + 1);
  }

  /**
   * No more restarts from now on (the product is stopping; a part may die of the same Ctrl-C before
   * its turn to be stopped comes). The running instance is left alone.
   */
  halt(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops the running instance, and one being started by a restart attempt. */
  async stop(): Promise<void> {
    this.halt();
    this.state = 'stopped';
    const launching = this.launching;
    const running = this.current;
    this.current = null;
    if (running) await running.stop();
    if (launching) await launching.then((late) => late.stop(), () => undefined);
  }

  private adopt(running: T): void {
    this.current = running;
    this.state = 'up';
    this.upSince = Date.now();
    void running.exited.then((reason) => this.onExit(running, reason));
  }

  private onExit(running: T, reason: string): void {
    if (this.stopping || running !== this.current) return;
    this.current = null;
    this.state = 'restarting';
    this.lastExit = `exited: ${reason}`;
    this.lastError = '';
    if (Date.now() - this.upSince >= this.stableAfterMs) this.delayMs = this.initialDelayMs;
    this.attempt += 1;
    this.log(`${this.label} 意外退出 / exited unexpectedly (${reason}); ${this.delayText()}后重启 / restarting in ${this.delayText()} (attempt ${this.attempt})`);
    this.schedule();
  }

  private delayText(): string {
    return `${(this.delayMs / 1000).toFixed(this.delayMs < 1000 ? 2 : 0)}s`;
  }

  private schedule(): void {
    this.nextAt = Date.now() + this.delayMs;
    this.timer = setTimeout(() => void this.tryRestart(), this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
  }

  private async tryRestart(): Promise<void> {
    this.timer = null;
    if (this.stopping) return;
    const started = performance.now();
    try {
      this.launching = this.launch();
      const running = await this.launching.finally(() => (this.launching = null));
      if (this.stopping) {
        this.current = running; // for stop(), which may come later (after halt()) or be under way
        return;
      }
      this.adopt(running);
      this.restarts += 1;
      this.log(`${this.label} 已重启 / restarted (attempt ${this.attempt}, ${((performance.now() - started) / 1000).toFixed(1)}s)`);
      this.attempt = 0;
      this.options.onRestarted?.();
    } catch (err) {
      if (this.stopping) return;
      this.lastError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      this.attempt += 1;
      this.log(`${this.label} 重启失败 / restart failed: ${this.lastError}; ${this.delayText()}后重试 / retrying in ${this.delayText()} (attempt ${this.attempt})`);
      this.schedule();
    }
  }
}
