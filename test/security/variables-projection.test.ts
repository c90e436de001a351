/**
 * Issue 7 item 2, the projection side: data PostgreSQL refuses (a NUL or a lone surrogate that
 * reached an engine event by another way than the API, here a job handler's error message) no
 * longer freezes the instance in a silent retry loop. The batch is stored with the characters
 * replaced, the instance gets a visible incident, its other tasks still complete, and it can be
 * cancelled. Connection trouble is not a data error and is still retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../../activities/projections.js';
import { createPool } from '../../db/pool.js';
import type { EngineEvent } from '../../workflows/types.js';
import { ext, flow, processXml } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH, createTestDatabase } from '../support/stack.js';

let h: EngineHarness;
/** Instances whose meter job failed once; the next run of their job succeeds. */
const failedOnce = new Set<string>();
beforeAll(async () => {
  h = await startEngineHarness({
    jobHandlers: {
      meter: (job) => {
        if (failedOnce.has(job.processInstanceKey)) return { reading: 42 };
        failedOnce.add(job.processInstanceKey);
        // What an outside system might answer: raw bytes decoded badly.
        throw new Error('表计读数异常 raw=\u0000\ud800');
      },
      poison: () => ({ poison: 1 }),
    },
  });
  const xml = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:parallelGateway id="fork" />
     <bpmn:serviceTask id="meter">${ext('<zeebe:taskDefinition type="meter" retries="1" />')}</bpmn:serviceTask>
     <bpmn:userTask id="other">${ext('<zeebe:userTask />')}</bpmn:userTask>
     <bpmn:endEvent id="end1" />
     <bpmn:endEvent id="end2" />
     ${flow('f0', 'start', 'fork')}
     ${flow('f1', 'fork', 'meter')}
     ${flow('f2', 'fork', 'other')}
     ${flow('f3', 'meter', 'end1')}
     ${flow('f4', 'other', 'end2')}`,
    '',
    'proj',
  );
  const dep = await h.deploy(xml, 'proj.bpmn');
  expect(dep.statusCode, dep.body).toBe(200);
  const prio = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:userTask id="urgent">${ext('<zeebe:userTask /><zeebe:priorityDefinition priority="=prio" />')}</bpmn:userTask>
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 'urgent')}
     ${flow('f1', 'urgent', 'end')}`,
    '',
    'prio',
  );
  const dep2 = await h.deploy(prio, 'prio.bpmn');
  expect(dep2.statusCode, dep2.body).toBe(200);
  const poisoned = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:serviceTask id="feed">${ext('<zeebe:taskDefinition type="poison" />')}</bpmn:serviceTask>
     <bpmn:userTask id="after">${ext('<zeebe:userTask />')}</bpmn:userTask>
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 'feed')}
     ${flow('f1', 'feed', 'after')}
     ${flow('f2', 'after', 'end')}`,
    '',
    'poisoned',
  );
  const dep3 = await h.deploy(poisoned, 'poisoned.bpmn');
  expect(dep3.statusCode, dep3.body).toBe(200);
  // Stands in for any data error that is not about characters: the read model refuses a variable named poison.
  await h.pool.query(`
    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name = 'poison' THEN RAISE EXCEPTION 'value out of range for the read model' USING ERRCODE = '22003'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_poison BEFORE INSERT ON variable FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
}, 120_000);
afterAll(() => h?.close());

interface Incident {
  incidentKey: string;
  errorType: string;
  errorMessage: string;
  elementId: string;
  state: string;
}

async function incidents(pi: string): Promise<Incident[]> {
  const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Incident[] }>().items;
}

describe('a projection PostgreSQL refuses', () => {
  it('becomes a visible incident; the instance is not frozen and can be cancelled', async () => {
    const pi = await h.start('proj');
    const found = await h.waitFor('incidents of the instance', async () => {
      const list = await incidents(pi);
      return list.length >= 2 ? list : undefined;
    });
    // The worker survived the lone surrogate in the failure it reported to Temporal.
    expect(h.worker!.getState()).toBe('RUNNING');
    const job = found.find((i) => i.errorType === 'JOB_NO_RETRIES');
    expect(job, JSON.stringify(found)).toMatchObject({ elementId: 'meter', state: 'ACTIVE' });
    expect(job!.errorMessage).toContain('表计读数异常 raw=\uFFFD\uFFFD');
    const readModel = found.find((i) => i.errorType === 'UNKNOWN');
    expect(readModel, JSON.stringify(found)).toMatchObject({ elementId: 'proj', state: 'ACTIVE' });
    expect(readModel!.errorMessage).toMatch(/22P05|22P02/);
    const got = await h.post('/v2/process-instances/search', { filter: { processInstanceKey: pi } });
    expect(got.json<{ items: Array<{ state: string; hasIncident: boolean }> }>().items[0]).toMatchObject({ state: 'ACTIVE', hasIncident: true });

    // The rest of the instance still answers: another department's task completes at once.
    const other = await h.waitForTask(pi, 'other');
    const started = Date.now();
    expect((await h.completeTask(other.userTaskKey, { done: true })).statusCode).toBe(204);
    expect(Date.now() - started).toBeLessThan(5000);

    // Cancel works, and the read model agrees with Temporal.
    expect((await h.post(`/v2/process-instances/${pi}/cancellation`, {})).statusCode).toBe(204);
    expect(await h.waitForEnd(pi)).toEqual({ outcome: 'terminated' });
    await h.waitFor('TERMINATED in the read model', async () => {
      const { rows } = await h.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
      return rows[0]?.state === 'TERMINATED';
    });
    expect((await incidents(pi)).every((i) => i.state === 'RESOLVED')).toBe(true);
  });

  it('the read-model incident holds the end of the instance until it is resolved', async () => {
    const pi = await h.start('proj');
    const found = await h.waitFor('incidents', async () => {
      const list = await incidents(pi);
      return list.length >= 2 ? list : undefined;
    });
    const other = await h.waitForTask(pi, 'other');
    expect((await h.completeTask(other.userTaskKey)).statusCode).toBe(204);
    const job = found.find((i) => i.errorType === 'JOB_NO_RETRIES')!;
    expect((await h.post(`/v2/incidents/${job.incidentKey}/resolution`, {})).statusCode).toBe(204);
    await h.waitFor('the job ran again', async () => (await h.variables(pi)).reading === 42);
    const { rows } = await h.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
    expect(rows[0]!.state).toBe('ACTIVE');

    const readModel = found.find((i) => i.errorType === 'UNKNOWN')!;
    expect((await h.post(`/v2/incidents/${readModel.incidentKey}/resolution`, {})).statusCode).toBe(204);
    expect(await h.waitForEnd(pi)).toMatchObject({ outcome: 'completed' });
    await h.waitFor('COMPLETED without incident in the read model', async () => {
      const res = await h.post('/v2/process-instances/search', { filter: { processInstanceKey: pi } });
      const item = res.json<{ items: Array<{ state: string; hasIncident: boolean }> }>().items[0];
      return item?.state === 'COMPLETED' && !item.hasIncident;
    });
  });
});

