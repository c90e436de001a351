/**
 * Engine benchmark: completed process instances per second for
 *
 *   start → service task → user task (completed by a bot through the HTTP API) → end
 *
 * (a) interpreted: the BPMN diagram deployed through /v2/deployments and run by the interpreter
 *     workflow (workflows/process-instance.ts) with its projections to PostgreSQL;
 * (b) hand-written: the same shape as a plain Temporal workflow (handwritten-workflow.ts).
 * Same Temporal server, same PostgreSQL, same process, same N and concurrency, after a warm-up.
 *
 *   npm run bench:engine
 *   npm run bench:engine -- --n=400 --concurrency=40 --rounds=1
 *   BENCH_N=100 npm run bench:engine
 *
 * Options (argument or environment): --n / BENCH_N instances per variant and round (200),
 * --concurrency / BENCH_CONCURRENCY instances in flight (20), --warmup / BENCH_WARMUP (20),
 * --rounds / BENCH_ROUNDS (3; the order of the variants alternates; the ratio reported is the median
 * of the per-round ratios, which a stall of the shared machine in one phase cannot swing), --poll-ms / BENCH_POLL_MS the
 * bot's task-list polling interval (20), --only / BENCH_ONLY=interpreted|hand-written runs one variant
 * (for a CPU profile: `node --cpu-prof --import tsx bench/engine/run.ts --only=interpreted`).
 * DATABASE_URL / TEMPORAL_ADDRESS use existing servers.
 */
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { JobHandler } from '../../activities/index.js';
import { allocateKey } from '../../db/keys.js';
import { connectWorker } from '../../server/temporal.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { startEngine, startLocalStack, type Engine, type LocalStack } from '../../scripts/lib/local-stack.js';
import { startBot } from './bot.js';
import { cpuBetween, sampleCpu, type CpuUse } from './cpu.js';
import { createHandwrittenActivities, HANDWRITTEN_PROCESS_ID } from './handwritten-activities.js';
import type { HandwrittenInput } from './handwritten-workflow.js';

const INTERPRETED_QUEUE = 'bench-interpreted';
const HANDWRITTEN_QUEUE = 'bench-handwritten';
const PROCESS_ID = 'bench';
const TARGET_RATIO = 0.8;

const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${PROCESS_ID}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="calc"><bpmn:extensionElements><zeebe:taskDefinition type="double" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="calc" />
    <bpmn:sequenceFlow id="f2" sourceRef="calc" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
`;

/** The service task of both variants. */
const double: JobHandler = ({ variables }) => ({ y: Number(variables.x) * 2 });

interface Options {
  n: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  pollMs: number;
  only?: Variant['name'];
}

function readOptions(): Options {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const num = (name: string, env: string, fallback: number, min: number) => {
    const raw = arg(name) ?? process.env[env];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} / ${env} must be an integer ≥ ${min} (got "${raw}")`);
    return v;
  };
  return {
    n: num('n', 'BENCH_N', 200, 1),
    concurrency: num('concurrency', 'BENCH_CONCURRENCY', 20, 1),
    warmup: num('warmup', 'BENCH_WARMUP', 20, 0),
    rounds: num('rounds', 'BENCH_ROUNDS', 3, 1),
    pollMs: num('poll-ms', 'BENCH_POLL_MS', 20, 1),
    ...only(arg('only') ?? process.env.BENCH_ONLY),
  };
}

function only(raw: string | undefined): { only?: Variant['name'] } {
  if (!raw) return {};
  if (raw !== 'interpreted' && raw !== 'hand-written') throw new Error(`--only / BENCH_ONLY must be interpreted or hand-written (got "${raw}")`);
  return { only: raw };
}

interface Variant {
  name: 'interpreted' | 'hand-written';
  processId: string;
  /** Starts instance number i; returns its process instance key. */
  start(i: number): Promise<string>;
}

interface PhaseResult {
  variant: Variant['name'];
  count: number;
  seconds: number;
  latencies: number[];
  cpu: CpuUse;
  keys: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function runPhase(
  engine: Engine,
  stack: LocalStack,
  variant: Variant,
  count: number,
  options: Options,
  label: string,
): Promise<PhaseResult> {
  const bot = startBot(engine, variant.processId, options.pollMs);
  const latencies: number[] = [];
  const keys: string[] = [];
  let next = 0;
  let done = 0;
  const cpuBefore = sampleCpu(stack.temporalPid);
  const started = performance.now();
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    console.log(`  ${label} ${variant.name.padEnd(12)} ${String(done).padStart(5)}/${count} completed  ${(done / s).toFixed(1)}/s`);
  }, 2000);
  const phaseTimeoutMs = Math.max(120_000, count * 2000);
  try {
    await withTimeout(
      Promise.all(
        Array.from({ length: Math.min(options.concurrency, count) }, async () => {
          while (next < count) {
            const i = next++;
            const t0 = performance.now();
            const pi = await variant.start(i);
            const result = (await engine.client.workflow.getHandle(processInstanceWorkflowId(pi)).result()) as {
              outcome: string;
              variables: Record<string, unknown>;
            };
            if (result.outcome !== 'completed' || result.variables.y !== i * 2 || result.variables.approved !== true) {
              throw new Error(`${variant.name} instance ${pi} ended wrongly: ${JSON.stringify(result)}`);
            }
            latencies.push(performance.now() - t0);
            keys.push(pi);
            done++;
          }
        }),
      ),
      phaseTimeoutMs,
      `${label} ${variant.name}`,
    );
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, sampleCpu(stack.temporalPid));
  const botStats = await bot.stop();
  if (botStats.failures.length) throw new Error(`the bot failed:\n${botStats.failures.join('\n')}`);
  return { variant: variant.name, count, seconds, latencies, cpu, keys };
}

