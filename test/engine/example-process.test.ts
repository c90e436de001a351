/** The README's example runs as documented: deploy, start, complete the task lists' tasks. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

it('processes/example.bpmn deploys and routes to the hub review when x > 10', async () => {
  const res = await h.deploy(readFileSync(new URL('../../processes/example.bpmn', import.meta.url), 'utf8'), 'example.bpmn');
  expect(res.statusCode, res.body).toBe(200);
  const pi = await h.start('example', { x: 11 });
  await h.completeTask((await h.waitForTask(pi, 'accept')).userTaskKey);
  const review = await h.waitForTask(pi, 'review');
  expect(review.candidateGroups).toEqual(['marketing']);
  await h.completeTask(review.userTaskKey, { approved: true });
  await h.waitForEnd(pi);
  expect(await h.path(pi)).toEqual(['start', 'accept', 'needsReview', 'review', 'end']);
});
