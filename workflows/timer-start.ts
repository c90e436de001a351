/**
 * One scheduler per timer start event of a deployed process version: it starts an instance at the
 * timer's date, or at every occurrence of its cycle. Deploying a new version replaces it.
 */
import * as wf from '@temporalio/workflow';
import type { TimerDef } from '../bpmn/model.js';
import type { Activities } from '../activities/index.js';
import { evalString } from './engine/feel.js';
import { firstDue } from './engine/time.js';
import { nextOccurrence } from './engine/waits.js';
import type { Wait } from './types.js';

export interface TimerStartInput {
  processDefinitionKey: string;
  startEventId: string;
  timer: TimerDef;
  /** Set when continuing as new: the next due time and remaining repetitions. */
  next?: Extract<Wait, { kind: 'timer' }>;
}

const { startProcessInstance } = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

export async function timerStartWorkflow(input: TimerStartInput): Promise<void> {
  let wait: Extract<Wait, { kind: 'timer' }> | undefined = input.next;
  if (!wait) {
    const value = evalString(input.timer.expression, {}, 'timer');
    const due = firstDue(input.timer.type, value, Date.now());
    wait = { kind: 'timer', dueAt: due.dueAt, ...(due.repeat !== undefined ? { repeat: due.repeat, interval: due.interval } : {}) };
  }
  for (let fired = 0; wait; fired++) {
    if (fired >= 100) {
      await wf.continueAsNew<typeof timerStartWorkflow>({ ...input, next: wait });
    }
    const delay = wait.dueAt - Date.now();
    if (delay > 0) await wf.sleep(delay);
    await startProcessInstance({ processDefinitionKey: input.processDefinitionKey, startElementId: input.startEventId });
    wait = nextOccurrence(wait);
  }
}
