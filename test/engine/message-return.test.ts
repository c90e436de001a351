/** A message delivered to an instance that no longer waits for it is buffered again, not lost. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { deliverMessageSignal } from '../../workflows/messages.js';
import { ext, flow, message, processXml } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

it('returns a message to the buffer when its instance cannot take it, and a later subscriber gets it', async () => {
  const waitsForTask = processXml(
    `<bpmn:startEvent id="start" /><bpmn:userTask id="task">${ext('<zeebe:userTask />')}</bpmn:userTask><bpmn:endEvent id="end" />
     ${flow('f1', 'start', 'task')}${flow('f2', 'task', 'end')}`,
    '',
    'busy',
  );
  const waitsForMessage = processXml(
    `<bpmn:startEvent id="start" /><bpmn:receiveTask id="receive" messageRef="m" /><bpmn:endEvent id="end" />
     ${flow('f1', 'start', 'receive')}${flow('f2', 'receive', 'end')}`,
    message('m', 'meter-read', '=meterId'),
    'reader',
  );
  expect((await h.deploy(waitsForTask, 'busy.bpmn')).statusCode).toBe(200);
  expect((await h.deploy(waitsForMessage, 'reader.bpmn')).statusCode).toBe(200);

  const busy = await h.start('busy');
  await h.waitForTask(busy, 'task');
  // A message the server handed to `busy` (as if its subscription had just closed).
  const messageKey = '2251799813685300';
  await h.pool.query(
    `INSERT INTO message (key, name, correlation_key, variables, expires_at, correlated_to)
     VALUES ($1, 'meter-read', 'M-1', '{"kwh": 42}', now() + interval '1 minute', $2)`,
    [messageKey, busy],
  );
  await h.client.workflow
    .getHandle(processInstanceWorkflowId(busy))
    .signal(deliverMessageSignal, { messageKey, messageName: 'meter-read', correlationKey: 'M-1', variables: { kwh: 42 } });
  await h.waitFor('the message back in the buffer', async () => {
    const { rows } = await h.pool.query('SELECT correlated_to FROM message WHERE key = $1', [messageKey]);
    return rows[0]?.correlated_to === null;
  });

  const reader = await h.start('reader', { meterId: 'M-1' });
  await h.waitForEnd(reader);
  expect(await h.variables(reader)).toMatchObject({ kwh: 42 });
  expect(await h.path(busy)).toEqual(['start', 'task']);
});
