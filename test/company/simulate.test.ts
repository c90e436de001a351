/**
 * The simulator (scripts/simulate/) on a small window: three days of 40 cases on Temporal's
 * time-skipping test server, into a test database, through the API as the demo company. Afterwards
 * every case has ended; the summary's SLA events equal what sla_event holds (counted here
 * independently); the hub saw a breach in its queue; a complaint was reopened (重办); a mass outage
 * closed its linked repair orders together; and the product's reconciliation finds nothing to repair.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reconcileOnce } from '../../services/reconcile.js';
import { connectClient } from '../../server/temporal.js';
import { describeSummary, runSimulation, type SimulationSummary } from '../../scripts/simulate/run.js';
import { createTestDatabase, type TestDatabase } from '../support/stack.js';

let db: TestDatabase;
let summary: SimulationSummary;
const lines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  summary = await runSimulation({
    pool: db.pool,
    from: '2026-11-02',
    days: 3,
    cases: 40,
    seed: 7,
    concurrency: 8,
    demoPassword: 'demo-password',
    log: (line) => lines.push(line),
  });
}, 900_000);
afterAll(() => db?.drop());

const instancesOfRun = async () => {
  const { rows } = await db.pool.query<{ key: string; state: string; bpmn_process_id: string }>(
    `SELECT p.key::text, p.state, p.bpmn_process_id FROM process_instance p
      WHERE EXISTS (SELECT 1 FROM variable v WHERE v.scope_key = p.key AND v.name = 'simulationRun' AND v.value = to_jsonb($1::text))`,
    [summary.runId],
  );
  return rows;
};

describe('npm run simulate (scripts/simulate)', () => {
  it('runs every planned case of the three processes to its end, through the API, with a progress line per simulated day', async () => {
    expect(summary.failedActions).toEqual([]);
    expect(summary.started).toBe(40);
    const rows = await instancesOfRun();
    expect(rows).toHaveLength(40);
    expect(rows.filter((r) => r.state !== 'COMPLETED'), [...lines, ...describeSummary(summary)].join('\n')).toEqual([]);
    expect(new Set(rows.map((r) => r.bpmn_process_id))).toEqual(new Set(['fault-repair', 'complaint', 'business-expansion']));
    const { rows: incidents } = await db.pool.query("SELECT 1 FROM incident WHERE state = 'ACTIVE'");
    expect(incidents).toEqual([]);
    const { rows: open } = await db.pool.query("SELECT key FROM user_task WHERE state = 'CREATED'");
    expect(open).toEqual([]);
    expect(lines.some((l) => l.includes('day 1/3 2026-11-02'))).toBe(true);
    // The instances started in the simulated window (China time), not on the day the test runs.
    const { rows: starts } = await db.pool.query<{ first: Date; last: Date }>('SELECT min(start_date) AS first, max(start_date) AS last FROM process_instance');
    expect(starts[0]!.first.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-02T00:00:00+08:00'));
    expect(starts[0]!.last.getTime()).toBeLessThan(Date.parse('2026-11-05T00:00:00+08:00'));
    expect(summary.mismatches).toEqual([]);
  });

  it("the summary's SLA events equal the rows of sla_event, and every clock ended (met, late or cancelled)", async () => {
    const { rows } = await db.pool.query<{ type: string; n: number }>('SELECT type, count(*)::int AS n FROM sla_event GROUP BY type');
    const inDb = Object.fromEntries(rows.map((r) => [r.type, r.n]));
    expect(summary.slaEvents).toEqual(inDb);
    expect(inDb.BREACHED).toBeGreaterThan(0);
    expect(inDb.STARTED).toBe((inDb.MET ?? 0) + (inDb.LATE ?? 0) + (inDb.CANCELLED ?? 0));
    const { rows: clocks } = await db.pool.query("SELECT 1 FROM sla_clock WHERE status <> 'ended'");
    expect(clocks).toEqual([]);
    const breaches = Object.values(summary.breachesByDepartment).reduce((a, b) => a + b, 0);
    expect(breaches).toBe(inDb.BREACHED); // one responsible department per breach
  });

  it("the month's scorecards (the assessment module's API) show the run: each department's breaches are the SLA events' breaches", async () => {
    // The window is in November; its slowest cases (business expansion) may run on into December.
    expect(summary.scorecards[0]!.month).toBe('2026-11');
    expect(summary.scorecards[0]!.provisional).toBe(false); // November 2026 is over
    expect(summary.scorecards.map((m) => m.month).every((m) => m === '2026-11' || m === '2026-12')).toBe(true);
    const cards = summary.scorecards.flatMap((m) => m.departments);
    expect(Object.keys(summary.breachesByDepartment).length).toBeGreaterThan(0);
    for (const [department, breaches] of Object.entries(summary.breachesByDepartment)) {
      const mine = cards.filter((c) => c.departmentId === department);
      expect(mine.reduce((n, c) => n + c.breaches, 0), department).toBe(breaches);
      expect(mine.reduce((n, c) => n + c.ended, 0), department).toBeGreaterThan(0);
      expect(Math.min(...mine.filter((c) => c.breaches > 0).map((c) => c.score)), department).toBeLessThan(100); // an unexempted breach deducts points
    }
    expect(describeSummary(summary).some((l) => l.includes('考核 / scorecards 2026-11'))).toBe(true);
  });

  it('a breach reached the hub queue and the hub acted on it; the diagrams raised send-back, reopened and escalation items', async () => {
    expect(summary.hubQueueBreachesSeen).toBeGreaterThan(0);
    // The hub coordinator's own actions on breached tasks (the diagrams' items are actions of kind raise).
    const { rows: actions } = await db.pool.query<{ kind: string; actor: string }>("SELECT kind, actor FROM hub_action WHERE kind IN ('urge', 'supervise')");
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map((a) => a.actor))).toEqual(new Set(['hub']));
    const { rows: items } = await db.pool.query<{ kind: string; resolved: boolean }>('SELECT kind, resolved_at IS NOT NULL AS resolved FROM hub_item');
    const kinds = new Set(items.map((i) => i.kind));
    expect(kinds.has('send-back') && kinds.has('reopened')).toBe(true);
    expect(items.every((i) => i.resolved)).toBe(true); // resolved when their instances ended
  });

  it('a complaint was reopened (重办): the unsatisfied return visit led back to the hub dispatch', async () => {
    expect(summary.reopenings).toBeGreaterThan(0);
    const { rows } = await db.pool.query<{ pi: string; dispatches: number }>(
      `SELECT e.process_instance_key::text AS pi, count(*) FILTER (WHERE e.element_id = 'hub-dispatch')::int AS dispatches
         FROM element_instance e JOIN process_instance p ON p.key = e.process_instance_key
        WHERE p.bpmn_process_id = 'complaint'
        GROUP BY 1 HAVING count(*) FILTER (WHERE e.element_id = 'raise-reopened') > 0`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.dispatches).toBeGreaterThanOrEqual(2);
  });

  it('a mass outage linked several repair orders, and closing it ended them together', async () => {
    const { rows: outages } = await db.pool.query<{ id: string; state: string; closed_at: Date }>('SELECT id, state, closed_at FROM outage');
    expect(outages.length).toBeGreaterThan(0);
    for (const outage of outages) {
      expect(outage.state).toBe('closed');
      const { rows: links } = await db.pool.query<{ state: string; restored_at: Date | null }>(
        `SELECT p.state, (SELECT e.end_date FROM element_instance e WHERE e.process_instance_key = l.process_instance_key AND e.element_id = 'wait-restored') AS restored_at
           FROM outage_link l JOIN process_instance p ON p.key = l.process_instance_key WHERE l.outage_id = $1`,
        [outage.id],
      );
      expect(links.length).toBeGreaterThanOrEqual(3);
      expect(links.every((l) => l.state === 'COMPLETED' && l.restored_at)).toBe(true);
      // Answered together: every linked order left its wait within a minute of the others.
      const times = links.map((l) => l.restored_at!.getTime());
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(60_000);
    }
    expect(summary.outages.every((o) => o.closed && o.closedTogether === o.linked)).toBe(true);
  });

  it("the product's reconciliation sweep afterwards (a restart on the real Temporal, which never saw these workflows) finds nothing to check or repair", async () => {
    const client = await connectClient(inject('temporalAddress'), 'default');
    try {
      const figures = await reconcileOnce({ pool: db.pool, client }, { graceMs: 0 });
      expect(figures).toEqual({ checked: { instances: 0, jobs: 0 }, repaired: {} });
    } finally {
      await client.connection.close();
    }
    const { rows } = await db.pool.query("SELECT state, count(*)::int AS n FROM process_instance GROUP BY state");
    expect(rows).toEqual([{ state: 'COMPLETED', n: 40 }]);
  });
});
