/**
 * The default model limit (BPMN_MAX_MODEL_BYTES, 1 MiB) leaves room under Temporal's 2 MB payload
 * limit: a process whose model is just under it deploys, starts, and runs with variables through
 * its user tasks to the end on the real stack. (Larger models are refused at deployment:
 * compiler-uploads.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MODEL_BYTES } from '../../bpmn/index.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
});

afterAll(async () => {
  await h?.close();
});

/** start → 2 user tasks → end, padded with long task names until the model is about `bytes`. */
function paddedDiagram(bytes: number): string {
  const names = 40;
  const filler = '供'.repeat(Math.floor(bytes / names / 3)); // 3 bytes of UTF-8 each
  const tasks = Array.from({ length: names }, (_, i) => `<bpmn:manualTask id="m${i}" name="${filler}" />`).join('');
  const ids = ['start', 'first', ...Array.from({ length: names }, (_, i) => `m${i}`), 'second', 'end'];
  const flows = ids.slice(1).map((id, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${id}" />`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ` +
    `xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d"><bpmn:process id="big-model" isExecutable="true">` +
    `<bpmn:startEvent id="start" /><bpmn:userTask id="first"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>` +
    `${tasks}<bpmn:userTask id="second"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>` +
    `<bpmn:endEvent id="end" />${flows}</bpmn:process></bpmn:definitions>`
  );
}

describe('a model just under the default limit', () => {
  it('deploys, starts with variables and runs to its end', async () => {
    const deployed = await h.deploy(paddedDiagram(DEFAULT_MAX_MODEL_BYTES - 40_000), 'big-model.bpmn');
    expect(deployed.statusCode, deployed.body).toBe(200);
    const { rows } = await h.pool.query<{ bytes: number }>(
      "SELECT octet_length(model::text) AS bytes FROM process_definition WHERE bpmn_process_id = 'big-model'",
    );
    expect(rows[0]!.bytes).toBeGreaterThan(0.9 * DEFAULT_MAX_MODEL_BYTES);

    const pi = await h.start('big-model', { note: 'x'.repeat(100_000) });
    const first = await h.waitForTask(pi, 'first');
    await h.completeTask(first.userTaskKey, { reply: 'y'.repeat(100_000) });
    const second = await h.waitForTask(pi, 'second');
    await h.completeTask(second.userTaskKey);
    await h.waitForEnd(pi, 60_000);
    expect((await h.path(pi)).at(-1)).toBe('end');
  }, 180_000);
});
