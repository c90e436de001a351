/**
 * Job handlers of the durability test's worker process (loaded by test/support/worker-process.ts
 * through WORKER_HANDLERS_MODULE). They take a little time so that instances are mid-flight when
 * the worker is killed, and their results depend only on their input, so a handler that runs twice
 * after the crash (activities are at least once) cannot change an instance's outcome.
 */
import type { JobHandler } from '../../activities/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const jobHandlers: Record<string, JobHandler> = {
  async classify({ variables }) {
    await sleep(50 + (Number(variables.n) % 4) * 50);
    return { tier: Number(variables.amount) >= 500 ? 'high' : 'low' };
  },
  async 'auto-approve'({ variables }) {
    await sleep(150 + (Number(variables.n) % 3) * 100);
    return { approved: true, reviewer: 'auto' };
  },
};
