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
import { argOption, historyProfile, intOption, printInstanceTable, quantile, roundRatios, rowCounts, runBenchmark, runInstances, runRounds, startInstance, summarise, type PhaseResult } from '../lib/harness.js';
import { startBot } from './bot.js';
import { createHandwrittenActivities, HANDWRITTEN_PROCESS_ID } from './handwritten-activities.js';
import type { HandwrittenInput } from './handwritten-workflow.js';

const INTERPRETED_QUEUE = 'bench-interpreted';
const HANDWRITTEN_QUEUE = 'bench-handwritten';
const PROCESS_ID = 'bench';
const TARGET_RATIO = 0.8;
/** Read-model rows counted per instance. */
const ROW_TABLES = ['process_instance', 'element_instance', 'variable', 'user_task'];

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
  return {
    n: intOption('n', 'BENCH_N', 200, 1),
    concurrency: intOption('concurrency', 'BENCH_CONCURRENCY', 20, 1),
    warmup: intOption('warmup', 'BENCH_WARMUP', 20, 0),
    rounds: intOption('rounds', 'BENCH_ROUNDS', 3, 1),
    pollMs: intOption('poll-ms', 'BENCH_POLL_MS', 20, 1),
    ...only(argOption('only') ?? process.env.BENCH_ONLY),
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

async function runPhase(
  engine: Engine,
  stack: LocalStack,
  variant: Variant,
  count: number,
  options: Options,
  label: string,
): Promise<PhaseResult<Variant['name']>> {
  const bot = startBot(engine, variant.processId, options.pollMs);
  const result = await runInstances({
    variant: variant.name,
    count,
    concurrency: options.concurrency,
    label,
    stack,
    async run(i) {
      const pi = await variant.start(i);
      const result = (await engine.client.workflow.getHandle(processInstanceWorkflowId(pi)).result()) as {
        outcome: string;
        variables: Record<string, unknown>;
      };
      if (result.outcome !== 'completed' || result.variables.y !== i * 2 || result.variables.approved !== true) {
        throw new Error(`${variant.name} instance ${pi} ended wrongly: ${JSON.stringify(result)}`);
      }
      return pi;
    },
  });
  const botStats = await bot.stop();
  if (botStats.failures.length) throw new Error(`the bot failed:\n${botStats.failures.join('\n')}`);
  return result;
}

async function main(onStop: (stop: () => Promise<unknown>) => void): Promise<void> {
  const options = readOptions();
  console.log('engine benchmark: start → service task → user task (bot via HTTP API) → end');
  console.log(
    `N=${options.n} per variant and round, concurrency ${options.concurrency}, warm-up ${options.warmup}, rounds ${options.rounds}, ` +
      `bot polls every ${options.pollMs} ms, ${availableParallelism()} CPU cores`,
  );
  const stack = await startLocalStack();
  console.log(`stack: ${stack.describe}`);
  onStop(() => stack.stop());
  const engine = await startEngine(stack, { taskQueue: INTERPRETED_QUEUE, jobHandlers: { double } });
  onStop(() => engine.stop());
  await engine.deploy(DIAGRAM, 'bench.bpmn');

  // The hand-written workflow's worker: same defaults, same pool, same process.
  const handwrittenBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./handwritten-workflow.ts', import.meta.url)),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
  });
  const connection = await connectWorker(stack.temporalAddress);
  onStop(() => connection.close());
  const handwrittenWorker = await Worker.create({
    connection,
    namespace: stack.namespace,
    taskQueue: HANDWRITTEN_QUEUE,
    workflowBundle: handwrittenBundle,
    activities: createHandwrittenActivities(engine.pool, double),
  });
  const handwrittenRunning = handwrittenWorker.run();
  onStop(async () => {
    if (handwrittenWorker.getState() === 'RUNNING') handwrittenWorker.shutdown();
    await handwrittenRunning;
  });

  const interpreted: Variant = {
    name: 'interpreted',
    processId: PROCESS_ID,
    start: (i) => startInstance(engine, PROCESS_ID, { x: i }),
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
  const results = await runRounds(variants, options, (v, count, label) => runPhase(engine, stack, v, count, options, label));

  if (options.only) {
    const r = summarise(results, options.only);
    console.log(`\n${options.only}: ${r.throughput.toFixed(1)} instances/s (one variant only: no ratio)`);
    return;
  }
  const a = summarise(results, 'interpreted');
  const b = summarise(results, 'hand-written');
  const ratios = roundRatios(results, options.rounds, 'interpreted', 'hand-written');
  const ratio = quantile(ratios, 0.5);
  const sampleA = results.find((r) => r.variant === 'interpreted')!.keys[0]!;
  const sampleB = results.find((r) => r.variant === 'hand-written')!.keys[0]!;
  const [histA, histB, rowsA, rowsB] = await Promise.all([
    historyProfile(engine.client, sampleA),
    historyProfile(engine.client, sampleB),
    rowCounts(engine, sampleA, ROW_TABLES),
    rowCounts(engine, sampleB, ROW_TABLES),
  ]);

  console.log('');
  console.log(`interpreted:  ${a.throughput.toFixed(1)} instances/s  (p50 ${(a.p50 / 1000).toFixed(2)} s, p95 ${(a.p95 / 1000).toFixed(2)} s)`);
  console.log(`hand-written: ${b.throughput.toFixed(1)} instances/s  (p50 ${(b.p50 / 1000).toFixed(2)} s, p95 ${(b.p95 / 1000).toFixed(2)} s)`);
  console.log(`ratio per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}; over all rounds: ${(a.throughput / b.throughput).toFixed(2)}`);
  console.log(
    `ratio interpreted / hand-written (median of rounds): ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`,
  );
  const cpuA = a.totalCpuMs;
  const cpuB = b.totalCpuMs;
  if (cpuA !== null && cpuB !== null) {
    console.log(
      `CPU per instance (this process + Temporal + PostgreSQL): interpreted ${cpuA.toFixed(1)} ms, hand-written ${cpuB.toFixed(1)} ms; ` +
        `ratio ${(cpuB / cpuA).toFixed(2)} (the throughput ratio to expect where CPU is the limit)`,
    );
  }
  console.log('');
  printInstanceTable(
    ['interpreted', 'hand-written'],
    [histA, histB],
    ROW_TABLES.map((t) => [`${t} rows`, [rowsA[t] ?? 0, rowsB[t] ?? 0]]),
    [a, b],
    'app+worker+bot',
  );
}

runBenchmark('bench:engine', main);
