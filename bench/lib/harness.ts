/**
 * What the benchmarks share (bench/engine/run.ts, bench/sla/run.ts): options, a phase of N instances
 * run with a concurrency (a progress line every 2 s, latencies, CPU from /proc), the per-round ratio
 * of two variants, the per-instance history profile, and the summary of a variant over its rounds.
 */
import type { Client } from '@temporalio/client';
import type { Engine, LocalStack } from '../../scripts/lib/local-stack.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { cpuBetween, sampleCpu, type CpuUse } from '../engine/cpu.js';

/** The value of `--name=value` on the command line, if given. */
export function argOption(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

/** An integer option from `--name=` or the environment variable `env`. */
export function intOption(name: string, env: string, fallback: number, min: number): number {
  const raw = argOption(name) ?? process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} / ${env} must be an integer ≥ ${min} (got "${raw}")`);
  return v;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

export interface PhaseResult<V extends string = string> {
  variant: V;
  count: number;
  seconds: number;
  latencies: number[];
  cpu: CpuUse;
  keys: string[];
}

export interface PhaseSpec<V extends string> {
  variant: V;
  count: number;
  concurrency: number;
  /** Prefix of the progress lines, e.g. "round 2" or "warm-up". */
  label: string;
  /** Whose CPU counts besides this process: the dev server's and the database's (LocalStack). */
  stack: Pick<LocalStack, 'temporalPid' | 'databaseUrl'>;
  /** Runs instance number i to its end and checks it; returns its process instance key. */
  run(i: number): Promise<string>;
}

/** Runs `count` instances, `concurrency` at a time, printing progress every 2 s. */
export async function runInstances<V extends string>(spec: PhaseSpec<V>): Promise<PhaseResult<V>> {
  const latencies: number[] = [];
  const keys: string[] = [];
  let next = 0;
  let done = 0;
  const database = decodeURIComponent(new URL(spec.stack.databaseUrl).pathname.slice(1));
  const sample = () => sampleCpu(spec.stack.temporalPid, database);
  const cpuBefore = sample();
  const started = performance.now();
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    console.log(`  ${spec.label} ${spec.variant.padEnd(12)} ${String(done).padStart(5)}/${spec.count} completed  ${(done / s).toFixed(1)}/s`);
  }, 2000);
  try {
    await withTimeout(
      Promise.all(
        Array.from({ length: Math.min(spec.concurrency, spec.count) }, async () => {
          while (next < spec.count) {
            const i = next++;
            const t0 = performance.now();
            keys.push(await spec.run(i));
            latencies.push(performance.now() - t0);
            done++;
          }
        }),
      ),
      Math.max(120_000, spec.count * 2000),
      `${spec.label} ${spec.variant}`,
    );
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  return { variant: spec.variant, count: spec.count, seconds, latencies, cpu: cpuBetween(cpuBefore, sample()), keys };
}

/** One line per round and variant. */
export function printRound(round: number, r: PhaseResult): void {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `round ${round}  ${r.variant.padEnd(12)} ${r.count} in ${r.seconds.toFixed(2)} s = ${(r.count / r.seconds).toFixed(1)}/s ` +
      `(latency p50 ${s(quantile(r.latencies, 0.5))} s, p95 ${s(quantile(r.latencies, 0.95))} s, max ${s(Math.max(...r.latencies))} s)`,
  );
}

/** Throughput of `variant` over that of `baseline`, per round (results in round order, one phase per variant and round). */
export function roundRatios(results: PhaseResult[], rounds: number, variant: string, baseline: string): number[] {
  const perRound = results.length / rounds;
  return Array.from({ length: rounds }, (_, i) => {
    const ofRound = results.slice(i * perRound, (i + 1) * perRound);
    const rate = (v: string) => ofRound.filter((r) => r.variant === v).map((r) => r.count / r.seconds)[0]!;
    return rate(variant) / rate(baseline);
  });
}

/** Events of one instance's history by kind: what each instance costs Temporal. */
export async function historyProfile(client: Client, processInstanceKey: string) {
  const history = await client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey)).fetchHistory();
  const events = history.events ?? [];
  const has = (k: string) => events.filter((e) => (e as Record<string, unknown>)[k] != null).length;
  return {
    events: events.length,
    workflowTasks: has('workflowTaskCompletedEventAttributes'),
    activities: has('activityTaskScheduledEventAttributes'),
    localActivities: has('markerRecordedEventAttributes'),
    timers: has('timerStartedEventAttributes'),
    updates: has('workflowExecutionUpdateAcceptedEventAttributes'),
  };
}

export interface VariantSummary {
  count: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  benchCpuMs: number | null;
  temporalCpuMs: number | null;
  postgresCpuMs: number | null;
  /** CPU per instance of this process, Temporal and PostgreSQL together. */
  totalCpuMs: number | null;
  machineBusy: number | null;
}

/** A variant over all its rounds: throughput, latency quantiles, CPU milliseconds per instance by part. */
export function summarise(results: PhaseResult[], variant: string): VariantSummary {
  const mine = results.filter((r) => r.variant === variant);
  const count = mine.reduce((a, r) => a + r.count, 0);
  const seconds = mine.reduce((a, r) => a + r.seconds, 0);
  const latencies = mine.flatMap((r) => r.latencies);
  const per = (f: (c: CpuUse) => number | null) => {
    const v = mine.map((r) => f(r.cpu));
    return v.some((x) => x === null) ? null : (v as number[]).reduce((a, b) => a + b, 0) / count;
  };
  const benchCpuMs = per((c) => c.benchMs);
  const temporalCpuMs = per((c) => c.temporalMs);
  const postgresCpuMs = per((c) => c.postgresMs);
  return {
    count,
    seconds,
    throughput: count / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    benchCpuMs,
    temporalCpuMs,
    postgresCpuMs,
    totalCpuMs: benchCpuMs === null || temporalCpuMs === null || postgresCpuMs === null ? null : benchCpuMs + temporalCpuMs + postgresCpuMs,
    machineBusy: mine.every((r) => r.cpu.machineBusy !== null) ? mine.reduce((a, r) => a + r.cpu.machineBusy! * r.seconds, 0) / seconds : null,
  };
}

export const cpuMs = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
export const busyShare = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)} %`);

