import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/stack.js';
import { waitFor } from '../support/processes.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp({ worker: true });
});
afterAll(async () => {
  await stack?.close();
});

describe('test stack with a worker', () => {
  it('runs a worker that polls the stack’s own task queue', async () => {
    expect(stack.worker?.getState()).toBe('RUNNING');
    const pollers = await waitFor(
      async () => {
        const res = await stack.client.workflowService.describeTaskQueue({
          namespace: stack.namespace,
          taskQueue: { name: stack.taskQueue },
          taskQueueType: 1, // workflow task queue
        });
        return res.pollers.length > 0 ? res.pollers : null;
      },
      20_000,
      'a workflow poller on the task queue',
    );
    expect(pollers.length).toBeGreaterThan(0);
  });
});
