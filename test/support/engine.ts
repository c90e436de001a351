/**
 * Driving the engine through its public API (/v2 via app.inject) in tests:
 *
 *   const h = await startEngineHarness({ jobHandlers });       // app + worker on a fresh database
 *   await h.deploy(xml);                                        // POST /v2/deployments (multipart)
 *   const pi = await h.start('my-process', { x: 1 });          // POST /v2/process-instances
 *   const task = await h.waitForTask(pi, 'review');            // polls /v2/user-tasks/search
 *   await h.completeTask(task.userTaskKey, { ok: true });      // POST …/completion (asserts 204)
 *   await h.waitForEnd(pi);                                     // the workflow's result
 *   expect(await h.path(pi)).toEqual(['start', 'review', 'end']);
 *   await h.close();
 */
import type { LightMyRequestResponse } from 'fastify';
import type { JobHandler } from '../../activities/index.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import type { ProcessInstanceResult } from '../../workflows/types.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from './stack.js';

export interface EngineHarness extends TestApp {
  deploy(xml: string, name?: string): Promise<LightMyRequestResponse>;
  start(processDefinitionId: string, variables?: Record<string, unknown>): Promise<string>;
  waitForTask(processInstanceKey: string, elementId: string): Promise<{ userTaskKey: string; [k: string]: unknown }>;
  completeTask(userTaskKey: string, variables?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  waitForEnd(processInstanceKey: string, timeoutMs?: number): Promise<ProcessInstanceResult>;
  /** Element ids in activation order (without the process and multi-instance bodies). */
  path(processInstanceKey: string): Promise<string[]>;
  /** Variables of the process instance's root scope. */
  variables(processInstanceKey: string): Promise<Record<string, unknown>>;
  post(url: string, payload: unknown): Promise<LightMyRequestResponse>;
}

export function multipart(files: Array<{ field: string; name: string; content: string }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----engine-test-${Math.random().toString(16).slice(2)}`;
  const parts = files.map(
    (f) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: application/xml\r\n\r\n${f.content}\r\n`,
  );
  return {
    payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function startEngineHarness(
  options: { jobHandlers?: Record<string, JobHandler>; env?: Record<string, string> } = {},
): Promise<EngineHarness> {
  const stack = await startTestApp({
    worker: true,
    ...(options.jobHandlers ? { jobHandlers: options.jobHandlers } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const { app, pool, client } = stack;

  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object, headers: ADMIN_AUTH });

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    ...stack,
    post,
    waitFor,
    async deploy(xml, name = 'process.bpmn') {
      const { payload, headers } = multipart([{ field: 'resources', name, content: xml }]);
      return app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
    },
    async start(processDefinitionId, variables = {}) {
      const res = await post('/v2/process-instances', { processDefinitionId, variables });
      if (res.statusCode !== 200) throw new Error(`create instance failed: ${res.statusCode} ${res.body}`);
      return res.json<{ processInstanceKey: string }>().processInstanceKey;
    },
    async waitForTask(processInstanceKey, elementId) {
      return waitFor(`user task ${elementId} of ${processInstanceKey}`, async () => {
        const res = await post('/v2/user-tasks/search', { filter: { processInstanceKey, elementId, state: 'CREATED' } });
        return res.json<{ items: Array<{ userTaskKey: string }> }>().items[0];
      });
    },
    async completeTask(userTaskKey, variables = {}) {
      return post(`/v2/user-tasks/${userTaskKey}/completion`, { variables });
    },
    async waitForEnd(processInstanceKey, timeoutMs = 30_000) {
      const handle = client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`process instance ${processInstanceKey} did not end within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return (await Promise.race([handle.result(), timeout])) as ProcessInstanceResult;
      } finally {
        clearTimeout(timer);
      }
    },
    async path(processInstanceKey) {
      const { rows } = await pool.query<{ element_id: string }>(
        `SELECT element_id FROM element_instance WHERE process_instance_key = $1 AND element_type NOT IN ('process', 'multiInstanceBody')
          ORDER BY seq`,
        [processInstanceKey],
      );
      return rows.map((r) => r.element_id);
    },
    async variables(processInstanceKey) {
      const { rows } = await pool.query<{ name: string; value: unknown }>('SELECT name, value FROM variable WHERE scope_key = $1', [
        processInstanceKey,
      ]);
      return Object.fromEntries(rows.map((r) => [r.name, r.value]));
    },
  };
}
