/**
 * The month-long simulation: the demo company works realistic cases of the three processes through
 * the HTTP API (the Fastify app, app.inject, as the demo users with their permissions) while the
 * engine runs on Temporal's time-skipping test server, its clock starting at the simulated window.
 *
 * A discrete-event loop: arrivals, task completions and outage closings are events at simulated
 * instants; the loop jumps the test server's clock to the next event (env.sleep: timers due in
 * between — SLA warnings, breaches, boundary timers — fire on the way), performs every event due
 * within a quantum (through the API), waits until the engine has projected the consequences, and
 * plans the tasks that appeared (worker, duration, form values; see model.ts). It ends when every
 * case has ended: cases arriving late in the window run on past it, so that no instance is left
 * waiting on a workflow of the thrown-away test server.
 *
 * Observation (which tasks are open, which instances ended) reads the read model in PostgreSQL, as
 * a supervisor's screen would; every change goes through the API.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { MonthScorecards } from '../../assessment/scorecards.js';
import { createActivities } from '../../activities/index.js';
import { companyJobHandlers } from '../../company/handlers/index.js';
import { localCompanyAdapters } from '../../company/handlers/local.js';
import { deployProcessDirectory } from '../../company/deploy.js';
import { SETTING_JOB_TYPE, settingJobHandler } from '../../company/settings.js';
import { buildApp, REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { loadConfig } from '../../server/config.js';
import { bundleWorkflows } from '../../server/worker.js';
import { HUB_RAISE_JOB_TYPE, raiseHubItem } from '../../sla/hub.js';
import { delayFor, formValues, inOfficeHours, planCases, Rng, workerFor, type Outage, type ProcessId, type SimCase } from './model.js';
import { startTimeSkippingAt } from './time-skipping.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CN = 8 * HOUR;

export interface SimulationOptions {
  pool: pg.Pool;
  /** First simulated day, YYYY-MM-DD (China time). */
  from: string;
  days: number;
  cases: number;
  seed: number;
  /** API calls in flight at once. */
  concurrency: number;
  /** Events within this much simulated time are done in one round (default 20 minutes; a step is done up to that much early, never late). */
  quantumMs?: number;
  demoPassword: string;
  log?: (line: string) => void;
}

export interface SimulationSummary {
  runId: string;
  from: string;
  to: string;
  realSeconds: number;
  cases: Record<string, Record<string, number>>;
  started: number;
  ended: number;
  notEnded: string[];
  incidents: Array<{ processInstanceKey: string; elementId: string; errorType: string; message: string }>;
  tasksCompleted: Record<string, number>;
  failedActions: string[];
  /** SLA events by type, as the API shows them for the run's instances. */
  slaEvents: Record<string, number>;
  /** The same counted in the table sla_event. */
  slaEventsInDb: Record<string, number>;
  /** BREACHED events per responsible department (the first listed on the event). */
  breachesByDepartment: Record<string, number>;
  hubQueueBreachesSeen: number;
  hubActions: Record<string, number>;
  hubItems: Record<string, number>;
  sendBacks: number;
  reopenings: number;
  reopenEscalations: number;
  outages: Array<{ id: string; linked: number; closed: boolean; calls: number; closedTogether: number }>;
  demotedHv: number;
  /** Where the real time went: rounds of the loop, jumps of the clock, waiting for projections, API calls. */
  timing: { rounds: number; sleepSeconds: number; settleSeconds: number; settleTimeouts: number; actionSeconds: number };
  startDatesCorrected: number;
  /**
   * The scorecards (GET /api/assessment/scorecards, as the manager) of each month the run touched
   * (cases arriving late in the window run on past it): what the assessment module makes of them.
   */
  scorecards: Array<{
    month: string;
    provisional: boolean;
    departments: Array<{ departmentId: string; name: string | null; score: number; ended: number; onTimeRate: number | null; breaches: number; firstTimeRate: number | null; satisfactionRate: number | null; deductionItems: number }>;
  }>;
  mismatches: string[];
}

