/**
 * Issue 7 item 3 inside the workflow: a job result, a script task or an output mapping that would
 * grow a variable or the instance past its limit becomes an incident MESSAGE_SIZE_EXCEEDED on the
 * element (never a payload Temporal refuses), and the read model agrees with Temporal about the
 * instance's state, its active elements, its open tasks and its incidents — while the incident is
 * open, after it is resolved and after a cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { snapshotQuery } from '../../workflows/messages.js';
import { ext, flow, processXml, serviceTask } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const VARIABLE_MAX = 4096;
const TOTAL_MAX = 16384;

/** Instances whose `grow` job answered once (too large); later runs answer small. */
const grew = new Set<string>();

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({
    env: { VARIABLE_MAX_BYTES: String(VARIABLE_MAX), VARIABLES_TOTAL_MAX_BYTES: String(TOTAL_MAX) },
    jobHandlers: {
      grow: (job) => {
        if (grew.has(job.processInstanceKey)) return { blob: 'small' };
        grew.add(job.processInstanceKey);
        return { blob: 'z'.repeat(VARIABLE_MAX) };
      },
      part: () => ({ part: 'p'.repeat(3000) }),
    },
  });
  // start → fork → grow (job) ‖ review (user task) → join → end
  const parallel = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:parallelGateway id="fork" />
     ${serviceTask('grow', 'grow')}
     <bpmn:userTask id="review">${ext('<zeebe:userTask />')}</bpmn:userTask>
     <bpmn:parallelGateway id="join" />
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 'fork')}
     ${flow('f1', 'fork', 'grow')}
     ${flow('f2', 'fork', 'review')}
     ${flow('f3', 'grow', 'join')}
     ${flow('f4', 'review', 'join')}
     ${flow('f5', 'join', 'end')}`,
    '',
    'growing',
  );
  // start → acc = "" → part (job, output acc = acc + part) → loop while shorter than 10000 → end
  const mapping = processXml(
    `<bpmn:startEvent id="start">${ext('<zeebe:ioMapping><zeebe:output source="=&quot;&quot;" target="acc" /></zeebe:ioMapping>')}</bpmn:startEvent>
     ${serviceTask('append', 'part', '<zeebe:ioMapping><zeebe:output source="=acc + part" target="acc" /></zeebe:ioMapping>')}
     <bpmn:exclusiveGateway id="more" default="enough" />
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 'append')}
     ${flow('f1', 'append', 'more')}
     ${flow('again', 'more', 'append', '= string length(acc) < 10000')}
     ${flow('enough', 'more', 'end')}`,
    '',
    'appending',
  );
  // five script tasks of ~4 KB each: the fifth takes the instance over 16 KB
  const scripts = [1, 2, 3, 4, 5]
    .map((i) => `<bpmn:scriptTask id="s${i}">${ext(`<zeebe:script expression="=string join(for i in 1..400 return &quot;0123456789&quot;, &quot;&quot;)" resultVariable="big${i}" />`)}</bpmn:scriptTask>`)
    .join('\n');
  const total = processXml(
    `<bpmn:startEvent id="start" />
     ${scripts}
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 's1')} ${flow('f1', 's1', 's2')} ${flow('f2', 's2', 's3')} ${flow('f3', 's3', 's4')} ${flow('f4', 's4', 's5')}
     ${flow('f5', 's5', 'end')}`,
    '',
    'scripting',
  );
  // a sequential multi-instance job whose output collection passes 4 KB at the second item's result
  const loop = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:serviceTask id="each">
       ${ext('<zeebe:taskDefinition type="part" />')}
       <bpmn:multiInstanceLoopCharacteristics isSequential="true">
         ${ext('<zeebe:loopCharacteristics inputCollection="=[1, 2, 3]" inputElement="n" outputCollection="results" outputElement="=part" />')}
       </bpmn:multiInstanceLoopCharacteristics>
     </bpmn:serviceTask>
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 'each')}
     ${flow('f1', 'each', 'end')}`,
    '',
    'looping',
  );
  for (const [xml, name] of [[parallel, 'growing'], [mapping, 'appending'], [total, 'scripting'], [loop, 'looping']] as const) {
    const dep = await h.deploy(xml, `${name}.bpmn`);
    expect(dep.statusCode, dep.body).toBe(200);
  }
}, 120_000);
afterAll(() => h?.close());

interface Incident {
  incidentKey: string;
  errorType: string;
  errorMessage: string;
  elementId: string;
  state: string;
}

async function incidentAt(pi: string, elementId: string): Promise<Incident> {
  return h.waitFor(`incident at ${elementId}`, async () => {
    const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, state: 'ACTIVE' } });
    return res.json<{ items: Incident[] }>().items.find((i) => i.elementId === elementId);
  });
}

const sorted = (xs: string[]) => [...xs].sort();

/** The read model says what Temporal says: running or not, active elements, open tasks, open incidents. */

