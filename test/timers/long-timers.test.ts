/**
 * Timers of days, on Temporal's time-skipping test server: an SLA-style boundary timer of three days
 * on a user task escalates it, and a timer catch event of a week lets the instance go on — in
 * seconds of real time, with workflow time moving by the full durations.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deploy } from '../../services/definitions.js';
import { createProcessInstance } from '../../services/instances.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import type { ProcessInstanceResult } from '../../workflows/types.js';
import { ext, flow, processXml } from '../bpmn/xml.js';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';

let ts: TimeSkipping;
beforeAll(async () => {
  ts = await startTimeSkipping();
}, 120_000);
afterAll(() => ts?.close());

const DAY = 24 * 3600 * 1000;

it('a three-day boundary timer escalates a waiting task, and a one-week timer event passes', async () => {
  const xml = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:userTask id="reply" name="答复客户">${ext('<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="customer-service" />')}</bpmn:userTask>
     <bpmn:boundaryEvent id="overdue" attachedToRef="reply"><bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
     <bpmn:intermediateCatchEvent id="waitWeek"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
     <bpmn:endEvent id="done" /><bpmn:endEvent id="escalated" />
     ${flow('f1', 'start', 'waitWeek')}${flow('f2', 'waitWeek', 'reply')}${flow('f3', 'reply', 'done')}${flow('f4', 'overdue', 'escalated')}`,
    '',
    'complaint',
  );
  await deploy(ts.deps, [{ name: 'complaint.bpmn', content: xml }]);
  const created = await createProcessInstance(ts.deps, { processDefinitionId: 'complaint' });
  const realStart = Date.now();
  const result = await ts.run(() =>
    ts.env.client.workflow.getHandle(processInstanceWorkflowId(created.processInstanceKey)).result() as Promise<ProcessInstanceResult>,
  );
  expect(result.outcome).toBe('completed');
  expect(Date.now() - realStart).toBeLessThan(30_000);

  const { rows } = await ts.db.pool.query<{ element_id: string; state: string; start_date: Date; end_date: Date | null }>(
    "SELECT element_id, state, start_date, end_date FROM element_instance WHERE process_instance_key = $1 AND element_type <> 'process' ORDER BY seq",
    [created.processInstanceKey],
  );
  expect(rows.map((r) => [r.element_id, r.state])).toEqual([
    ['start', 'COMPLETED'],
    ['waitWeek', 'COMPLETED'],
    ['reply', 'TERMINATED'],
    ['overdue', 'COMPLETED'],
    ['escalated', 'COMPLETED'],
  ]);
  const at = Object.fromEntries(rows.map((r) => [r.element_id, r]));
  const week = at.waitWeek!.end_date!.getTime() - at.waitWeek!.start_date.getTime();
  const overdue = at.overdue!.start_date.getTime() - at.reply!.start_date.getTime();
  expect(week).toBeGreaterThanOrEqual(7 * DAY);
  expect(week).toBeLessThan(7 * DAY + 60_000);
  expect(overdue).toBeGreaterThanOrEqual(3 * DAY);
  expect(overdue).toBeLessThan(3 * DAY + 60_000);
  const task = await ts.db.pool.query<{ state: string }>('SELECT state FROM user_task WHERE process_instance_key = $1', [created.processInstanceKey]);
  expect(task.rows).toEqual([{ state: 'CANCELED' }]);
}, 120_000);
