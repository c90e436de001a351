/**
 * Replay: every committed history in test/replay/histories/ (recorded by
 * scripts/export-histories.ts) must replay against the current workflow bundle without a
 * nondeterminism error. A change to workflows/ that would break running instances fails here;
 * test/replay/README.md says what to do about it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyFromJson } from '../../scripts/lib/history-json.js';
import { installTemporalRuntime } from '../../server/temporal.js';
import { bundleWorkflows } from '../../server/worker.js';

const HISTORIES = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string) => JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as { events: Array<Record<string, unknown>> };

let workflowBundle: WorkflowBundleOption;
beforeAll(async () => {
  installTemporalRuntime('error'); // the replay worker's state changes and the expected nondeterminism warning are noise
  workflowBundle = await bundleWorkflows();
});

describe('replay of committed histories', () => {
  it('covers user task, error boundary, parallel gateway, timer, message catch, continue-as-new and SLA clocks', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'user-task.json',
        'error-boundary.json',
        'parallel-gateway.json',
        'timer.json',
        'message-catch.json',
        'continue-as-new-1.json',
        'continue-as-new-2.json',
        'sla-clock.json',
      ]),
    );
  });

  it('replays every history against the current workflow code without nondeterminism', async () => {
    const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: historyFromJson(load(file)) }));
    const replayed: string[] = [];
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'committed-histories' }, histories)) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}.json: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed.sort()).toEqual(histories.map((h) => h.workflowId).sort());
  });

  it('fails on a history the current code would not produce (the check can fail)', async () => {
    // The user-task history, but its input model now goes from the start event straight to the end:
    // the code completes the instance where the history waited for a user task.
    const json = load('user-task.json');
    const started = json.events[0]!.workflowExecutionStartedEventAttributes as { input: { payloads: Array<{ data: string }> } };
    const payload = started.input.payloads[0]!;
    const input = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as {
      model: { flows: Record<string, { targetRef: string }>; nodes: Record<string, { incoming: string[] }> };
    };
    input.model.flows.f1!.targetRef = 'end';
    input.model.nodes.end!.incoming = ['f1'];
    payload.data = Buffer.from(JSON.stringify(input), 'utf8').toString('base64');

    await expect(Worker.runReplayHistory({ workflowBundle }, historyFromJson(json), 'user-task-changed')).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});
