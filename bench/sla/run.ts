/**
 * SLA clock benchmark (issue #10, point 10): completed process instances per second for
 *
 *   start → step1 → step2 → step3 → end      (three service tasks, one fast in-process job handler)
 *
 * in three variants, each its own deployed diagram, run by the same interpreter worker:
 *   plain     no limits;
 *   policy    <sla:limit policy="bench.step" departments="customer-service" /> on every step: each clock
 *             resolves its policy (P1D in working days) and the working-day calendar from PostgreSQL;
 *   duration  <sla:limit duration="PT1H" departments="customer-service" /> on every step: natural time,
 *             no database look-up.
 * Same servers, same process, same N and concurrency, after a warm-up; rounds alternate the order of
 * the variants and the ratios policy / plain and duration / plain are the medians of the per-round
 * ratios. Every instance is checked: completed, three steps run, and in the SLA variants three clocks
 * in sla_clock that ended MET.
 *
 *   npm run bench:sla                                  # N=200, concurrency 20, warm-up 20, 3 rounds
 *   npm run bench:sla -- --n=400 --concurrency=40 --rounds=5
 *   npm run bench:sla -- --only=policy                 # one variant (no ratio), e.g. for a profile
 *
 * Options (argument or environment): --n / BENCH_N (200), --concurrency / BENCH_CONCURRENCY (20),
 * --warmup / BENCH_WARMUP (20), --rounds / BENCH_ROUNDS (3), --only / BENCH_ONLY=plain|policy|duration.
 * DATABASE_URL / TEMPORAL_ADDRESS use existing servers.
 */
import { availableParallelism } from 'node:os';
import type { JobHandler } from '../../activities/index.js';
import { startEngine, startLocalStack, type Engine, type LocalStack } from '../../scripts/lib/local-stack.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { argOption, historyProfile, intOption, printInstanceTable, quantile, roundRatios, rowCounts, runBenchmark, runInstances, runRounds, startInstance, summarise } from '../lib/harness.js';

const TASK_QUEUE = 'bench-sla';
const JOB_TYPE = 'bench-step';
const POLICY_SET = 'commitments-2023';
const POLICY_KEY = 'bench.step';
const DEPARTMENT = 'customer-service';
const TARGET_RATIO = 0.85;
const STEPS = 3;
/** Rows counted per instance. */
const ROW_TABLES = ['element_instance', 'sla_clock', 'sla_event'];

const VARIANTS = ['plain', 'policy', 'duration'] as const;
type VariantName = (typeof VARIANTS)[number];

/** The limit each step of a variant carries. */
const LIMITS: Record<VariantName, string> = {
  plain: '',
  policy: `<sla:limit policy="${POLICY_KEY}" departments="${DEPARTMENT}" />`,
  duration: `<sla:limit duration="PT1H" departments="${DEPARTMENT}" />`,
};

const processIdOf = (v: VariantName) => `bench-sla-${v}`;