/** A table row: a name, then one right-aligned column per variant. */
export function tableRow(name: string, values: Array<string | number>, width = 13): void {
  console.log(`  ${name.padEnd(36)}${values.map((v) => String(v).padStart(width)).join('')}`);
}

export type HistoryProfile = Awaited<ReturnType<typeof historyProfile>>;

/**
 * The per-instance table, one column per variant: a sample instance's history, the given rows (read
 * models), and CPU milliseconds per instance by part.
 */
export function printInstanceTable(
  columns: string[],
  history: HistoryProfile[],
  rows: Array<[string, Array<string | number>]>,
  cpu: VariantSummary[],
  thisProcess: string,
): void {
  tableRow('per instance', columns);
  const counts: Array<[string, keyof HistoryProfile]> = [
    ['history events', 'events'],
    ['workflow tasks', 'workflowTasks'],
    ['activities', 'activities'],
    ['local activities (markers)', 'localActivities'],
    ['timers', 'timers'],
    ['updates', 'updates'],
  ];
  for (const [name, k] of counts) tableRow(name, history.map((h) => h[k]));
  for (const [name, values] of rows) tableRow(name, values);
  tableRow(`CPU: this process (${thisProcess})`, cpu.map((s) => cpuMs(s.benchCpuMs)));
  tableRow('CPU: Temporal dev server', cpu.map((s) => cpuMs(s.temporalCpuMs)));
  tableRow('CPU: PostgreSQL (this database)', cpu.map((s) => cpuMs(s.postgresCpuMs)));
  tableRow('CPU: total', cpu.map((s) => cpuMs(s.totalCpuMs)));
  tableRow('machine busy during the phases', cpu.map((s) => busyShare(s.machineBusy)));
}

/**
 * Runs a benchmark's main: what it registers with `onStop` is stopped afterwards, last first, also
 * when it fails; the process exits 0, or 1 with the error.
 */
export function runBenchmark(name: string, main: (onStop: (stop: () => Promise<unknown>) => void) => Promise<void>): void {
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : String(err)}`));
  };
  main((stop) => void stops.push(stop))
    .finally(stopAll)
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exit(1);
      },
    );
}

/** POST /v2/process-instances of the latest version of a deployed process; returns its key. */
export async function startInstance(engine: Engine, processDefinitionId: string, variables: Record<string, unknown>): Promise<string> {
  const res = await engine.api('POST', '/v2/process-instances', { processDefinitionId, variables });
  if (res.statusCode !== 200) throw new Error(`starting an instance of ${processDefinitionId} failed: ${res.statusCode} ${res.body}`);
  return res.json<{ processInstanceKey: string }>().processInstanceKey;
}

/** Rows one instance left in each of the given read-model tables (process_instance by its key, the others by process_instance_key). */
export async function rowCounts(engine: Engine, processInstanceKey: string, tables: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await engine.pool.query<{ table: string; n: number }>(
    tables
      .map((t) => `SELECT '${t}' AS table, count(*)::int AS n FROM ${t} WHERE ${t === 'process_instance' ? 'key' : 'process_instance_key'} = $1`)
      .join(' UNION ALL '),
    [processInstanceKey],
  );
  return Object.fromEntries(rows.map((r) => [r.table, r.n]));
}

/**
 * A warm-up phase of each variant, then `rounds` rounds of one phase of `n` instances per variant; the
 * order of the variants alternates (odd rounds as given, even rounds reversed). Returns the rounds'
 * phases in order.
 */
export async function runRounds<V, R extends PhaseResult>(
  variants: readonly V[],
  options: { n: number; warmup: number; rounds: number },
  phase: (variant: V, count: number, label: string) => Promise<R>,
): Promise<R[]> {
  if (options.warmup > 0) {
    for (const v of variants) await phase(v, options.warmup, 'warm-up');
    console.log('  warm-up done');
    await sleep(500);
  }
  const results: R[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? variants : [...variants].reverse();
    for (const v of order) {
      const r = await phase(v, options.n, `round ${round}`);
      results.push(r);
      printRound(round, r);
      await sleep(500);
    }
  }
  return results;
}
