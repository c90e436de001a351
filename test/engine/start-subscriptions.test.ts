/**
 * Message and signal start events are rows written at deployment (start_subscription): publishing
 * and broadcasting look them up instead of reading every process's latest model on the HTTP thread
 * (issue 7 item 7: with one large diagram deployed, 100 publications took 56 s).
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { ProcessModel } from '../../bpmn/model.js';
import { migrate, MIGRATIONS_DIR } from '../../db/migrate.js';
import { flow, linear, message, processXml } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { createTestDatabase } from '../support/stack.js';

let h: EngineHarness;

/** A process started by message `name` (element "byMessage") that waits in a user task. */
function messageStart(processId: string, name: string): string {
  return processXml(
    `<bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
     <bpmn:userTask id="handle" /><bpmn:endEvent id="end" />${flow('f1', 'byMessage', 'handle')}${flow('f2', 'handle', 'end')}`,
    message('m', name),
    processId,
  );
}

function signalStart(processId: string, name: string): string {
  return processXml(
    `<bpmn:startEvent id="bySignal"><bpmn:signalEventDefinition signalRef="s" /></bpmn:startEvent>
     <bpmn:userTask id="handle" /><bpmn:endEvent id="end" />${flow('f1', 'bySignal', 'handle')}${flow('f2', 'handle', 'end')}`,
    `<bpmn:signal id="s" name="${name}" />`,
    processId,
  );
}

async function instancesOf(processDefinitionId: string) {
  const res = await h.post('/v2/process-instances/search', { filter: { processDefinitionId } });
  return res.json<{ items: Array<{ processInstanceKey: string; processDefinitionVersion: number }> }>().items;
}

describe('start subscriptions', () => {
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h?.close());

  it('publishes 100 messages with a large diagram deployed without reading any process model', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `t${i}`);
    const big = linear(ids.map((id) => `<bpmn:manualTask id="${id}" />`).join('\n'), ids).replace('id="p"', 'id="big"');
    expect((await h.deploy(big, 'big.bpmn')).statusCode).toBe(200);
    expect((await h.deploy(messageStart('orders-a', 'order-placed-a'), 'orders-a.bpmn')).statusCode).toBe(200);

    const parses = vi.spyOn(ProcessModel, 'safeParse');
    const statements: string[] = [];
    const original = pg.Client.prototype.query;
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      statements.push(typeof first === 'string' ? first : (first?.text ?? ''));
      return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
    let modelParses: number;
    try {
      for (let i = 0; i < 100; i++) {
        const res = await h.post('/v2/messages/publication', { name: 'nobody-waits', correlationKey: `k-${i}` });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      modelParses = parses.mock.calls.length; // read before mockRestore(), which clears the record
      spy.mockRestore();
      parses.mockRestore();
    }
    expect(modelParses).toBe(0);
    expect(statements.filter((s) => /\bprocess_definition\b/.test(s))).toEqual([]);
    // A handful of statements per publication (key, lock, subscriptions, start subscriptions), none growing with the models deployed.
    expect(statements.length).toBeLessThanOrEqual(100 * 8);
  }, 120_000);

  it('starts the latest version by message and by signal; a new version replaces its start events', async () => {
    expect((await h.deploy(messageStart('orders', 'order-placed'), 'orders.bpmn')).statusCode).toBe(200);
    const pub = await h.post('/v2/messages/publication', { name: 'order-placed', correlationKey: '', variables: { orderId: 'A-1' } });
    expect(pub.statusCode).toBe(200);
    const [first] = await instancesOf('orders');
    expect(first).toMatchObject({ processDefinitionVersion: 1 });
    await h.waitForTask(first!.processInstanceKey, 'handle');
    expect(await h.variables(first!.processInstanceKey)).toEqual({ orderId: 'A-1' });

    // Version 2 listens to another name: the old name starts nothing any more, the new one starts version 2.
    expect((await h.deploy(messageStart('orders', 'order-received'), 'orders.bpmn')).statusCode).toBe(200);
    expect((await h.post('/v2/messages/correlation', { name: 'order-placed', correlationKey: '' })).statusCode).toBe(404);
    const corr = await h.post('/v2/messages/correlation', { name: 'order-received', correlationKey: '' });
    expect(corr.statusCode).toBe(200);
    const started = corr.json<{ processInstanceKey: string }>().processInstanceKey;
    expect((await instancesOf('orders')).find((i) => i.processInstanceKey === started)).toMatchObject({ processDefinitionVersion: 2 });

    expect((await h.deploy(signalStart('storm', 'storm-warning'), 'storm.bpmn')).statusCode).toBe(200);
    expect((await h.post('/v2/signals/broadcast', { signalName: 'storm-warning', variables: { area: 'north' } })).statusCode).toBe(200);
    const [storm] = await instancesOf('storm');
    await h.waitForTask(storm!.processInstanceKey, 'handle');
    expect(await h.variables(storm!.processInstanceKey)).toEqual({ area: 'north' });
    // A version without the signal start: the broadcast starts nothing.
    expect((await h.deploy(linear('', []).replace('id="p"', 'id="storm"'), 'storm.bpmn')).statusCode).toBe(200);
    expect((await h.post('/v2/signals/broadcast', { signalName: 'storm-warning' })).statusCode).toBe(200);
    expect(await instancesOf('storm')).toHaveLength(1);
  }, 120_000);
});

