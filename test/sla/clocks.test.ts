/**
 * SLA clocks in running instances, on Temporal's time-skipping test server and real PostgreSQL:
 * hours and months pass in seconds, and the clocks' events are read back from the read model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { deploy } from '../../services/definitions.js';
import { resolveIncident } from '../../services/incidents.js';
import { createProcessInstance } from '../../services/instances.js';
import { completeUserTask } from '../../services/user-tasks.js';
import { putCalendarYear } from '../../sla/calendars.js';
import { hubQueue } from '../../sla/hub.js';
import { slaCompilerExtension } from '../../sla/compiler-extension.js';
import { checkSlaReferences } from '../../sla/deploy-check.js';
import { putPolicy } from '../../sla/policies.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { definitions, ext, flow } from '../bpmn/xml.js';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';

let ts: TimeSkipping;
beforeAll(async () => {
  ts = await startTimeSkipping();
  await ts.db.pool.query(
    `INSERT INTO department (id, name) VALUES ('customer-service', '客户服务中心') ON CONFLICT DO NOTHING;
     INSERT INTO department (id, name, is_hub) VALUES ('marketing', '营销部', true) ON CONFLICT DO NOTHING;
     INSERT INTO app_user (username, display_name, password_hash, role, departments) VALUES
       ('agent', '坐席', 'x', 'staff', '{customer-service}'), ('head', '客服主任', 'x', 'dept_head', '{customer-service}')`,
  );
}, 120_000);
afterAll(() => ts?.close());

const H = 3_600_000;
const SLA_NS = 'xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0"';

function diagram(id: string, body: string, processExt = ''): string {
  return definitions(`<bpmn:process id="${id}" isExecutable="true">${processExt ? ext(processExt) : ''}\n${body}\n</bpmn:process>`).replace(
    '<bpmn:definitions ',
    `<bpmn:definitions ${SLA_NS} `,
  );
}

async function deploySla(xml: string): Promise<void> {
  await deploy(ts.deps, [{ name: 'sla.bpmn', content: xml }], 'test', {
    compile: (x) => compileBpmn(x, { extensions: [slaCompilerExtension] }),
    checks: [checkSlaReferences],
  });
}

const task = (id: string, limit: string, extra = '') =>
  `<bpmn:userTask id="${id}" name="${id}">${ext(`<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="customer-service" />${limit}`)}</bpmn:userTask>${extra}`;

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openTask(processInstanceKey: string, elementId: string) {
  return poll(`task ${elementId}`, async () => {
    const { rows } = await ts.db.pool.query<{ key: string; process_definition_key: string }>(
      "SELECT key::text, process_definition_key::text FROM user_task WHERE process_instance_key = $1 AND element_id = $2 AND state = 'CREATED'",
      [processInstanceKey, elementId],
    );
    const r = rows[0];
    return r ? { userTaskKey: r.key, state: 'CREATED' as const, elementId, processDefinitionKey: r.process_definition_key, processInstanceKey } : undefined;
  });
}

async function slaEvents(processInstanceKey: string) {
  const { rows } = await ts.db.pool.query<{ clock_key: string; type: string; level: number | null; at: Date; due_at: Date | null; element_id: string }>(
    'SELECT clock_key, type, level, at, due_at, element_id FROM sla_event WHERE process_instance_key = $1 ORDER BY seq',
    [processInstanceKey],
  );
  return rows;
}

async function path(processInstanceKey: string): Promise<string[]> {
  const { rows } = await ts.db.pool.query<{ element_id: string }>(
    "SELECT element_id FROM element_instance WHERE process_instance_key = $1 AND element_type <> 'process' ORDER BY seq",
    [processInstanceKey],
  );
  return rows.map((r) => r.element_id);
}

const handle = (key: string) => ts.env.client.workflow.getHandle(processInstanceWorkflowId(key));
/**
 * The instance's end as the read model shows it. (Awaiting a workflow's result would let the test
 * server skip time freely, and after the last instance ends it jumps ten years ahead: the calendar
 * cases below need the time they set.)
 */