/** Events of one instance's history by kind: what each instance costs Temporal. */
async function historyProfile(engine: Engine, processInstanceKey: string) {
  const history = await engine.client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey)).fetchHistory();
  const events = history.events ?? [];
  const has = (k: string) => events.filter((e) => (e as Record<string, unknown>)[k] != null).length;
  return {
    events: events.length,
    workflowTasks: has('workflowTaskCompletedEventAttributes'),
    activities: has('activityTaskScheduledEventAttributes'),
    localActivities: has('markerRecordedEventAttributes'),
    updates: has('workflowExecutionUpdateAcceptedEventAttributes'),
  };
}

/** Rows an instance leaves in the read models. */
async function rowProfile(engine: Engine, processInstanceKey: string) {
  const { rows } = await engine.pool.query<{ table: string; n: number }>(
    `SELECT 'process_instance' AS table, count(*)::int AS n FROM process_instance WHERE key = $1
     UNION ALL SELECT 'element_instance', count(*)::int FROM element_instance WHERE process_instance_key = $1
     UNION ALL SELECT 'variable', count(*)::int FROM variable WHERE process_instance_key = $1
     UNION ALL SELECT 'user_task', count(*)::int FROM user_task WHERE process_instance_key = $1`,
    [processInstanceKey],
  );
  return Object.fromEntries(rows.map((r) => [r.table, r.n]));
}