function diagram(v: VariantName): string {
  const step = (n: number) =>
    `<bpmn:serviceTask id="step${n}" name="step ${n}"><bpmn:extensionElements><zeebe:taskDefinition type="${JOB_TYPE}" />${LIMITS[v]}</bpmn:extensionElements></bpmn:serviceTask>`;
  const ids = ['start', ...Array.from({ length: STEPS }, (_, i) => `step${i + 1}`), 'end'];
  const flows = ids.slice(1).map((to, i) => `<bpmn:sequenceFlow id="f${i + 1}" sourceRef="${ids[i]}" targetRef="${to}" />`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="d-${v}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processIdOf(v)}" isExecutable="true">
    <bpmn:startEvent id="start" />
    ${Array.from({ length: STEPS }, (_, i) => step(i + 1)).join('\n    ')}
    <bpmn:endEvent id="end" />
    ${flows.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>
`;
}

/** Every step: counts itself. */
const countStep: JobHandler = ({ variables }) => ({ steps: Number(variables.steps ?? 0) + 1 });

interface Options {
  n: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  only?: VariantName;
}

function readOptions(): Options {
  const only = argOption('only') ?? process.env.BENCH_ONLY;
  if (only && !(VARIANTS as readonly string[]).includes(only)) throw new Error(`--only / BENCH_ONLY must be one of ${VARIANTS.join(', ')} (got "${only}")`);
  return {
    n: intOption('n', 'BENCH_N', 200, 1),
    concurrency: intOption('concurrency', 'BENCH_CONCURRENCY', 20, 1),
    warmup: intOption('warmup', 'BENCH_WARMUP', 20, 0),
    rounds: intOption('rounds', 'BENCH_ROUNDS', 3, 1),
    ...(only ? { only: only as VariantName } : {}),
  };
}

function expectOk(res: Awaited<ReturnType<Engine['api']>>, what: string, ok: number[] = [200, 201]): void {
  if (!ok.includes(res.statusCode)) throw new Error(`${what} failed: ${res.statusCode} ${res.body}`);
}

/** The department, the policy and the three diagrams. */
async function prepare(engine: Engine): Promise<void> {
  expectOk(await engine.api('POST', '/api/departments', { id: DEPARTMENT, name: '客户服务中心' }), 'creating the department', [201, 409]);
  expectOk(
    await engine.api('PUT', `/api/sla/policies/${POLICY_SET}/${POLICY_KEY}`, { name: 'bench', duration: 'P1D', timeBase: 'workingDays' }),
    'creating the policy',
  );
  for (const v of VARIANTS) await engine.deploy(diagram(v), `${processIdOf(v)}.bpmn`);
}

/** After a phase: every SLA instance has its three clocks, ended MET; a plain one has none. */
async function checkClocks(engine: Engine, variant: VariantName, keys: string[]): Promise<void> {
  const { rows } = await engine.pool.query<{ key: string; clocks: number; met: number }>(
    `SELECT k AS key, count(c.key)::int AS clocks, count(c.key) FILTER (WHERE c.status = 'ended' AND c.outcome = 'met')::int AS met
       FROM unnest($1::bigint[]) AS k LEFT JOIN sla_clock c ON c.process_instance_key = k GROUP BY k`,
    [keys],
  );
  const expected = variant === 'plain' ? 0 : STEPS;
  const wrong = rows.filter((r) => r.clocks !== expected || r.met !== expected);
  if (wrong.length > 0) {
    throw new Error(`${variant}: ${wrong.length} of ${keys.length} instances without ${expected} MET clocks, e.g. ${JSON.stringify(wrong.slice(0, 3))}`);
  }
}

async function runPhase(engine: Engine, stack: LocalStack, variant: VariantName, count: number, options: Options, label: string) {
  const result = await runInstances({
    variant,
    count,
    concurrency: options.concurrency,
    label,
    stack,
    async run(i) {
      const pi = await startInstance(engine, processIdOf(variant), { x: i });
      const end = (await engine.client.workflow.getHandle(processInstanceWorkflowId(pi)).result()) as { outcome: string; variables: Record<string, unknown> };
      if (end.outcome !== 'completed' || end.variables.steps !== STEPS || end.variables.x !== i) {
        throw new Error(`${variant} instance ${pi} ended wrongly: ${JSON.stringify(end)}`);
      }
      return pi;
    },
  });
  await checkClocks(engine, variant, result.keys);
  return result;
}

async function main(onStop: (stop: () => Promise<unknown>) => void): Promise<void> {
  const options = readOptions();
  const variants = VARIANTS.filter((v) => !options.only || v === options.only);
  console.log(`SLA clock benchmark: start → ${STEPS} service tasks → end; variants ${variants.join(', ')}`);
  console.log(
    `N=${options.n} per variant and round, concurrency ${options.concurrency}, warm-up ${options.warmup}, rounds ${options.rounds}, ` +
      `${availableParallelism()} CPU cores`,
  );
  const stack = await startLocalStack();
  console.log(`stack: ${stack.describe}`);
  onStop(() => stack.stop());
  const engine = await startEngine(stack, { taskQueue: TASK_QUEUE, jobHandlers: { [JOB_TYPE]: countStep } });
  onStop(() => engine.stop());
  await prepare(engine);

  const results = await runRounds(variants, options, (v, count, label) => runPhase(engine, stack, v, count, options, label));

  console.log('');
  const summaries = variants.map((v) => ({ v, s: summarise(results, v) }));
  for (const { v, s } of summaries) {
    console.log(`${`${v}:`.padEnd(10)} ${s.throughput.toFixed(1)} instances/s  (p50 ${(s.p50 / 1000).toFixed(2)} s, p95 ${(s.p95 / 1000).toFixed(2)} s)`);
  }
  if (!options.only) {
    const plain = summaries[0]!.s;
    for (const v of ['policy', 'duration'] as const) {
      const ratios = roundRatios(results, options.rounds, v, 'plain');
      const ratio = quantile(ratios, 0.5);
      const s = summarise(results, v);
      console.log(
        `ratio ${v} / plain: per round ${ratios.map((r) => r.toFixed(2)).join(', ')}; over all rounds ${(s.throughput / plain.throughput).toFixed(2)}; ` +
          `median of rounds ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}` +
          (s.totalCpuMs !== null && plain.totalCpuMs !== null ? `; CPU ratio ${(plain.totalCpuMs / s.totalCpuMs).toFixed(2)}` : ''),
      );
    }
  }

  const samples = variants.map((v) => results.find((r) => r.variant === v)!.keys[0]!);
  const hist = await Promise.all(samples.map((k) => historyProfile(engine.client, k)));
  const rows = await Promise.all(samples.map((k) => rowCounts(engine, k, ROW_TABLES)));
  console.log('');
  printInstanceTable(
    [...variants],
    hist,
    ROW_TABLES.map((t) => [`${t} rows`, rows.map((r) => r[t] ?? 0)]),
    summaries.map(({ s }) => s),
    'app+worker',
  );
}

runBenchmark('bench:sla', main);
