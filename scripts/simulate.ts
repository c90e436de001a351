/**
 * npm run simulate -- --days=30 --cases=2000 [--from=2026-11-01] [--seed=1] [--concurrency=8] [--append]
 *
 * A month of the demo company's work on the three processes, through the API, into the product's
 * own database (the embedded PostgreSQL under DATA_DIR, as `npm start` uses it, or DATABASE_URL), on
 * Temporal's time-skipping test server (scripts/simulate/run.ts). Every case ends inside the run, so
 * a following `npm start` shows the month (hub queue history, SLA events, task history) with no
 * instance waiting on a workflow that no longer exists. Stop `npm start` first: the embedded
 * PostgreSQL of a DATA_DIR runs once.
 *
 * Exit codes: 0 done and consistent; 1 the summary and the database disagree (or a case did not
 * end); 2 bad options or a database that already holds a simulation (without --append).
 */
import path from 'node:path';
import { migrate } from '../db/migrate.js';
import { createPool } from '../db/pool.js';
import { startEmbeddedPostgres } from '../server/platform/embedded-postgres.js';
import { calendarLastDay, describeSummary, FULL_WINDOW_MARGIN_DAYS, runSimulation } from './simulate/run.js';
import { SimulatorSetupError } from './simulate/time-skipping.js';

const DAY = 86_400_000;
const CN = 8 * 3_600_000;

function usage(message: string): never {
  console.error(`模拟参数错误 / simulate: ${message}`);
  console.error('usage: npm run simulate -- [--days=30] [--cases=2000] [--from=YYYY-MM-DD] [--seed=1] [--concurrency=8] [--append]');
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const yesterday = new Date(Date.now() + CN - DAY).toISOString().slice(0, 10);
  const opts = { days: 30, cases: 2000, from: '', seed: 1, concurrency: 8, append: false };
  for (const arg of argv) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m) usage(`unknown argument ${arg}`);
    const [, name, value] = m;
    const int = (min: number, max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) usage(`--${name}=${value ?? ''} is not an integer ${min}-${max}`);
      return n;
    };
    if (name === 'days') opts.days = int(1, 92);
    else if (name === 'cases') opts.cases = int(1, 20_000);
    else if (name === 'seed') opts.seed = int(0, 2 ** 31 - 1);
    else if (name === 'concurrency') opts.concurrency = int(1, 64);
    else if (name === 'from') {
      if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00+08:00`))) usage(`--from=${value ?? ''} is not a date YYYY-MM-DD`);
      opts.from = value;
    } else if (name === 'append') opts.append = true;
    else usage(`unknown option --${name}`);
  }
  return { ...opts, yesterday };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const stops: Array<() => Promise<void>> = [];
  let url = process.env.DATABASE_URL || undefined;
  if (!url) {
    const dataDir = path.resolve(process.env.DATA_DIR || './data');
    const port = Number(process.env.PG_PORT || 5432);
    console.log(`[1/4] 启动 PostgreSQL / starting the embedded PostgreSQL (${path.join(dataDir, 'pg')}, port ${port}) …`);
    const pgServer = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, database: 'gongdian_flow' });
    stops.push(() => pgServer.stop());
    url = pgServer.url;
  } else console.log('[1/4] PostgreSQL at DATABASE_URL');
  const pool = createPool(url, { max: Math.max(10, opts.concurrency + 4) });
  stops.unshift(() => pool.end());
  let code: number;
  try {
    const applied = await migrate(pool);
    console.log(`[2/4] 数据库迁移 / migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    const lastDay = await calendarLastDay(pool);
    if (!opts.from) {
      // The last `days` days ending yesterday, or earlier when the calendar ends too soon for
      // high-voltage applications arriving at the window's end.
      const fullEnd = lastDay - FULL_WINDOW_MARGIN_DAYS * DAY;
      const yesterdayMs = Date.parse(`${opts.yesterday}T00:00:00+08:00`);
      const endMs = Math.min(yesterdayMs, fullEnd);
      opts.from = new Date(endMs + CN - (opts.days - 1) * DAY).toISOString().slice(0, 10);
      if (endMs < yesterdayMs) {
        console.log(
          `      the window ends ${new Date(endMs + CN).toISOString().slice(0, 10)}, not yesterday: the working-day calendar ends ${new Date(lastDay + CN).toISOString().slice(0, 10)}, ` +
            `and high-voltage applications arriving later could not end inside it (add the next year's holidays, PUT /api/calendars/cn/years/YYYY, to move it)`,
        );
      }
    }
    const fromMs = Date.parse(`${opts.from}T00:00:00+08:00`);
    // Complaints arriving on the last day may take four weeks (reopened twice); fault repair hours.
    if (fromMs + opts.days * DAY > lastDay - 28 * DAY) {
      throw new SimulatorSetupError(
        `the window ${opts.from} + ${opts.days} days ends after ${new Date(lastDay - 28 * DAY + CN).toISOString().slice(0, 10)}: ` +
          `cases arriving then would run into a year the working-day calendar does not cover (it ends ${new Date(lastDay + CN).toISOString().slice(0, 10)}); choose an earlier --from`,
      );
    }
    const { rows } = await pool.query<{ runs: number; instances: number }>(
      "SELECT count(DISTINCT value)::int AS runs, count(*)::int AS instances FROM variable WHERE name = 'simulationRun'",
    );
    if (rows[0]!.instances > 0 && !opts.append) {
      throw new SimulatorSetupError(
        `此数据库已有模拟数据 / this database already holds ${rows[0]!.runs} simulation(s) with ${rows[0]!.instances} instances; ` +
          'run with --append to add another month, or use a fresh DATA_DIR',
      );
    }
    const password = process.env.DEMO_PASSWORD || 'demo-password';
    console.log(`[3/4] 模拟 / simulating ${opts.cases} cases over ${opts.days} days from ${opts.from} (seed ${opts.seed}, concurrency ${opts.concurrency}) on the time-skipping test server …`);
    const summary = await runSimulation({ pool, from: opts.from, days: opts.days, cases: opts.cases, seed: opts.seed, concurrency: opts.concurrency, demoPassword: password });
    console.log('[4/4] 汇总 / summary');
    for (const line of describeSummary(summary)) console.log(line);
    code = summary.mismatches.length ? 1 : 0;
  } catch (err) {
    console.error(err instanceof SimulatorSetupError ? `模拟无法开始 / cannot simulate: ${err.message}` : err);
    code = err instanceof SimulatorSetupError ? 2 : 1;
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
  process.exit(code);
}

await main();
