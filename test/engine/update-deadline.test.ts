/** A request that needs a running worker fails with 503 after a deadline instead of hanging. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import { updateInstance } from '../../services/updates.js';
import { toProblem } from '../../server/http/problem.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { completeUserTaskUpdate } from '../../workflows/messages.js';
import { startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp(); // no worker polls this stack's task queue
});
afterAll(() => stack?.close());

it('answers 503 naming the missing worker when the instance does not answer in time', async () => {
  const key = '2251799813685249';
  await stack.client.workflow.start('processInstanceWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: processInstanceWorkflowId(key),
    args: [],
  });
  const started = Date.now();
  const err = await updateInstance(stack.client, key, completeUserTaskUpdate, { userTaskKey: '1', variables: {} }, { subject: 'user task 1', timeoutMs: 1500 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ServiceError);
  expect(err).toMatchObject({ code: 'UNAVAILABLE' });
  expect(toProblem(err)).toMatchObject({ status: 503, title: 'UNAVAILABLE' });
  expect((err as Error).message).toMatch(/worker running/);
  expect(Date.now() - started).toBeLessThan(10_000);
  await stack.client.workflow.getHandle(processInstanceWorkflowId(key)).terminate('test done');
});
