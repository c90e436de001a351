/**
 * The clients of a fault test, as real ones behave: each request has a timeout and is retried, and
 * every request goes to EVERY server at once (two servers racing on each creation and completion).
 *
 * - creator: creates `count` instances with an Idempotency-Key, retrying until one server answers 200;
 * - job worker: activates external jobs of `jobType` and completes each on all servers;
 * - task worker: finds open user tasks and completes each on all servers.
 *
 * It records every answer, so the test can check that no job or task was completed twice and that
 * every retried creation returned the same instance.
 */
import type { FaultStack } from './fault-stack.js';

export interface DriverRecord {
  /** Instance number → process instance keys answered with 200 (all must be equal). */
  created: Map<number, string[]>;
  /** Job key → HTTP statuses of its completions (0 = no answer in time). */
  jobs: Map<string, number[]>;
  /** User task key → HTTP statuses of its completions. */
  tasks: Map<string, number[]>;
  /** Every create status seen (for the report). */
  createStatuses: number[];
}

export interface Driver {
  record: DriverRecord;
  /** Resolves when every instance has been created (a 200 from some server). */
  allCreated: Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REQUEST_TIMEOUT_MS = 5_000;

async function send(baseUrl: string, auth: object, url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json?: unknown }> {
  try {
    const res = await fetch(`${baseUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  } catch {
    return { status: 0 }; // timed out or refused: the client retries
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function startDriver(
  stack: FaultStack,
  opts: { processId: string; count: number; keyPrefix: string; jobType: string; /** User tasks are completed once this resolves. */ tasksFrom?: Promise<unknown> },
): Driver {
  const record: DriverRecord = { created: new Map(), jobs: new Map(), tasks: new Map(), createStatuses: [] };
  const { servers, auth } = stack;
  let stopped = false;
  const toAll = (url: string, body: unknown, headers?: Record<string, string>) =>
    Promise.all(servers.map((s) => send(s.baseUrl, auth, url, body, headers)));

  async function create(n: number) {
    while (!stopped) {
      const answers = await toAll('/v2/process-instances', { processDefinitionId: opts.processId, variables: { n } }, {
        'idempotency-key': `${opts.keyPrefix}-${n}`,
      });
      for (const a of answers) {
        record.createStatuses.push(a.status);
        if (a.status === 200) push(record.created, n, (a.json as { processInstanceKey: string }).processInstanceKey);
      }
      if (answers.some((a) => a.status === 200)) return;
      await sleep(300);
    }
  }

  async function creator() {
    let next = 0;
    const lane = async () => {
      while (next < opts.count) await create(next++);
    };
    await Promise.all(Array.from({ length: 6 }, lane));
  }

  async function jobWorker() {
    let round = 0;
    while (!stopped) {
      const server = servers[round++ % servers.length]!;
      const res = await send(server.baseUrl, auth, '/v2/jobs/activation', { type: opts.jobType, worker: 'fault-worker', timeout: 3000, maxJobsToActivate: 16 });
      const jobs = res.status === 200 ? (res.json as { jobs: Array<{ jobKey: string; variables: { n: number } }> }).jobs : [];
      if (jobs.length === 0) {
        await sleep(200);
        continue;
      }
      await Promise.all(
        jobs.map(async (job) => {
          const answers = await toAll(`/v2/jobs/${job.jobKey}/completion`, { variables: { jobDoneBy: `worker-${job.variables.n}` } });
          for (const a of answers) push(record.jobs, job.jobKey, a.status);
        }),
      );
    }
  }

  async function taskWorker() {
    await opts.tasksFrom;
    while (!stopped) {
      let keys: string[] = [];
      try {
        const { rows } = await stack.pool.query<{ key: string }>("SELECT key::text FROM user_task WHERE state = 'CREATED' ORDER BY key LIMIT 16");
        keys = rows.map((r) => r.key);
      } catch {
        // PostgreSQL is down: try again
      }
      if (keys.length === 0) {
        await sleep(200);
        continue;
      }
      await Promise.all(
        keys.map(async (key) => {
          const answers = await toAll(`/v2/user-tasks/${key}/completion`, { variables: { reviewed: true } });
          for (const a of answers) push(record.tasks, key, a.status);
        }),
      );
    }
  }

  const allCreated = creator();
  const loops = Promise.all([allCreated, jobWorker(), taskWorker()]);
  return {
    record,
    allCreated,
    async stop() {
      stopped = true;
      await loops;
    },
  };
}
