/**
 * Diagrams exported from Camunda's Web Modeler carry bookkeeping attributes on bpmn:definitions
 * (camunda:diagramRelationId, modeler:executionPlatform…) that Zeebe ignores; they deploy here too.
 * Camunda 7 attributes elsewhere stay refused.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { expectProblem } from './helpers.js';

const fixture = () => readFile(new URL('./fixtures/web-modeler-export.bpmn', import.meta.url), 'utf8');

describe('a Camunda Web Modeler export', () => {
  it('compiles with camunda:diagramRelationId and modeler:* on its definitions', async () => {
    const xml = await fixture();
    expect(xml).toContain('camunda:diagramRelationId="');
    const { processes } = await compileBpmn(xml);
    expect(processes.map((p) => [p.id, p.name, p.versionTag])).toEqual([['fault-repair-notice', '故障报修通知', '2']]);
    expect(processes[0]!.nodes['Task_Notify']).toMatchObject({
      type: 'serviceTask',
      job: { type: '"io.camunda:http-json:1"' },
      io: { inputs: expect.arrayContaining([{ source: '"noAuth"', target: 'authentication.type' }]) },
    });
  });

  it('still refuses a Camunda 7 attribute on definitions other than diagramRelationId', async () => {
    const xml = (await fixture()).replace('camunda:diagramRelationId=', 'camunda:historyTimeToLive="P1D" camunda:diagramRelationId=');
    await expectProblem(xml, 'Definitions_1k9yq2w', 'Unknown attribute "camunda:historyTimeToLive"', 'bpmn:Definitions');
  });

  it('still refuses camunda:diagramRelationId on an element other than definitions', async () => {
    const xml = (await fixture()).replace('<bpmn:userTask id="Task_Dispatch"', '<bpmn:userTask camunda:diagramRelationId="x" id="Task_Dispatch"');
    await expectProblem(xml, 'Task_Dispatch', 'Unknown attribute "camunda:diagramRelationId"');
  });
});