type Event = { at: number; seq: number; kind: 'start' | 'task' | 'close' | 'hub'; run: () => Promise<string | undefined> };

/** A min-heap of events by instant, then by insertion. */
class Agenda {
  private heap: Event[] = [];
  private n = 0;
  get size() {
    return this.heap.length;
  }
  peek(): Event | undefined {
    return this.heap[0];
  }
  push(e: Omit<Event, 'seq'>) {
    const h = this.heap;
    h.push({ ...e, seq: this.n++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
const less = (a: Event, b: Event) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

const chinaDay = (ms: number) => new Date(ms + CN).toISOString().slice(0, 10);
const inc = (o: Record<string, number>, k: string, by = 1) => (o[k] = (o[k] ?? 0) + by);

/** Latest arrival per process and class so that limits and the case's own run stay inside the calendar. */
export function latestArrivals(calendarLastDayMs: number) {
  const margin = ARRIVAL_MARGIN_DAYS;
  return (process: ProcessId, customerClass?: string) =>
    calendarLastDayMs - (margin[process === 'business-expansion' ? `${process}/${customerClass}` : process] ?? 30) * DAY;
}

/** Days before the calendar's last day after which a case of the process (and class) does not arrive. */
const ARRIVAL_MARGIN_DAYS: Record<string, number> = {
    // Days before the calendar's last day. A 2,000-case month with 35 and 40 days here left three of
    // its last cases (a reopened complaint's return visit, two applications' archive step after
    // a long customer-side wait) with a limit in the uncovered year: incidents, not ended.
    'fault-repair': 3,
    complaint: 45,
    'business-expansion/lv-residential': 55,
    'business-expansion/lv-nonresidential': 60,
    'business-expansion/hv-single': 75,
    'business-expansion/hv-dual': 85,
};

/**
 * The default window ends yesterday, or this many days before the calendar's last day when that is
 * earlier: then every class of every process can arrive on every day of the window (high-voltage
 * applications run for two to three months), and every department has work.
 */
export const FULL_WINDOW_MARGIN_DAYS = Math.max(...Object.values(ARRIVAL_MARGIN_DAYS));

/** The last day the working-day calendar covers (31 Dec of its last year), midnight China time. */
export async function calendarLastDay(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ year: number | null }>("SELECT max(year) AS year FROM calendar_year WHERE calendar_id = 'cn'");
  const year = rows[0]?.year ?? new Date().getUTCFullYear();
  return Date.parse(`${year}-12-31T00:00:00+08:00`);
}

export async function runSimulation(o: SimulationOptions): Promise<SimulationSummary> {
  const log = o.log ?? ((line: string) => console.log(line));
  const began = performance.now();
  const { pool } = o;
  const runId = `${o.from}-s${o.seed}-${randomBytes(3).toString('hex')}`;
  const fromMs = Date.parse(`${o.from}T00:00:00+08:00`);
  const toMs = fromMs + o.days * DAY;
  const quantum = o.quantumMs ?? 20 * MIN;
  const plan = planCases({ fromMs, days: o.days, cases: o.cases, seed: o.seed, latestArrival: latestArrivals(await calendarLastDay(pool)) });
  const rng = new Rng(o.seed ^ 0x5bd1e995);

  await seedDemoCompany(pool, o.demoPassword);
  const { env, cleanup } = await startTimeSkippingAt(fromMs - HOUR);
  const taskQueue = `simulate-${runId}`;
  // The order numbers carry the simulated date: the adapter's clock is the test server's.
  let clockOffset = (await env.currentTimeMs()) - Date.now();
  const simNow = () => Date.now() + clockOffset;
  const jobHandlers = companyJobHandlers(localCompanyAdapters(pool, { now: simNow }));
  jobHandlers.set(HUB_RAISE_JOB_TYPE, (job) => raiseHubItem({ pool }, job));
  jobHandlers.set(SETTING_JOB_TYPE, settingJobHandler(pool));
  let app: FastifyInstance | undefined;
  try {
    const deps = { pool, client: env.client, taskQueue };
    const deployed = await deployProcessDirectory(deps, path.join(REPO_ROOT, 'processes'));
    if (deployed.failed.length) throw new Error(`processes not deployed: ${deployed.failed.map((f) => `${f.file}: ${f.reason}`).join('; ')}`);
    const config = loadConfig(
      { DATABASE_URL: 'postgres://simulator@localhost/unused', TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '0' },
      'server',
    );
    app = await buildApp({ config, pool, temporal: { client: env.client, namespace: env.namespace ?? 'default', taskQueue } }, { logger: false });
    await app.ready();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({ pool, jobHandlers }),
    });
    const a = app;
    return await worker.runUntil(simulate());

    async function simulate(): Promise<SimulationSummary> {
      const auth = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${o.demoPassword}`).toString('base64')}` });
      /** One API call; 503 (a part is busy) is retried, anything else is returned. */
      const api = async (user: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
        for (let attempt = 0; ; attempt++) {
          const res = await a.inject({ method, url, headers: auth(user), ...(payload === undefined ? {} : { payload: payload as object }) });
          if (res.statusCode !== 503 || attempt >= 5) return res;
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        }
      };

      const agenda = new Agenda();
      const caseByPi = new Map<string, SimCase>();
      const active = new Set<string>();
      const planned = new Set<string>();
      const completed = new Set<string>();
      const tasksCompleted: Record<string, number> = {};
      const failedActions: string[] = [];
      const hubActions: Record<string, number> = {};
      const seenBreachedItems = new Set<string>();
      let started = 0;
      const timing = { rounds: 0, sleep: 0, settle: 0, settleTimeouts: 0, actions: 0 };
      /** Instances the current round changed. */
      const acted = new Set<string>();
      let now = await env.currentTimeMs();

      for (const c of plan.cases) {
        agenda.push({
          at: c.arrivalMs,
          kind: 'start',
          run: async () => {
            const res = await api(c.startUser, 'POST', '/v2/process-instances', {
              processDefinitionId: c.process,
              variables: { ...c.startVariables, simulationRun: runId },
            });
            if (res.statusCode !== 200) return `start ${c.process} #${c.id}: ${res.statusCode} ${res.body.slice(0, 300)}`;
            const pi = res.json<{ processInstanceKey: string }>().processInstanceKey;
            c.processInstanceKey = pi;
            caseByPi.set(pi, c);
            active.add(pi);
            acted.add(pi);
            started++;
            return undefined;
          },
        });
      }
      // The hub looks at its queue twice a working day: it urges the breached tasks it has not urged yet.
      for (let d = 0; d < o.days + 60; d++) {
        for (const hour of [10, 15]) {
          agenda.push({ at: fromMs + d * DAY + hour * HOUR, kind: 'hub', run: () => hubRound() });
        }
      }

      const openOutage = async (out: Outage) => {
        if (out.id) return out.id;
        const res = await api('hub', 'POST', '/api/outages', { title: out.title, area: out.area });
        if (res.statusCode !== 201) throw new Error(`opening outage: ${res.statusCode} ${res.body}`);
        out.id ??= res.json<{ id: string }>().id;
        agenda.push({
          at: Math.max(now, out.firstCallMs + out.closeAfterMs),
          kind: 'close',
          run: async () => {
            const r = await api('hub', 'POST', `/api/outages/${out.id}/close`, { cause: `${out.title}，线路已修复，恢复送电` });
            if (r.statusCode !== 200) return `closing outage ${out.id}: ${r.statusCode} ${r.body.slice(0, 300)}`;
            out.closed = true;
            return undefined;
          },
        });
        return out.id;
      };
      const opening = new Map<number, Promise<string>>();

      async function hubRound(): Promise<string | undefined> {
        if (active.size === 0) return undefined;
        const res = await api('hub', 'GET', '/api/hub/queue?severity=breached&limit=200');
        if (res.statusCode !== 200) return `hub queue: ${res.statusCode} ${res.body.slice(0, 200)}`;
        const items = res.json<{ items: Array<{ processInstanceKey: string; userTaskKey: string | null; actions?: unknown[] }> }>().items;
        for (const item of items) {
          if (!caseByPi.has(item.processInstanceKey)) continue;
          seenBreachedItems.add(`${item.processInstanceKey}/${item.userTaskKey ?? ''}`);
          if (!item.userTaskKey || (item.actions?.length ?? 0) > 0) continue;
          // Mostly an urge (催办); now and then a supervision order (督办) with four hours.
          const supervise = rng.chance(0.25);
          const r = await api(
            'hub',
            'POST',
            `/api/hub/tasks/${item.userTaskKey}/${supervise ? 'supervise' : 'urge'}`,
            // The supervision's own limit counts from the server's clock (real time), so it is given as a duration.
            supervise ? { duration: 'PT4H', comment: '营销部督办：请4小时内办结' } : { comment: '已超时，请尽快办理' },
          );
          if (r.statusCode === 200) inc(hubActions, supervise ? 'supervise' : 'urge');
          else if (r.statusCode !== 409 && r.statusCode !== 404) return `hub action: ${r.statusCode} ${r.body.slice(0, 200)}`;
        }
        return undefined;
      }

      const work = (taskKey: string, pi: string, elementId: string, groups: string[]) => async () => {
        const c = caseByPi.get(pi)!;
        const user = workerFor(rng, elementId, groups);
        let outage: Outage | undefined;
        if (c.process === 'fault-repair' && elementId === 'dispatch' && c.outageGroup !== undefined) {
          outage = plan.outages[c.outageGroup]!;
          let p = opening.get(outage.group);
          if (!p) opening.set(outage.group, (p = openOutage(outage)));
          await p;
          outage.linked++;
        }
        const variables = formValues(rng, c, elementId, now, outage);
        if (!variables) return `no form values for ${c.process}/${elementId}`;
        const claim = await api(user, 'POST', `/v2/user-tasks/${taskKey}/assignment`, { assignee: user });
        if (claim.statusCode === 409 || claim.statusCode === 404) return undefined; // no longer open (e.g. ended by a terminate end)
        if (claim.statusCode !== 204) return `${user} claims ${c.process}/${elementId}: ${claim.statusCode} ${claim.body.slice(0, 300)}`;
        const res = await api(user, 'POST', `/v2/user-tasks/${taskKey}/completion`, { variables });
        if (res.statusCode === 409 || res.statusCode === 404) return undefined;
        if (res.statusCode !== 204) return `${user} completes ${c.process}/${elementId}: ${res.statusCode} ${res.body.slice(0, 300)}`;
        completed.add(taskKey);
        acted.add(pi);
        c.done[elementId] = (c.done[elementId] ?? 0) + 1;
        inc(tasksCompleted, c.process);
        return undefined;
      };

      /** Waits until the engine has projected what the last round caused (bounded). */
      const settle = async (acted: Set<string>) => {
        const t0 = performance.now();
        try {
          await settleUntilQuiet(acted);
        } finally {
          timing.settle += performance.now() - t0;
        }
      };
      const settleUntilQuiet = async (acted: Set<string>) => {
        const deadline = Date.now() + 4000;
        let lastSum = -1;
        for (;;) {
          const keys = [...active];
          if (keys.length === 0) return;
          const { rows } = await pool.query<{ key: string; state: string; last_seq: number; waiting: boolean }>(
            `SELECT p.key::text, p.state, p.last_seq,
                    EXISTS (SELECT 1 FROM user_task t WHERE t.process_instance_key = p.key AND t.state = 'CREATED' AND NOT (t.key = ANY($2::bigint[])))
                    OR EXISTS (SELECT 1 FROM message_subscription m WHERE m.process_instance_key = p.key) AS waiting
               FROM process_instance p WHERE p.key = ANY($1::bigint[])`,
            [keys, [...completed].slice(-5000)],
          );
          const sum = rows.reduce((s, r) => s + Number(r.last_seq), 0);
          // After a round of actions: every instance acted on waits for a person (a new task) or a
          // message, or has ended. After a jump of the clock: nothing moved between two looks.
          const quiet = acted.size > 0 ? rows.filter((r) => acted.has(r.key)).every((r) => r.state !== 'ACTIVE' || r.waiting) : sum === lastSum;
          if (quiet) return;
          if (Date.now() > deadline) {
            timing.settleTimeouts++;
            return;
          }
          lastSum = sum;
          await new Promise((r) => setTimeout(r, 25));
        }
      };

      /** Plans the tasks that appeared and forgets the instances that ended. */
      const discover = async () => {
        const keys = [...active];
        if (keys.length === 0) return;
        const { rows } = await pool.query<{ key: string; pi: string; element_id: string; candidate_groups: string[] | null; creation_date: Date }>(
          `SELECT key::text, process_instance_key::text AS pi, element_id, candidate_groups, creation_date
             FROM user_task WHERE state = 'CREATED' AND process_instance_key = ANY($1::bigint[])`,
          [keys],
        );
        for (const t of rows) {
          if (planned.has(t.key)) continue;
          planned.add(t.key);
          const c = caseByPi.get(t.pi)!;
          const at = Math.max(now, inOfficeHours(c.process, t.element_id, t.creation_date.getTime() + delayFor(rng, c, c.process, t.element_id)));
          agenda.push({ at, kind: 'task', run: work(t.key, t.pi, t.element_id, t.candidate_groups ?? []) });
        }
        const { rows: states } = await pool.query<{ key: string; state: string }>(
          "SELECT key::text, state FROM process_instance WHERE key = ANY($1::bigint[]) AND state <> 'ACTIVE'",
          [keys],
        );
        for (const s of states) active.delete(s.key);
      };

      /**
       * Moves the test server's clock on. Bounded: once the Java test server failed a workflow task
       * ("invalid history builder state for action", seen twice in 2,000-case runs) the clock no
       * longer moves and the run would hang; it stops with that said instead.
       */
      const jump = async (ms: number) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            env.sleep(ms),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`the time-skipping test server did not move its clock by ${Math.round(ms / 60_000)} min within 5 minutes (a stuck workflow task holds it)`)), 300_000);
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
      };
      let day = -1;
      let idleRounds = 0;
      let lastWorkAt = now;
      const totalCases = plan.cases.length;
      for (;;) {
        const next = agenda.peek();
        const arrivalsLeft = started < totalCases;
        if (!arrivalsLeft && active.size === 0) break;
        if (!next) {
          // Nothing planned: the instances wait for timers (or for an incident to be resolved).
          idleRounds++;
          if (idleRounds > 48) break;
          await jump(HOUR);
          now = await env.currentTimeMs();
          clockOffset = now - Date.now();
          await settle(new Set());
          await discover();
          continue;
        }
        if (next.at > now) {
          const t0 = performance.now();
          await jump(next.at - now);
          timing.sleep += performance.now() - t0;
          now = await env.currentTimeMs();
          clockOffset = now - Date.now();
          await settle(new Set());
          await discover();
        }
        const batch: Event[] = [];
        while (agenda.peek() && agenda.peek()!.at <= now + quantum) batch.push(agenda.pop()!);
        if (batch.some((e) => e.kind !== 'hub')) {
          idleRounds = 0;
          lastWorkAt = now;
        }
        // Every case has arrived and for ten simulated days no one had anything to do: what is still
        // open waits on something the simulation cannot do (an incident); the summary names it.
        if (!arrivalsLeft && now - lastWorkAt > 10 * DAY) break;
        acted.clear();
        timing.rounds++;
        const t1 = performance.now();
        await inParallel(batch, o.concurrency, async (e) => {
          try {
            const problem = await e.run();
            if (problem) failedActions.push(problem);
          } catch (err) {
            failedActions.push(`${e.kind}: ${(err as Error).message}`);
          }
        });
        timing.actions += performance.now() - t1;
        await settle(acted);
        await discover();
        const today = Math.floor((now - fromMs) / DAY);
        if (today !== day) {
          day = today;
          log(
            `  第 ${day + 1} 天 / day ${day + 1}${day >= o.days ? ' (after the window)' : `/${o.days}`} ${chinaDay(now)}: started ${started}/${totalCases}, open ${active.size}, ` +
              `tasks done ${Object.values(tasksCompleted).reduce((s, n) => s + n, 0)}, ${((performance.now() - began) / 1000).toFixed(0)} s ` +
              `(rounds ${timing.rounds}, API ${(timing.actions / 1000).toFixed(0)} s, waiting ${(timing.settle / 1000).toFixed(0)} s, jumps ${(timing.sleep / 1000).toFixed(0)} s)`,
          );
        }
        if (failedActions.length > 50) break;
      }

      return await summarise();

      async function summarise(): Promise<SimulationSummary> {
        const pis = [...caseByPi.keys()];
        // The immediate row the server inserts at creation carries the server's clock; the first
        // projection keeps it (ON CONFLICT DO NOTHING). Give the run's instances their simulated start.
        const corrected = await pool.query(
          `UPDATE process_instance p SET start_date = e.s
             FROM (SELECT process_instance_key, min(start_date) AS s FROM element_instance WHERE process_instance_key = ANY($1::bigint[]) GROUP BY 1) e
            WHERE p.key = e.process_instance_key AND p.start_date <> e.s`,
          [pis],
        );
        const { rows: states } = await pool.query<{ key: string; state: string }>('SELECT key::text, state FROM process_instance WHERE key = ANY($1::bigint[])', [pis]);
        const notEnded = states.filter((s) => s.state !== 'COMPLETED').map((s) => `${s.key} (${caseByPi.get(s.key)?.process}, ${s.state})`);
        const { rows: incidents } = await pool.query<{ processInstanceKey: string; elementId: string; errorType: string; message: string }>(
          `SELECT process_instance_key::text AS "processInstanceKey", element_id AS "elementId", error_type AS "errorType", error_message AS message
             FROM incident WHERE process_instance_key = ANY($1::bigint[]) AND state = 'ACTIVE'`,
          [pis],
        );
        const cases: Record<string, Record<string, number>> = {};
        for (const c of caseByPi.values()) inc((cases[c.process] ??= {}), c.variant);

        // SLA events as the hub reads them through the API, instance by instance …
        const slaEvents: Record<string, number> = {};
        const breachesByDepartment: Record<string, number> = {};
        await inParallel(pis, o.concurrency, async (pi) => {
          for (let offset = 0; ; ) {
            const res = await api('hub', 'GET', `/api/sla/events?processInstanceKey=${pi}&limit=500&offset=${offset}`);
            if (res.statusCode !== 200) {
              failedActions.push(`SLA events of ${pi}: ${res.statusCode} ${res.body.slice(0, 200)}`);
              return;
            }
            const body = res.json<{ items: Array<{ type: string; departments: string[] }>; page?: { nextOffset?: number | null } }>();
            for (const e of body.items) {
              inc(slaEvents, e.type);
              // The responsible department is the first one listed (as the assessment module counts it).
              if (e.type === 'BREACHED' && e.departments[0]) inc(breachesByDepartment, e.departments[0]);
            }
            if (body.page?.nextOffset == null || body.items.length === 0) break;
            offset = body.page.nextOffset;
          }
        });
        // … and counted in the table.
        const { rows: dbCounts } = await pool.query<{ type: string; n: number }>(
          'SELECT type, count(*)::int AS n FROM sla_event WHERE process_instance_key = ANY($1::bigint[]) GROUP BY type',
          [pis],
        );
        const slaEventsInDb = Object.fromEntries(dbCounts.map((r) => [r.type, r.n]));
        const { rows: items } = await pool.query<{ kind: string; n: number }>(
          'SELECT kind, count(*)::int AS n FROM hub_item WHERE process_instance_key = ANY($1::bigint[]) GROUP BY kind',
          [pis],
        );
        const { rows: elementCounts } = await pool.query<{ element_id: string; n: number }>(
          `SELECT element_id, count(*)::int AS n FROM element_instance
            WHERE process_instance_key = ANY($1::bigint[]) AND element_id IN ('send-back', 'raise-send-back', 'raise-reopened', 'raise-reopen-escalation', 'leader-handle')
            GROUP BY element_id`,
          [pis],
        );
        const el = Object.fromEntries(elementCounts.map((r) => [r.element_id, r.n]));
        const outages = [];
        for (const out of plan.outages) {
          if (!out.id) continue;
          const { rows: links } = await pool.query<{ pi: string; state: string; end_date: Date | null; restored: boolean }>(
            `SELECT l.process_instance_key::text AS pi, p.state, p.end_date,
                    EXISTS (SELECT 1 FROM element_instance e WHERE e.process_instance_key = l.process_instance_key AND e.element_id = 'wait-restored' AND e.state = 'COMPLETED') AS restored
               FROM outage_link l JOIN process_instance p ON p.key = l.process_instance_key WHERE l.outage_id = $1`,
            [out.id],
          );
          outages.push({
            id: out.id,
            linked: links.length,
            closed: !!out.closed,
            calls: plan.cases.filter((c) => c.outageGroup === out.group).length,
            closedTogether: links.filter((l) => l.restored && l.state === 'COMPLETED').length,
          });
        }
        const mismatches: string[] = [];
        for (const type of new Set([...Object.keys(slaEvents), ...Object.keys(slaEventsInDb)])) {
          if ((slaEvents[type] ?? 0) !== (slaEventsInDb[type] ?? 0)) mismatches.push(`SLA events ${type}: summary ${slaEvents[type] ?? 0}, sla_event ${slaEventsInDb[type] ?? 0}`);
        }
        const startedClocks = slaEvents.STARTED ?? 0;
        const endedClocks = (slaEvents.MET ?? 0) + (slaEvents.LATE ?? 0) + (slaEvents.CANCELLED ?? 0);
        if (startedClocks !== endedClocks) mismatches.push(`clocks: ${startedClocks} started, ${endedClocks} ended (met + late + cancelled)`);
        if (notEnded.length) mismatches.push(`${notEnded.length} instances did not end`);
        if (incidents.length) mismatches.push(`${incidents.length} open incidents`);
        if (started !== plan.cases.length) mismatches.push(`${plan.cases.length - started} cases were not started`);
        // What the assessment module makes of it: the scorecards of every month the window touches.
        const scorecards: SimulationSummary['scorecards'] = [];
        // Cases that arrived late in the window ran on past it: up to the clock's last instant.
        for (const month of monthsBetween(o.from, chinaDay(Math.max(toMs - DAY, await env.currentTimeMs())))) {
          const res = await api('manager', 'GET', `/api/assessment/scorecards?month=${month}`);
          if (res.statusCode !== 200) {
            failedActions.push(`scorecards of ${month}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            continue;
          }
          const body = res.json<MonthScorecards>();
          scorecards.push({
            month,
            provisional: body.provisional,
            departments: body.scorecards.map((c) => ({
              departmentId: c.departmentId,
              name: c.name,
              score: c.score,
              ended: c.indicators.onTime.ended,
              onTimeRate: c.indicators.onTime.rate,
              breaches: c.indicators.breaches.count,
              firstTimeRate: c.indicators.firstTime.rate,
              satisfactionRate: c.indicators.satisfaction.rate,
              deductionItems: c.deductions.items.length,
            })),
          });
        }
        return {
          runId,
          from: o.from,
          to: chinaDay(toMs - DAY),
          realSeconds: (performance.now() - began) / 1000,
          cases,
          started,
          ended: states.length - notEnded.length,
          notEnded,
          incidents,
          tasksCompleted,
          failedActions,
          slaEvents,
          slaEventsInDb,
          breachesByDepartment,
          hubQueueBreachesSeen: seenBreachedItems.size,
          hubActions,
          hubItems: Object.fromEntries(items.map((r) => [r.kind, r.n])),
          sendBacks: (el['send-back'] ?? 0) + (el['raise-send-back'] ?? 0),
          reopenings: el['raise-reopened'] ?? 0,
          reopenEscalations: el['raise-reopen-escalation'] ?? 0,
          outages,
          demotedHv: plan.demoted,
          timing: { rounds: timing.rounds, sleepSeconds: timing.sleep / 1000, settleSeconds: timing.settle / 1000, settleTimeouts: timing.settleTimeouts, actionSeconds: timing.actions / 1000 },
          startDatesCorrected: corrected.rowCount ?? 0,
          scorecards,
          mismatches: [...mismatches, ...(failedActions.length ? [`${failedActions.length} API actions failed`] : [])],
        };
      }
    }
  } finally {
    await app?.close().catch(() => undefined);
    await cleanup();
  }
}

/** YYYY-MM of every month from the day `from` to the day `to` (YYYY-MM-DD), in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

/** The summary as lines for the terminal. */
export function describeSummary(s: SimulationSummary): string[] {
  const lines: string[] = [];
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '–';
  lines.push(`模拟 / simulation ${s.runId}: ${s.from} … ${s.to}, ${s.started} cases started, ${s.ended} ended, ${s.realSeconds.toFixed(0)} s`);
  for (const [p, variants] of Object.entries(s.cases)) lines.push(`  ${p}: ${Object.values(variants).reduce((a, b) => a + b, 0)} (${kv(variants)})`);
  lines.push(`  tasks completed: ${kv(s.tasksCompleted)}`);
  lines.push(`  SLA events (API):       ${kv(s.slaEvents)}`);
  lines.push(`  SLA events (sla_event): ${kv(s.slaEventsInDb)}`);
  lines.push(`  breaches per department: ${kv(s.breachesByDepartment)}`);
  lines.push(`  hub: ${s.hubQueueBreachesSeen} breached items seen in the queue, actions ${kv(s.hubActions)}; items raised by the diagrams ${kv(s.hubItems)}`);
  lines.push(`  send-backs (退单) ${s.sendBacks}, reopenings (重办) ${s.reopenings}, escalated after the limit of reopenings ${s.reopenEscalations}`);
  for (const out of s.outages) lines.push(`  outage ${out.id}: ${out.calls} calls, ${out.linked} linked, ${out.closed ? 'closed' : 'OPEN'}, ${out.closedTogether} orders closed by it`);
  if (s.demotedHv) lines.push(`  ${s.demotedHv} high/low-voltage non-residential applications late in the window simulated as residential (their limits would pass the calendar's last year)`);
  const t = s.timing;
  lines.push(`  real time: ${t.rounds} rounds; clock jumps ${t.sleepSeconds.toFixed(0)} s, API actions ${t.actionSeconds.toFixed(0)} s, waiting for projections ${t.settleSeconds.toFixed(0)} s (${t.settleTimeouts} waits cut at 4 s)`);
  lines.push(`  process_instance.start_date set to the simulated start for ${s.startDatesCorrected} instances`);
  const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);
  for (const m of s.scorecards) {
    lines.push(`  考核 / scorecards ${m.month}${m.provisional ? ' (provisional)' : ''}: department score, ended clocks, on time, breaches, first-time, satisfied`);
    for (const d of m.departments) {
      lines.push(`    ${d.name ?? d.departmentId} (${d.departmentId}): ${d.score}, ${d.ended}, ${pct(d.onTimeRate)}, ${d.breaches}, ${pct(d.firstTimeRate)}, ${pct(d.satisfactionRate)}`);
    }
  }
  for (const f of s.failedActions.slice(0, 20)) lines.push(`  FAILED: ${f}`);
  for (const i of s.incidents.slice(0, 20)) lines.push(`  INCIDENT ${i.processInstanceKey} ${i.elementId} ${i.errorType}: ${i.message}`);
  for (const n of s.notEnded.slice(0, 20)) lines.push(`  NOT ENDED: ${n}`);
  lines.push(s.mismatches.length ? `不一致 / MISMATCH: ${s.mismatches.join('; ')}` : '一致 / consistent: the summary\'s SLA events equal sla_event, every clock ended, every case ended');
  return lines;
}
