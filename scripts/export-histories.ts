/**
 * Records the workflow histories that test/replay/replay.test.ts replays against the current
 * workflow code (see test/replay/README.md for when to run it).
 *
 *   npx tsx scripts/export-histories.ts              # every scenario
 *   npx tsx scripts/export-histories.ts timer        # only the named ones
 *
 * Each scenario deploys a diagram from test/replay/diagrams/, runs one instance to its end on a real
 * Temporal server (its own embedded PostgreSQL and dev server, or DATABASE_URL / TEMPORAL_ADDRESS),
 * driving it through the /v2 API like a user would, and writes
 * `await client.workflow.getHandle(id, runId).fetchHistory()` as JSON (the format of
 * `temporal workflow show --output json`) to test/replay/histories/NAME.json. An instance that
 * continues as new gives one file per run: NAME-1.json, NAME-2.json, …
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { BpmnError, type JobHandler } from '../activities/index.js';
import { createProcessInstance } from '../services/instances.js';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { historyToJson } from './lib/history-json.js';
import { startEngine, startLocalStack, type Engine } from './lib/local-stack.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

const REPLAY_DIR = fileURLToPath(new URL('../test/replay/', import.meta.url));
const TIMEOUT_MS = 30_000;

const jobHandlers: Record<string, JobHandler> = {
  ok: ({ elementId }) => ({ [`${elementId}Done`]: true }),
  reject: () => {
    throw new BpmnError('REJECTED', 'the application is incomplete');
  },
  count: ({ variables }) => ({ count: Number(variables.count ?? 0) + 1 }),
};

interface Scenario {
  name: string;
  diagram: string;
  processId: string;
  variables: Record<string, unknown>;
  /** Continue as new after this many events (exercises the resume path). */
  historyLimit?: number;
  /** Set-up before the diagram is deployed (departments it names). */
  before?: (engine: Engine) => Promise<void>;
  /** What a person or another system does while the instance runs. */
  drive?: (engine: Engine, processInstanceKey: string) => Promise<void>;
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const scenarios: Scenario[] = [
  {
    name: 'user-task',
    diagram: 'user-task.bpmn',
    processId: 'replay-user-task',
    variables: { applicant: '张三' },
    async drive(engine, pi) {
      const task = await poll('user task review', async () => {
        const res = await engine.api('POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId: 'review', state: 'CREATED' } });
        return res.json<{ items: Array<{ userTaskKey: string }> }>().items[0];
      });
      const res = await engine.api('POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { approved: true } });
      if (res.statusCode !== 204) throw new Error(`completing the task failed: ${res.statusCode} ${res.body}`);
    },
  },
  { name: 'error-boundary', diagram: 'error-boundary.bpmn', processId: 'replay-error-boundary', variables: {} },
  { name: 'parallel-gateway', diagram: 'parallel-gateway.bpmn', processId: 'replay-parallel', variables: {} },
  { name: 'timer', diagram: 'timer.bpmn', processId: 'replay-timer', variables: {} },
  {
    name: 'message-catch',
    diagram: 'message-catch.bpmn',
    processId: 'replay-message',
    variables: { orderId: 'order-1' },
    async drive(engine, pi) {
      await poll('message subscription', async () => {
        const { rowCount } = await engine.pool.query('SELECT 1 FROM message_subscription WHERE process_instance_key = $1', [pi]);
        return rowCount ? true : undefined;
      });
      const res = await engine.api('POST', '/v2/messages/publication', {
        name: 'payment-received',
        correlationKey: 'order-1',
        variables: { amount: 120 },
        timeToLive: 60_000,
      });
      if (res.statusCode !== 200) throw new Error(`publishing failed: ${res.statusCode} ${res.body}`);
    },
  },
  { name: 'continue-as-new', diagram: 'service-loop.bpmn', processId: 'replay-loop', variables: { count: 0 }, historyLimit: 100 },
  {
    // SLA clocks: a policy resolved with the projection, a span, a 2 s limit that warns and breaches
    // (a boundary timer at sla.dueAt), then completion after the breach (LATE).
    name: 'sla-clock',
    diagram: 'sla-clock.bpmn',
    processId: 'replay-sla',
    variables: { businessKey: 'TS-1' },
    async before(engine) {
      await engine.pool.query("INSERT INTO department (id, name) VALUES ('customer-service', '客户服务中心') ON CONFLICT DO NOTHING");
    },
    async drive(engine, pi) {
      for (const elementId of ['contact', 'reply']) {
        const task = await poll(`user task ${elementId}`, async () => {
          const res = await engine.api('POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } });
          return res.json<{ items: Array<{ userTaskKey: string }> }>().items[0];
        });
        if (elementId === 'reply') {
          await poll('the breach', async () => {
            const { rowCount } = await engine.pool.query("SELECT 1 FROM sla_event WHERE process_instance_key = $1 AND type = 'BREACHED'", [pi]);
            return rowCount ? true : undefined;
          });
        }
        const res = await engine.api('POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: {} });
        if (res.statusCode !== 204) throw new Error(`completing ${elementId} failed: ${res.statusCode} ${res.body}`);
      }
    },
  },
];

async function record(engine: Engine, scenario: Scenario): Promise<string[]> {
  const xml = await readFile(path.join(REPLAY_DIR, 'diagrams', scenario.diagram), 'utf8');
  await scenario.before?.(engine);
  await engine.deploy(xml, scenario.diagram);
  const { processInstanceKey: pi } = await createProcessInstance(
    { pool: engine.pool, client: engine.client, taskQueue: engine.taskQueue },
    { processDefinitionId: scenario.processId, variables: scenario.variables, ...(scenario.historyLimit ? { historyLimit: scenario.historyLimit } : {}) },
  );
  await scenario.drive?.(engine, pi);
  const workflowId = processInstanceWorkflowId(pi);
  const handle = engine.client.workflow.getHandle(workflowId);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    handle.result(),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${scenario.name} did not end within ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));

  // Every run of the chain, first to last.
  const desc = await handle.describe();
  let runId: string | undefined = desc.raw.workflowExecutionInfo?.firstRunId || desc.runId;
  const histories: string[] = [];
  for (let i = 0; runId && i < 20; i++) {
    const history: History = await engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(historyToJson(history));
    const last: HistoryEvent | undefined = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  const files = histories.length === 1 ? [`${scenario.name}.json`] : histories.map((_, i) => `${scenario.name}-${i + 1}.json`);
  for (const [i, file] of files.entries()) await writeFile(path.join(REPLAY_DIR, 'histories', file), `${histories[i]}\n`);
  return files;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const chosen = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;

  const stack = await startLocalStack();
  console.log(`stack: ${stack.describe}`);
  try {
    const engine = await startEngine(stack, { taskQueue: 'export-histories', jobHandlers });
    try {
      for (const scenario of chosen) {
        const files = await record(engine, scenario);
        console.log(`${scenario.name}: ${files.map((f) => `test/replay/histories/${f}`).join(', ')}`);
      }
    } finally {
      await engine.stop();
    }
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`export-histories failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
