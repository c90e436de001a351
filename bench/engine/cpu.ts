/**
 * CPU accounting for the benchmark (Linux /proc; empty figures elsewhere): this process (app,
 * worker, bot), the Temporal dev server, PostgreSQL, and the machine as a whole. PostgreSQL is every
 * process named postgres, or, given a database name, only the backends connected to that database
 * (the benchmark's own: other engineers' test servers on a shared machine do not count; a backend
 * that exits between two samples takes its ticks with it).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** CPU milliseconds used so far, by part. */
  bench: number;
  temporal: number | null;
  postgres: number | null;
  /** Machine: busy and total jiffies since boot (all cores). */
  machineBusy: number | null;
  machineTotal: number | null;
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

function postgresTicks(database: string | undefined): number | null {
  let total = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      // A backend's title: "postgres: <user> <database> <client> <state>".
      if (database !== undefined && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) continue;
      const t = processTicks(Number(pid));
      if (t !== null) {
        total += t;
        found = true;
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return found ? total : null;
}

function machine(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export function sampleCpu(temporalPid: number | null, database?: string): CpuSample {
  const usage = process.cpuUsage();
  const t = temporalPid === null ? null : processTicks(temporalPid);
  const pg = postgresTicks(database);
  const m = machine();
  return {
    bench: (usage.user + usage.system) / 1000,
    temporal: t === null ? null : t * TICK_MS,
    postgres: pg === null ? null : pg * TICK_MS,
    machineBusy: m?.busy ?? null,
    machineTotal: m?.total ?? null,
  };
}

export interface CpuUse {
  benchMs: number;
  temporalMs: number | null;
  postgresMs: number | null;
  /** Share of all cores that was busy, 0..1. */
  machineBusy: number | null;
}

export function cpuBetween(a: CpuSample, b: CpuSample): CpuUse {
  const diff = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
  const busy = diff(a.machineBusy, b.machineBusy);
  const total = diff(a.machineTotal, b.machineTotal);
  return {
    benchMs: b.bench - a.bench,
    temporalMs: diff(a.temporal, b.temporal),
    postgresMs: diff(a.postgres, b.postgres),
    machineBusy: busy === null || !total ? null : busy / total,
  };
}
