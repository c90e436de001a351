/**
 * Issue 7 item 3: the default limits keep continue-as-new possible. An instance holding nearly the
 * default total (1 MiB of variables) continues as new several times — each run's input carries
 * every variable — and completes with its variables intact, where variables of a few MB used to
 * fail with GRPC_MESSAGE_TOO_LARGE. One more variable of the same size is refused at the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessInstance } from '../../services/instances.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { DEFAULT_VARIABLE_LIMITS } from '../../workflows/variables-limits.js';
import { flow, processXml, serviceTask } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ jobHandlers: { count: ({ variables }) => ({ count: Number(variables.count ?? 0) + 1 }) } });
  const xml = processXml(
    `<bpmn:startEvent id="start" />
     ${serviceTask('count', 'count')}
     <bpmn:exclusiveGateway id="again" default="done" />
     <bpmn:endEvent id="end" />
     ${flow('f1', 'start', 'count')}
     ${flow('f2', 'count', 'again')}
     ${flow('loop', 'again', 'count', '= count < 12')}
     ${flow('done', 'again', 'end')}`,
    '',
    'heavy',
  );
  const dep = await h.deploy(xml, 'heavy.bpmn');
  expect(dep.statusCode, dep.body).toBe(200);
}, 120_000);
afterAll(() => h?.close());

describe('an instance at the default variable limits', () => {
  it('continues as new with ~1 MiB of variables and completes with them intact', async () => {
    // Four variables just under the per-variable limit: together just under the instance total.
    const chunk = (c: string) => c.repeat(DEFAULT_VARIABLE_LIMITS.maxVariableBytes - 1000);
    const deps = { pool: h.pool, client: h.client, taskQueue: h.taskQueue };
    // (Created through the service: one HTTP body is limited to 1 MiB.)
    const variables = { count: 0, a: chunk('a'), b: chunk('b'), c: chunk('c'), d: chunk('电') };
    await expect(createProcessInstance(deps, { processDefinitionId: 'heavy', variables }), 'd is 3 bytes a character').rejects.toMatchObject({
      problem: { variable: 'd', problem: 'VARIABLE_TOO_LARGE' },
    });

    variables.d = chunk('d');
    const { processInstanceKey: pi } = await createProcessInstance(deps, { processDefinitionId: 'heavy', variables, historyLimit: 20 });
    const result = await h.waitForEnd(pi, 120_000);
    expect(result).toEqual({ outcome: 'completed', variables: { ...variables, count: 12 } });

    const workflowId = processInstanceWorkflowId(pi);
    const desc = await h.client.workflow.getHandle(workflowId).describe();
    const firstRunId = desc.raw.workflowExecutionInfo?.firstRunId ?? undefined;
    expect(firstRunId).toBeTruthy();
    expect(firstRunId, 'the instance continued as new at least once').not.toBe(desc.runId);

    // And a fifth such variable is refused: the total would pass 1 MiB.
    await expect(createProcessInstance(deps, { processDefinitionId: 'heavy', variables: { ...variables, e: chunk('e') } })).rejects.toMatchObject({
      problem: { variable: 'e', problem: 'TOTAL_TOO_LARGE', limit: DEFAULT_VARIABLE_LIMITS.maxTotalBytes },
    });
  }, 180_000);
});