describe('a batch PostgreSQL refuses however it is written', () => {
  it('is skipped with an incident on the instance; the instance goes on and can be cancelled', async () => {
    const pi = await h.start('poisoned');
    const found = await h.waitFor('read-model incident', async () => (await incidents(pi)).find((i) => i.errorType === 'UNKNOWN'));
    expect(found).toMatchObject({ elementId: 'poisoned', state: 'ACTIVE' });
    expect(found.errorMessage).toContain('22003');
    expect(found.errorMessage).toContain('skipped');
    expect(h.worker!.getState()).toBe('RUNNING');
    expect((await h.post(`/v2/process-instances/${pi}/cancellation`, {})).statusCode).toBe(204);
    expect(await h.waitForEnd(pi)).toEqual({ outcome: 'terminated' });
    await h.waitFor('TERMINATED in the read model', async () => {
      const { rows } = await h.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
      return rows[0]?.state === 'TERMINATED';
    });
  });
});

describe('values the task list cannot hold', () => {
  it('a priority that is not an integer 0-100 is an incident on the task, not a projection retried for ever', async () => {
    const pi = await h.start('prio', { prio: 1.5 });
    const found = await h.waitFor('incident', async () => (await incidents(pi)).find((i) => i.elementId === 'urgent'));
    expect(found).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', state: 'ACTIVE' });
    expect(found.errorMessage).toContain('0 to 100');
    // Fixed data and a resolution create the task.
    const { rows } = await h.pool.query<{ key: string }>("SELECT key::text FROM element_instance WHERE process_instance_key = $1 AND element_id = 'urgent'", [pi]);
    expect((await h.app.inject({ method: 'PUT', url: `/v2/element-instances/${rows[0]!.key}/variables`, payload: { variables: { prio: 80 } }, headers: ADMIN_AUTH })).statusCode).toBe(204);
    expect((await h.post(`/v2/incidents/${found.incidentKey}/resolution`, {})).statusCode).toBe(204);
    const task = await h.waitForTask(pi, 'urgent');
    expect(task.priority).toBe(80);
    await h.post(`/v2/process-instances/${pi}/cancellation`, {});
  });
});

describe('the projection activity', () => {
  const meta = { processInstanceKey: '9000', processDefinitionKey: '1', bpmnProcessId: 'p', processDefinitionVersion: 1 };
  const variable = (seq: number, value: unknown): EngineEvent => ({ seq, at: Date.now(), type: 'VARIABLE', scopeKey: '9000', name: 'v', value });

  it('stores a refused batch with the characters replaced and says why', async () => {
    const db = await createTestDatabase();
    try {
      const res = await recordEvents(db.pool, { instance: meta, events: [variable(1, { text: 'a\u0000b', s: '\ud800' })] });
      expect(res.unstorable).toMatch(/^22P0[25]: /);
      const { rows } = await db.pool.query<{ value: unknown }>("SELECT value FROM variable WHERE scope_key = 9000 AND name = 'v'");
      expect(rows[0]!.value).toEqual({ text: 'a\uFFFDb', s: '\uFFFD' });
      // A clean batch reports nothing.
      expect(await recordEvents(db.pool, { instance: meta, events: [variable(2, 'ok')] })).toEqual({ delivered: [] });
    } finally {
      await db.drop();
    }
  });

  it('a batch refused even with the characters replaced fails for good (the workflow skips it with an incident)', async () => {
    const db = await createTestDatabase();
    try {
      const task: EngineEvent = { seq: 1, at: Date.now(), type: 'USER_TASK_CREATED', key: '9001', elementId: 't', candidateGroups: [], candidateUsers: [], priority: 1.5 };
      await expect(recordEvents(db.pool, { instance: meta, events: [task] })).rejects.toMatchObject({ type: 'ProjectionDataError', nonRetryable: true });
    } finally {
      await db.drop();
    }
  });

  it('does not treat an unreachable database as a data error: the call fails and is retried', async () => {
    const pool = createPool('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
    try {
      await expect(recordEvents(pool, { instance: meta, events: [variable(1, 'a\u0000')] })).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await pool.end();
    }
  });
});