describe('migration 0010', () => {
  it('writes start subscriptions for processes deployed before it: latest versions, static names, process level only', async () => {
    const db = await createTestDatabase({ migrate: false });
    const before = await mkdtemp(path.join(tmpdir(), 'gongdian-migrations-'));
    try {
      for (const f of await readdir(MIGRATIONS_DIR)) if (f < '0010') await cp(path.join(MIGRATIONS_DIR, f), path.join(before, f));
      await migrate(db.pool, { dir: before });
      await db.pool.query("INSERT INTO deployment (key) VALUES (1)");
      const store = async (key: number, version: number, xml: string) => {
        const model = (await compileBpmn(xml)).processes[0]!;
        await db.pool.query(
          `INSERT INTO process_definition (key, bpmn_process_id, version, resource_name, deployment_key, xml, model, hash)
           VALUES ($1, $2, $3, 'x.bpmn', 1, $4, $5, $6)`,
          [key, model.id, version, xml, JSON.stringify(model), String(key)],
        );
      };
      await store(10, 1, messageStart('orders', 'old name'));
      await store(11, 2, messageStart('orders', 'order &quot;placed&quot; 下单'));
      await store(12, 1, messageStart('dynamic', '=messageName'));
      await store(13, 1, signalStart('storm', 'storm-warning'));
      const inSubprocess = processXml(
        `<bpmn:startEvent id="start" /><bpmn:subProcess id="sub" triggeredByEvent="true">
           <bpmn:startEvent id="inner"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent><bpmn:endEvent id="innerEnd" />
           ${flow('fi', 'inner', 'innerEnd')}</bpmn:subProcess><bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`,
        message('m', 'cancel-order', '=orderId'),
        'nested',
      );
      await store(14, 1, inSubprocess);

      await migrate(db.pool);
      const { rows } = await db.pool.query(
        'SELECT process_definition_key::text AS key, element_id, bpmn_process_id, kind, name FROM start_subscription ORDER BY process_definition_key',
      );
      expect(rows).toEqual([
        { key: '11', element_id: 'byMessage', bpmn_process_id: 'orders', kind: 'message', name: 'order "placed" 下单' },
        { key: '13', element_id: 'bySignal', bpmn_process_id: 'storm', kind: 'signal', name: 'storm-warning' },
      ]);
    } finally {
      await rm(before, { recursive: true, force: true });
      await db.drop();
    }
  });
});