function summarise(results: PhaseResult[], variant: Variant['name']) {
  const mine = results.filter((r) => r.variant === variant);
  const count = mine.reduce((a, r) => a + r.count, 0);
  const seconds = mine.reduce((a, r) => a + r.seconds, 0);
  const latencies = mine.flatMap((r) => r.latencies);
  const per = (f: (c: CpuUse) => number | null) => {
    const v = mine.map((r) => f(r.cpu));
    return v.some((x) => x === null) ? null : (v as number[]).reduce((a, b) => a + b, 0) / count;
  };
  return {
    count,
    seconds,
    throughput: count / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    benchCpuMs: per((c) => c.benchMs),
    temporalCpuMs: per((c) => c.temporalMs),
    postgresCpuMs: per((c) => c.postgresMs),
    machineBusy: mine.every((r) => r.cpu.machineBusy !== null) ? mine.reduce((a, r) => a + r.cpu.machineBusy! * r.seconds, 0) / seconds : null,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  console.log('engine benchmark: start → service task → user task (bot via HTTP API) → end');
  console.log(
    `N=${options.n} per variant and round, concurrency ${options.concurrency}, warm-up ${options.warmup}, rounds ${options.rounds}, ` +
      `bot polls every ${options.pollMs} ms, ${availableParallelism()} CPU cores`,
  );
  const stack = await startLocalStack();
  console.log(`stack: ${stack.describe}`);
  const stops: Array<() => Promise<unknown>> = [() => stack.stop()];
  try {
    const engine = await startEngine(stack, { taskQueue: INTERPRETED_QUEUE, jobHandlers: { double } });
    stops.push(() => engine.stop());
    await engine.deploy(DIAGRAM, 'bench.bpmn');

    // The hand-written workflow's worker: same defaults, same pool, same process.
    const handwrittenBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./handwritten-workflow.ts', import.meta.url)),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
    });
    const connection = await connectWorker(stack.temporalAddress);
    stops.push(() => connection.close());
    const handwrittenWorker = await Worker.create({
      connection,
      namespace: stack.namespace,
      taskQueue: HANDWRITTEN_QUEUE,
      workflowBundle: handwrittenBundle,
      activities: createHandwrittenActivities(engine.pool, double),
    });
    const handwrittenRunning = handwrittenWorker.run();
    stops.push(async () => {
      if (handwrittenWorker.getState() === 'RUNNING') handwrittenWorker.shutdown();
      await handwrittenRunning;
    });

    const interpreted: Variant = {
      name: 'interpreted',
      processId: PROCESS_ID,
      async start(i) {
        const res = await engine.api('POST', '/v2/process-instances', { processDefinitionId: PROCESS_ID, variables: { x: i } });
        if (res.statusCode !== 200) throw new Error(`starting an instance failed: ${res.statusCode} ${res.body}`);
        return res.json<{ processInstanceKey: string }>().processInstanceKey;
      },
    };
    const handwritten: Variant = {
      name: 'hand-written',
      processId: HANDWRITTEN_PROCESS_ID,
      async start(i) {
        const processInstanceKey = await allocateKey(engine.pool);
        const input: HandwrittenInput = { processInstanceKey, variables: { x: i } };
        await engine.client.workflow.start('handwrittenProcess', {
          workflowId: processInstanceWorkflowId(processInstanceKey),
          taskQueue: HANDWRITTEN_QUEUE,
          args: [input],
        });
        return processInstanceKey;
      },
    };

    const variants = [interpreted, handwritten].filter((v) => !options.only || v.name === options.only);
    if (options.warmup > 0) {
      for (const v of variants) await runPhase(engine, stack, v, options.warmup, options, 'warm-up');
      console.log('  warm-up done');
      await sleep(500);
    }

    const results: PhaseResult[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const v of order) {
        const r = await runPhase(engine, stack, v, options.n, options, `round ${round}`);
        results.push(r);
        console.log(
          `round ${round}  ${v.name.padEnd(12)} ${r.count} in ${r.seconds.toFixed(2)} s = ${(r.count / r.seconds).toFixed(1)}/s ` +
            `(latency p50 ${(quantile(r.latencies, 0.5) / 1000).toFixed(2)} s, p95 ${(quantile(r.latencies, 0.95) / 1000).toFixed(2)} s, ` +
            `max ${(Math.max(...r.latencies) / 1000).toFixed(2)} s)`,
        );
        await sleep(500);
      }
    }

    if (options.only) {
      const r = summarise(results, options.only);
      console.log(`\n${options.only}: ${r.throughput.toFixed(1)} instances/s (one variant only: no ratio)`);
      return;
    }
    const a = summarise(results, 'interpreted');
    const b = summarise(results, 'hand-written');
    const roundRatios = Array.from({ length: options.rounds }, (_, i) => {
      const ofRound = results.slice(i * 2, i * 2 + 2);
      const rate = (v: Variant['name']) => ofRound.filter((r) => r.variant === v).map((r) => r.count / r.seconds)[0]!;
      return rate('interpreted') / rate('hand-written');
    });
    const ratio = quantile(roundRatios, 0.5);
    const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
    const sampleA = results.find((r) => r.variant === 'interpreted')!.keys[0]!;
    const sampleB = results.find((r) => r.variant === 'hand-written')!.keys[0]!;
    const [histA, histB, rowsA, rowsB] = await Promise.all([
      historyProfile(engine, sampleA),
      historyProfile(engine, sampleB),
      rowProfile(engine, sampleA),
      rowProfile(engine, sampleB),
    ]);

    console.log('');
    console.log(`interpreted:  ${a.throughput.toFixed(1)} instances/s  (p50 ${(a.p50 / 1000).toFixed(2)} s, p95 ${(a.p95 / 1000).toFixed(2)} s)`);
    console.log(`hand-written: ${b.throughput.toFixed(1)} instances/s  (p50 ${(b.p50 / 1000).toFixed(2)} s, p95 ${(b.p95 / 1000).toFixed(2)} s)`);
    console.log(`ratio per round: ${roundRatios.map((r) => r.toFixed(2)).join(', ')}; over all rounds: ${(a.throughput / b.throughput).toFixed(2)}`);
    console.log(
      `ratio interpreted / hand-written (median of rounds): ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`,
    );
    const cpuOf = (r: typeof a) =>
      r.temporalCpuMs === null || r.postgresCpuMs === null || r.benchCpuMs === null ? null : r.benchCpuMs + r.temporalCpuMs + r.postgresCpuMs;
    const cpuA = cpuOf(a);
    const cpuB = cpuOf(b);
    if (cpuA !== null && cpuB !== null) {
      console.log(
        `CPU per instance (this process + Temporal + PostgreSQL): interpreted ${cpuA.toFixed(1)} ms, hand-written ${cpuB.toFixed(1)} ms; ` +
          `ratio ${(cpuB / cpuA).toFixed(2)} (the throughput ratio to expect where CPU is the limit)`,
      );
    }
    console.log('');
    console.log('per instance                      interpreted   hand-written');
    const row = (name: string, x: string | number, y: string | number) => console.log(`  ${name.padEnd(32)}${String(x).padStart(11)}   ${String(y).padStart(12)}`);
    row('history events', histA.events, histB.events);
    row('workflow tasks', histA.workflowTasks, histB.workflowTasks);
    row('activities', histA.activities, histB.activities);
    row('local activities (markers)', histA.localActivities, histB.localActivities);
    row('updates', histA.updates, histB.updates);
    for (const t of ['process_instance', 'element_instance', 'variable', 'user_task']) row(`${t} rows`, rowsA[t] ?? 0, rowsB[t] ?? 0);
    row('CPU: this process (app+worker+bot)', ms(a.benchCpuMs), ms(b.benchCpuMs));
    row('CPU: Temporal dev server', ms(a.temporalCpuMs), ms(b.temporalCpuMs));
    row('CPU: PostgreSQL', ms(a.postgresCpuMs), ms(b.postgresCpuMs));
    const busy = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)} %`);
    row('machine busy during the phases', busy(a.machineBusy), busy(b.machineBusy));
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : String(err)}`));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:engine failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