/** Cancels the instance (204), waits for it to end and its row to say TERMINATED, and compares read model and Temporal. */
async function cancelAndCheck(pi: string): Promise<void> {
  expect((await h.post(`/v2/process-instances/${pi}/cancellation`, {})).statusCode).toBe(204);
  expect(await h.waitForEnd(pi)).toEqual({ outcome: 'terminated' });
  await h.waitFor('TERMINATED in the read model', async () => {
    const { rows } = await h.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
    return rows[0]!.state === 'TERMINATED';
  });
  await expectAgreement(pi);
}

async function expectAgreement(pi: string): Promise<void> {
  const handle = h.client.workflow.getHandle(processInstanceWorkflowId(pi));
  const status = (await handle.describe()).status.name;
  const { rows: inst } = await h.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
  const { rows: active } = await h.pool.query<{ key: string }>("SELECT key::text FROM element_instance WHERE process_instance_key = $1 AND state = 'ACTIVE'", [pi]);
  const { rows: tasks } = await h.pool.query<{ key: string }>("SELECT key::text FROM user_task WHERE process_instance_key = $1 AND state = 'CREATED'", [pi]);
  const { rows: incidents } = await h.pool.query<{ key: string }>("SELECT key::text FROM incident WHERE process_instance_key = $1 AND state = 'ACTIVE'", [pi]);
  if (status !== 'RUNNING') {
    expect(inst[0]!.state).not.toBe('ACTIVE');
    expect(active).toEqual([]);
    expect(tasks).toEqual([]);
    expect(incidents).toEqual([]);
    return;
  }
  const snap = await handle.query(snapshotQuery);
  expect(inst[0]!.state).toBe('ACTIVE');
  expect(sorted(active.map((r) => r.key))).toEqual(sorted(Object.keys(snap.instances)));
  const open = Object.values(snap.instances).filter((i) => i.waits.some((w) => w.kind === 'userTask'));
  expect(sorted(tasks.map((r) => r.key))).toEqual(sorted(open.map((i) => i.key)));
  expect(sorted(incidents.map((r) => r.key))).toEqual(sorted(Object.keys(snap.incidents)));
}

describe('variables growing inside an instance', () => {
  it('a job result over the variable limit is an incident on the job; resolving runs the job again', async () => {
    const pi = await h.start('growing');
    const incident = await incidentAt(pi, 'grow');
    expect(incident.errorType).toBe('MESSAGE_SIZE_EXCEEDED');
    expect(incident.errorMessage).toContain('blob');
    expect(incident.errorMessage).toContain(String(VARIABLE_MAX + 2));
    expect(incident.errorMessage).toContain(String(VARIABLE_MAX));
    await h.waitForTask(pi, 'review');
    await expectAgreement(pi);
    expect(await h.variables(pi)).toEqual({});

    expect((await h.post(`/v2/incidents/${incident.incidentKey}/resolution`, {})).statusCode).toBe(204);
    await h.waitFor('the job ran again', async () => (await h.variables(pi)).blob === 'small');
    const task = await h.waitForTask(pi, 'review');
    expect((await h.completeTask(task.userTaskKey, { ok: true })).statusCode).toBe(204);
    expect(await h.waitForEnd(pi)).toEqual({ outcome: 'completed', variables: { blob: 'small', ok: true } });
    await h.waitFor('COMPLETED in the read model', async () => {
      const { rows } = await h.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
      return rows[0]!.state === 'COMPLETED';
    });
    await expectAgreement(pi);
  });

  it('cancelling an instance held by such an incident leaves no open task or element behind', async () => {
    const pi = await h.start('growing');
    await incidentAt(pi, 'grow');
    await h.waitForTask(pi, 'review');
    await cancelAndCheck(pi);
  });

  it('an output mapping that grows a variable past the limit is an incident on the element, not a failed workflow', async () => {
    const pi = await h.start('appending');
    const incident = await incidentAt(pi, 'append');
    expect(incident.errorType).toBe('MESSAGE_SIZE_EXCEEDED');
    expect(incident.errorMessage).toContain('acc');
    expect(((await h.variables(pi)).acc as string).length).toBe(3000);
    await expectAgreement(pi);
    await h.post(`/v2/process-instances/${pi}/cancellation`, {});
    expect(await h.waitForEnd(pi)).toEqual({ outcome: 'terminated' });
  });

  it("script results that take the instance's variables past the total are an incident at the script that would", async () => {
    const pi = await h.start('scripting');
    const incident = await incidentAt(pi, 's5');
    expect(incident.errorType).toBe('MESSAGE_SIZE_EXCEEDED');
    expect(incident.errorMessage).toContain('big5');
    expect(incident.errorMessage).toContain(String(TOTAL_MAX));
    expect(Object.keys(await h.variables(pi)).sort()).toEqual(['big1', 'big2', 'big3', 'big4']);
    await expectAgreement(pi);
    await cancelAndCheck(pi);
  });

  it('a multi-instance output collection that grows past the limit is an incident on the loop; cancel still works', async () => {
    const pi = await h.start('looping');
    const incident = await incidentAt(pi, 'each');
    expect(incident.errorType).toBe('MESSAGE_SIZE_EXCEEDED');
    expect(incident.errorMessage).toContain('results');
    await expectAgreement(pi);
    await cancelAndCheck(pi);
  });
});
