/**
 * Idempotent instance creation: a client that timed out retries with the same Idempotency-Key (or
 * Camunda's operationReference) and gets the same instance; the instance row exists only with its
 * workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { ext, linear } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
  const res = await h.deploy(linear(`<bpmn:userTask id="task">${ext('<zeebe:userTask />')}</bpmn:userTask>`, ['task']));
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(() => h?.close());

const create = (body: object, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/v2/process-instances', payload: body, headers: { ...ADMIN_AUTH, ...headers } });

async function rowsOf(n: number): Promise<string[]> {
  const { rows } = await h.pool.query<{ key: string }>(
    `SELECT pi.key::text FROM process_instance pi JOIN variable v ON v.scope_key = pi.key AND v.name = 'n' WHERE (v.value)::int = $1`,
    [n],
  );
  return rows.map((r) => r.key);
}

describe('idempotent instance creation', () => {
  it('the same Idempotency-Key, sent 5 times at once and once more later, makes one instance', async () => {
    const body = { processDefinitionId: 'p', variables: { n: 1 } };
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(body, { 'idempotency-key': 'order-1' })));
    for (const a of answers) expect(a.statusCode, a.body).toBe(200);
    const keys = new Set(answers.map((a) => a.json<{ processInstanceKey: string }>().processInstanceKey));
    expect(keys.size).toBe(1);
    const [key] = [...keys];
    const again = await create(body, { 'idempotency-key': 'order-1' });
    expect(again.json<{ processInstanceKey: string }>().processInstanceKey).toBe(key);
    await h.waitFor('projection', async () => (await rowsOf(1)).length > 0);
    expect(await rowsOf(1)).toEqual([key]);
    // Another key is another instance.
    const other = await create(body, { 'idempotency-key': 'order-2' });
    expect(other.json<{ processInstanceKey: string }>().processInstanceKey).not.toBe(key);
  });

  it('a retry after the instance completed still returns it, not a new one', async () => {
    const body = { processDefinitionId: 'p', variables: { n: 2 } };
    const first = (await create(body, { 'idempotency-key': 'order-3' })).json<{ processInstanceKey: string }>().processInstanceKey;
    const task = await h.waitForTask(first, 'task');
    expect((await h.completeTask(task.userTaskKey)).statusCode).toBe(204);
    await h.waitForEnd(first);
    const retry = await create(body, { 'idempotency-key': 'order-3' });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json<{ processInstanceKey: string }>().processInstanceKey).toBe(first);
    expect(await rowsOf(2)).toEqual([first]);
  });

  it("Camunda's operationReference works as the key; the same key for another request is refused with 409", async () => {
    const a = await create({ processDefinitionId: 'p', variables: { n: 3 }, operationReference: 77 });
    const b = await create({ processDefinitionId: 'p', variables: { n: 3 }, operationReference: 77 });
    expect(b.json<{ processInstanceKey: string }>().processInstanceKey).toBe(a.json<{ processInstanceKey: string }>().processInstanceKey);
    const changed = await create({ processDefinitionId: 'p', variables: { n: 4 }, operationReference: 77 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json<{ detail: string }>().detail).toMatch(/Idempotency-Key 'operationReference:77' was already used for a different request/);
    expect(changed.json()).toMatchObject({
      code: 'instance.idempotencyKeyUsed',
      params: { key: 'operationReference:77', processInstanceKey: a.json<{ processInstanceKey: string }>().processInstanceKey },
    });
  });

  it('keys are per user: another user with the same key gets an instance of their own', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: ADMIN_AUTH,
      payload: { username: 'designer1', displayName: 'D', password: 'designer-password', role: 'designer', departments: [] },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const mine = await create({ processDefinitionId: 'p', variables: { n: 5 } }, { 'idempotency-key': 'shared' });
    const theirs = await create(
      { processDefinitionId: 'p', variables: { n: 5 } },
      { 'idempotency-key': 'shared', authorization: `Basic ${Buffer.from('designer1:designer-password').toString('base64')}` },
    );
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(theirs.json<{ processInstanceKey: string }>().processInstanceKey).not.toBe(mine.json<{ processInstanceKey: string }>().processInstanceKey);
  });

  it('a server that died after reserving the key but before starting the workflow: the retry starts it, with that key', async () => {
    // The state such a server leaves: the reservation, no workflow, no row.
    const body = { processDefinitionId: 'p', variables: { n: 6 } };
    const first = await create(body, { 'idempotency-key': 'order-6' });
    const key = first.json<{ processInstanceKey: string }>().processInstanceKey;
    await h.client.workflow.getHandle(processInstanceWorkflowId(key)).terminate('test: simulate the lost start');
    await h.pool.query('UPDATE instance_creation SET process_instance_key = process_instance_key + 1 WHERE process_instance_key = $1', [key]);
    const retry = await create(body, { 'idempotency-key': 'order-6' });
    expect(retry.statusCode, retry.body).toBe(200);
    const retried = retry.json<{ processInstanceKey: string }>().processInstanceKey;
    expect(retried).toBe((BigInt(key) + 1n).toString());
    expect((await h.client.workflow.getHandle(processInstanceWorkflowId(retried)).describe()).status.name).toBe('RUNNING');
  });

  it('refuses a malformed Idempotency-Key, naming the header', async () => {
    const res = await create({ processDefinitionId: 'p' }, { 'idempotency-key': 'x'.repeat(256) });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/^Idempotency-Key: 1-255 visible ASCII/);
  });
});
