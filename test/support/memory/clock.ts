/**
 * Fake time and the run queue of the in-memory engine. Tasks (an instance's turn, a job attempt, a
 * child start, a signal broadcast) run one at a time in FIFO order; timers of the host (job retry
 * back-offs) wait for their time. The clock moves only in `advance` and `waitFor`, from one due
 * time to the next, so every run of the same scenario is the same.
 */
export type Task = () => void | Promise<void>;

/** Things outside the queue that fall due (engine timers, timer start events). */
export interface DueSources {
  /** The earliest due time, if any. */
  nextDue(): number | undefined;
  /** Queues (through `enqueue`) what is due at `now`; false when nothing is. */
  queueDue(now: number): boolean;
}

export class Clock {
  private time: number;
  private readonly tasks: Task[] = [];
  private readonly timers: Array<{ at: number; seq: number; run: Task }> = [];
  private timerSeq = 0;
  private running = false;
  private failure: Error | undefined;
  private sources: DueSources = { nextDue: () => undefined, queueDue: () => false };

  constructor(start: number) {
    this.time = start;
  }

  get now(): number {
    return this.time;
  }

  watch(sources: DueSources): void {
    this.sources = sources;
  }

  enqueue(task: Task): void {
    this.tasks.push(task);
  }

  at(time: number, run: Task): void {
    this.timers.push({ at: time, seq: this.timerSeq++, run });
  }

  /** Runs everything that can move at the current time. A task that throws breaks the engine for good. */
  async settle(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.running) throw new Error('the in-memory engine is already running: await each call before making the next');
    this.running = true;
    try {
      for (;;) {
        const task = this.tasks.shift();
        if (task) await task();
        else if (!this.queueDue()) return;
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      throw this.failure;
    } finally {
      this.running = false;
    }
  }

  /** Moves the clock forward by `ms`, running everything that falls due on the way, in time order. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error(`advance(${ms}): give a number of milliseconds ≥ 0`);
    const target = this.time + ms;
    await this.settle();
    for (let next = this.nextDue(); next !== undefined && next <= target; next = this.nextDue()) {
      this.time = Math.max(this.time, next);
      await this.settle();
    }
    this.time = target;
    await this.settle();
  }

  /**
   * Runs until `probe` returns something truthy, moving the clock to the next due time whenever
   * nothing else can move; fails when nothing falls due within `timeoutMs` of simulated time.
   */
  async waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
    const deadline = this.time + timeoutMs;
    for (;;) {
      await this.settle();
      const found = probe();
      if (found) return found;
      const next = this.nextDue();
      if (next === undefined || next > deadline) {
        const why = next === undefined ? 'nothing more is due' : `the next timer is due only at ${new Date(next).toISOString()}`;
        throw new Error(`in memory: timed out after ${timeoutMs} ms (simulated) waiting for ${what}: ${why}`);
      }
      this.time = Math.max(this.time, next);
    }
  }

  private queueDue(): boolean {
    let queued = false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    while (this.timers[0] && this.timers[0].at <= this.time) {
      this.tasks.push(this.timers.shift()!.run);
      queued = true;
    }
    return this.sources.queueDue(this.time) || queued;
  }

  private nextDue(): number | undefined {
    const own = this.timers.length > 0 ? Math.min(...this.timers.map((t) => t.at)) : undefined;
    const other = this.sources.nextDue();
    if (own === undefined) return other;
    return other === undefined ? own : Math.min(own, other);
  }
}