const result = (key: string) =>
  poll(`the end of ${key}`, async () => {
    const { rows } = await ts.db.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [key]);
    return rows[0]?.state === 'COMPLETED' ? { outcome: 'completed' } : undefined;
  });

describe('SLA clocks in running instances', () => {
  it('a step done in time is met; the gateway after it reads sla.breached', async () => {
    await deploySla(
      diagram(
        'sla-met',
        `<bpmn:startEvent id="start" />${task('answer', '<sla:limit duration="PT1H" departments="customer-service" />')}
         <bpmn:exclusiveGateway id="late" default="f3" /><bpmn:endEvent id="onTime" /><bpmn:endEvent id="tooLate" />
         ${flow('f1', 'start', 'answer')}${flow('f2', 'answer', 'late')}${flow('f3', 'late', 'onTime')}${flow('f4', 'late', 'tooLate', '=sla.breached')}`,
      ),
    );
    const { processInstanceKey: pi } = await createProcessInstance(ts.deps, { processDefinitionId: 'sla-met', variables: { businessKey: 'BK-1', area: 'urban' } });
    await ts.run(async () => {
      await completeUserTask(ts.deps, await openTask(pi, 'answer'), {});
      expect((await result(pi)).outcome).toBe('completed');
    });
    expect(await path(pi)).toEqual(['start', 'answer', 'late', 'onTime']);
    const events = await slaEvents(pi);
    expect(events.map((e) => e.type)).toEqual(['STARTED', 'MET']);
    const { rows } = await ts.db.pool.query(
      'SELECT status, outcome, breached, business_key, area, departments, started_at, due_at, time_base FROM sla_clock WHERE process_instance_key = $1',
      [pi],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'ended', outcome: 'met', breached: false, business_key: 'BK-1', area: 'urban', departments: ['customer-service'], time_base: 'natural' });
    expect(rows[0].due_at.getTime() - rows[0].started_at.getTime()).toBe(H);
    // The final state of the clock stays readable after the step.
    const vars = await ts.db.pool.query("SELECT value FROM variable WHERE process_instance_key = $1 AND name = 'sla'", [pi]);
    expect(vars.rows[0]?.value).toMatchObject({ elementId: 'answer', state: 'met', breached: false, duration: 'PT1H' });
  }, 60_000);

  it('a step that overruns warns at each level, then breaches: escalated task, urges, hub notice, boundary timer at sla.dueAt', async () => {
    await deploySla(
      diagram(
        'sla-breach',
        `<bpmn:startEvent id="start" />
         ${task('reply', '<sla:limit duration="PT2H" warnings="50%, PT15M" departments="customer-service" />')}
         <bpmn:boundaryEvent id="overdue" attachedToRef="reply" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDate>=sla.dueAt</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
         <bpmn:endEvent id="hubTold" />
         <bpmn:exclusiveGateway id="late" default="f3" /><bpmn:endEvent id="onTime" /><bpmn:endEvent id="tooLate" />
         ${flow('f1', 'start', 'reply')}${flow('f2', 'reply', 'late')}${flow('f3', 'late', 'onTime')}${flow('f4', 'late', 'tooLate', '=sla.breached')}${flow('f5', 'overdue', 'hubTold')}`,
      ),
    );
    const { processInstanceKey: pi } = await createProcessInstance(ts.deps, { processDefinitionId: 'sla-breach' });
    await ts.run(async () => {
      const t = await openTask(pi, 'reply');
      await ts.db.pool.query("UPDATE user_task SET assignee = 'agent' WHERE key = $1", [t.userTaskKey]);
      await ts.env.sleep(3 * H); // the test server skips the time
      await poll('breach', async () => ((await slaEvents(pi)).some((e) => e.type === 'BREACHED') ? true : undefined));
      await poll('the boundary path', async () => ((await path(pi)).includes('hubTold') ? true : undefined));
      // The marketing hub's queue shows the breached task while it is open.
      const queue = await hubQueue({ pool: ts.db.pool }, { process: 'sla-breach', limit: 10, offset: 0 });
      expect(queue.items).toEqual([
        expect.objectContaining({ severity: 'breached', processInstanceKey: pi, userTaskKey: t.userTaskKey, assignee: 'agent', breached: true, warnedLevel: 2 }),
      ]);
      await completeUserTask(ts.deps, t, {});
      expect((await result(pi)).outcome).toBe('completed');
    });
    const events = await slaEvents(pi);
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['STARTED', null],
      ['WARNED', 1],
      ['WARNED', 2],
      ['BREACHED', null],
      ['LATE', null],
    ]);
    const start = events[0]!.at.getTime();
    expect(events[1]!.at.getTime() - start).toBeGreaterThanOrEqual(1 * H);
    expect(events[1]!.at.getTime() - start).toBeLessThan(1 * H + 60_000);
    expect(events[2]!.at.getTime() - start).toBeGreaterThanOrEqual(1.75 * H);
    expect(events[3]!.at.getTime() - start).toBeGreaterThanOrEqual(2 * H);
    expect(events[3]!.at.getTime() - start).toBeLessThan(2 * H + 60_000);
    expect(await path(pi)).toEqual(['start', 'reply', 'overdue', 'hubTold', 'late', 'tooLate']);
    const escalated = await ts.db.pool.query('SELECT escalated FROM user_task WHERE process_instance_key = $1', [pi]);
    expect(escalated.rows).toEqual([{ escalated: true }]);
    const clock = await ts.db.pool.query('SELECT status, outcome, breached, warned_level, assignee FROM sla_clock WHERE process_instance_key = $1', [pi]);
    expect(clock.rows).toEqual([{ status: 'ended', outcome: 'late', breached: true, warned_level: 2, assignee: 'agent' }]);
    const notes = await ts.db.pool.query<{ kind: string; recipient_user: string | null; recipient_department: string | null }>(
      'SELECT kind, recipient_user, recipient_department FROM notification WHERE process_instance_key = $1 ORDER BY id',
      [pi],
    );
    expect(notes.rows).toEqual([
      { kind: 'urge', recipient_user: 'agent', recipient_department: null },
      { kind: 'urge', recipient_user: 'head', recipient_department: null },
      { kind: 'urge', recipient_user: 'agent', recipient_department: null },
      { kind: 'urge', recipient_user: 'head', recipient_department: null },
      { kind: 'breach', recipient_user: 'agent', recipient_department: null },
      { kind: 'breach', recipient_user: 'head', recipient_department: null },
      { kind: 'breach', recipient_user: null, recipient_department: 'marketing' },
    ]);
    // Replaying the whole history with clocks gives the same commands.
    const history = await handle(pi).fetchHistory();
    const { Worker } = await import('@temporalio/worker');
    const { bundleWorkflows } = await import('../../server/worker.js');
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, history, processInstanceWorkflowId(pi));
  }, 120_000);

  it('a span pauses while the customer works and resumes after; its state is in slaSpans', async () => {
    const timer = (id: string, d: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition><bpmn:timeDuration>${d}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    await deploySla(
      diagram(
        'sla-span',
        `<bpmn:startEvent id="start" />${timer('accept', 'PT1H')}${timer('customerWork', 'PT10H')}${timer('powerOn', 'PT2H')}<bpmn:endEvent id="end" />
         ${flow('f1', 'start', 'accept')}${flow('f2', 'accept', 'customerWork')}${flow('f3', 'customerWork', 'powerOn')}${flow('f4', 'powerOn', 'end')}`,
        '<sla:span id="own" name="供电企业环节合计" from="accept" to="powerOn" pauseDuring="customerWork" duration="PT4H" departments="customer-service" />',
      ),
    );
    const { processInstanceKey: pi } = await createProcessInstance(ts.deps, { processDefinitionId: 'sla-span' });
    await ts.run(async () => {
      await ts.env.sleep(14 * H);
      expect((await result(pi)).outcome).toBe('completed');
    });
    const events = await slaEvents(pi);
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['STARTED', null],
      ['PAUSED', null],
      ['RESUMED', null],
      ['WARNED', 1],
      ['MET', null],
    ]);
    const start = events[0]!.at.getTime();
    expect(events[0]!.due_at!.getTime() - start).toBe(4 * H); // without the pause it would breach after 4 h
    expect(events[2]!.due_at!.getTime() - start).toBeGreaterThanOrEqual(14 * H); // 1 h used, 3 h left after the 10 h pause
    expect(events[2]!.due_at!.getTime() - start).toBeLessThan(14 * H + 60_000);
    const clock = await ts.db.pool.query('SELECT kind, span_id, outcome, breached, used_ms FROM sla_clock WHERE process_instance_key = $1', [pi]);
    expect(clock.rows[0]).toMatchObject({ kind: 'span', span_id: 'own', outcome: 'met', breached: false });
    expect(Number(clock.rows[0].used_ms)).toBeGreaterThanOrEqual(3 * H);
    expect(Number(clock.rows[0].used_ms)).toBeLessThan(3 * H + 60_000);
    const spans = await ts.db.pool.query("SELECT value FROM variable WHERE process_instance_key = $1 AND name = 'slaSpans'", [pi]);
    expect(spans.rows[0]?.value).toMatchObject({ own: { state: 'met', breached: false, spanId: 'own' } });
  }, 60_000);

  it('a policy change applies to steps that start afterwards; each clock records its version', async () => {
    await putPolicy(ts.db.pool, 'commitments-2023', 'test.step', { name: '测试环节', duration: 'PT1H', timeBase: 'natural' }, 'test');
    await deploySla(
      diagram(
        'sla-policy',
        `<bpmn:startEvent id="start" />${task('first', '<sla:limit policy="test.step" />')}${task('second', '<sla:limit policy="test.step" />')}<bpmn:endEvent id="end" />
         ${flow('f1', 'start', 'first')}${flow('f2', 'first', 'second')}${flow('f3', 'second', 'end')}`,
      ),
    );
    const { processInstanceKey: pi } = await createProcessInstance(ts.deps, { processDefinitionId: 'sla-policy' });
    await ts.run(async () => {
      const first = await openTask(pi, 'first');
      await putPolicy(ts.db.pool, 'commitments-2023', 'test.step', { name: '测试环节', duration: 'PT3H', timeBase: 'natural' }, 'test');
      await completeUserTask(ts.deps, first, {});
      await completeUserTask(ts.deps, await openTask(pi, 'second'), {});
      expect((await result(pi)).outcome).toBe('completed');
    });
    const { rows } = await ts.db.pool.query<{ element_id: string; policy_key: string; policy_version: number; started_at: Date; due_at: Date }>(
      'SELECT element_id, policy_key, policy_version, started_at, due_at FROM sla_clock WHERE process_instance_key = $1 ORDER BY started_at',
      [pi],
    );
    expect(rows.map((r) => [r.element_id, r.policy_key, r.policy_version, (r.due_at.getTime() - r.started_at.getTime()) / H])).toEqual([
      ['first', 'test.step', 1, 1],
      ['second', 'test.step', 2, 3],
    ]);
  }, 60_000);

  it('working days: a 5-day limit over the National Day week and its make-up Saturday; a limit into an uncovered year is an incident naming it', async () => {
    // 2027 as data (the State Council publishes it late in 2026): National Day 1-7 Oct, make-up days Sun 26 Sep and Sat 9 Oct.
    const holidays2027 = ['2027-01-01', '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'];
    await putCalendarYear(ts.db.pool, 'cn', 2027, { holidays: holidays2027, workdays: ['2027-09-26', '2027-10-09'] }, 'test');
    await ts.db.pool.query("DELETE FROM calendar_year WHERE calendar_id = 'cn' AND year = 2028");
    const waitUntil = (date: string) =>
      `<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>${date}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    const xml = (id: string, date: string) =>
      diagram(
        id,
        `<bpmn:startEvent id="start" />${waitUntil(date)}${task('review', '<sla:limit duration="P5D" timeBase="workingDays" departments="customer-service" />')}<bpmn:endEvent id="end" />
         ${flow('f1', 'start', 'wait')}${flow('f2', 'wait', 'review')}${flow('f3', 'review', 'end')}`,
      );
    await deploySla(xml('sla-national-day', '2027-09-29T10:00:00+08:00'));
    await deploySla(xml('sla-new-year', '2027-12-28T10:00:00+08:00'));

    const { processInstanceKey: holiday } = await createProcessInstance(ts.deps, { processDefinitionId: 'sla-national-day' });
    const { processInstanceKey: newYear } = await createProcessInstance(ts.deps, { processDefinitionId: 'sla-new-year' });
    await ts.run(async () => {
      await ts.env.sleep(Date.parse('2027-09-29T11:00:00+08:00') - (await ts.env.currentTimeMs()));
      const clock = await poll('the National Day clock', async () => {
        const { rows } = await ts.db.pool.query<{ due_at: Date }>('SELECT due_at FROM sla_clock WHERE process_instance_key = $1', [holiday]);
        return rows[0];
      }, 60_000);
      // Wed 29 Sep not counted; Thu 30 Sep (1), holidays 1-7 Oct, Fri 8 (2), make-up Sat 9 (3), Mon 11 (4), Tue 12 Oct (5) → 24:00 in China.
      expect(clock.due_at.toISOString()).toBe('2027-10-12T16:00:00.000Z');
      await ts.env.sleep(Date.parse('2027-12-28T11:00:00+08:00') - (await ts.env.currentTimeMs()));
      const incident = await poll('the uncovered-year incident', async () => {
        const { rows } = await ts.db.pool.query<{ key: string; error_type: string; error_message: string; element_id: string }>(
          "SELECT key::text, error_type, error_message, element_id FROM incident WHERE process_instance_key = $1 AND state = 'ACTIVE'",
          [newYear],
        );
        return rows[0];
      }, 60_000);
      // On the instance (the step itself went on: nothing in it reads its clock), naming the step and the year.
      expect(incident).toMatchObject({ error_type: 'SLA_ERROR', element_id: 'sla-new-year' });
      expect(incident.error_message).toMatch(/review.*no data for 2028/);
      // No clock guessed a Monday-to-Friday deadline.
      expect((await ts.db.pool.query('SELECT 1 FROM sla_clock WHERE process_instance_key = $1', [newYear])).rowCount).toBe(0);
      // An administrator adds 2028; resolving the incident starts the clock and the task.
      await putCalendarYear(ts.db.pool, 'cn', 2028, { holidays: ['2028-01-01'], workdays: [] }, 'test');
      await resolveIncident(ts.deps, incident.key);
      await openTask(newYear, 'review');
      const { rows } = await ts.db.pool.query<{ due_at: Date }>('SELECT due_at FROM sla_clock WHERE process_instance_key = $1', [newYear]);
      // Tue 28 Dec not counted: 29, 30, 31 Dec, (1 Jan holiday, weekend) Mon 3, Tue 4 Jan 2028.
      expect(rows[0]!.due_at.toISOString()).toBe('2028-01-04T16:00:00.000Z');
      await handle(holiday).cancel();
      await handle(newYear).cancel();
    });
  }, 180_000);
});
