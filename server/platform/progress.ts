/**
 * Start-up progress lines: "[2/5] 启动 PostgreSQL / starting PostgreSQL … ok (2.1s)".
 * On a terminal the step name appears when the step starts; elsewhere (logs, CI, tests) each step
 * prints one complete line when it ends, so that other output cannot split it.
 */
export class Progress {
  private index = 0;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  async step<T>(label: string, work: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
    this.index += 1;
    const prefix = `[${this.index}/${this.total}] ${label} …`;
    const tty = this.out.isTTY === true;
    if (tty) this.out.write(`${prefix} `);
    const started = performance.now();
    try {
      const result = await work();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const note = describe ? ` ${describe(result)}` : '';
      this.out.write(`${tty ? '' : `${prefix} `}ok (${seconds}s)${note}\n`);
      return result;
    } catch (err) {
      this.out.write(`${tty ? '' : `${prefix} `}失败 / failed\n`);
      throw err;
    }
  }
}
